package source

import (
	"math"
	"strconv"
	"unsafe"

	"github.com/apache/arrow/go/v17/arrow"

	"gospark/engine/sql/exec"
)

func bstr(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

var pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// parseFloat parses a decimal number. Plain decimals with at most 15
// significant digits take Clinger's fast path (an exact integer divided by
// an exact power of ten is correctly rounded); anything else goes to
// strconv.ParseFloat.
func parseFloat(b []byte) (float64, bool) {
	i, n := 0, len(b)
	if n == 0 {
		return 0, false
	}
	neg := false
	if b[0] == '-' || b[0] == '+' {
		neg = b[0] == '-'
		i++
	}
	var mant uint64
	digits, frac := 0, 0
	seenDot := false
	start := i
	for ; i < n; i++ {
		c := b[i]
		if c >= '0' && c <= '9' {
			if digits < 19 {
				mant = mant*10 + uint64(c-'0')
				if mant != 0 {
					digits++
				}
				if seenDot {
					frac++
				}
				continue
			}
			return slowFloat(b)
		}
		if c == '.' && !seenDot {
			seenDot = true
			continue
		}
		return slowFloat(b)
	}
	if i == start || (seenDot && i == start+1) {
		return slowFloat(b)
	}
	if digits > 15 || frac > 22 {
		return slowFloat(b)
	}
	f := float64(mant)
	if frac > 0 {
		f /= pow10[frac]
	}
	if neg {
		f = -f
	}
	return f, true
}

func slowFloat(b []byte) (float64, bool) {
	s := bstr(b)
	switch s {
	case "NaN":
		return math.NaN(), true
	case "Infinity", "+Infinity", "Inf":
		return math.Inf(1), true
	case "-Infinity", "-Inf":
		return math.Inf(-1), true
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, false
	}
	return f, true
}

// kind ranks the types inference can choose; merging takes the wider.
type kind int

const (
	kNull kind = iota
	kInt32
	kInt64
	kFloat64
	kBool
	kDate
	kTimestamp
	kString
)

func kindOf(dt arrow.DataType) kind {
	switch dt.ID() {
	case arrow.INT32:
		return kInt32
	case arrow.INT64:
		return kInt64
	case arrow.FLOAT64:
		return kFloat64
	case arrow.BOOL:
		return kBool
	case arrow.DATE32:
		return kDate
	case arrow.TIMESTAMP:
		return kTimestamp
	}
	return kString
}

func (k kind) dataType() arrow.DataType {
	switch k {
	case kInt32:
		return exec.Int32
	case kInt64:
		return exec.Int64
	case kFloat64:
		return exec.Float64
	case kBool:
		return exec.Boolean
	case kDate:
		return exec.Date32
	case kTimestamp:
		return exec.Timestamp
	}
	return exec.String
}

// inferValue returns the narrowest kind that can hold b.
func inferValue(b []byte) kind {
	if v, ok := exec.ParseInt(b); ok {
		if v >= math.MinInt32 && v <= math.MaxInt32 {
			return kInt32
		}
		return kInt64
	}
	if _, ok := parseFloat(b); ok {
		return kFloat64
	}
	switch bstr(b) {
	case "true", "false", "True", "False", "TRUE", "FALSE":
		return kBool
	}
	if len(b) >= 8 && b[4] == '-' {
		if _, ok := exec.ParseDate(b); ok && len(b) <= 10 {
			return kDate
		}
		if _, ok := exec.ParseTimestamp(b); ok {
			return kTimestamp
		}
	}
	return kString
}

// mergeKinds widens two inferred kinds.
func mergeKinds(a, b kind) kind {
	switch {
	case a == b:
		return a
	case a == kNull:
		return b
	case b == kNull:
		return a
	case a <= kFloat64 && b <= kFloat64:
		return max(a, b)
	case (a == kDate || a == kTimestamp) && (b == kDate || b == kTimestamp):
		return kTimestamp
	}
	return kString
}
