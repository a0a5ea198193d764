package source

import (
	"strings"

	"github.com/apache/arrow/go/v17/arrow"

	"gospark/engine/sql/exec"
)

// colBuilder accumulates one column of a batch in plain slices.
type colBuilder struct {
	k     kind
	dt    arrow.DataType
	n     int
	i32   []int32
	i64   []int64
	f64   []float64
	offs  []int32
	data  []byte
	bits  exec.Bitmap
	valid exec.Bitmap
	nulls bool
}

func newColBuilder(dt arrow.DataType, capRows int) *colBuilder {
	b := &colBuilder{k: kindOf(dt), dt: dt}
	b.reset(capRows)
	return b
}

func (b *colBuilder) reset(capRows int) {
	b.n, b.nulls = 0, false
	b.valid = exec.NewValidBitmap(capRows)
	switch b.k {
	case kInt32, kDate:
		b.i32 = make([]int32, 0, capRows)
	case kInt64, kTimestamp:
		b.i64 = make([]int64, 0, capRows)
	case kFloat64:
		b.f64 = make([]float64, 0, capRows)
	case kBool:
		b.bits = exec.NewBitmap(capRows)
	default:
		b.offs = make([]int32, 1, capRows+1)
		b.data = make([]byte, 0, capRows*8)
	}
}

func (b *colBuilder) ensureValid() {
	for len(b.valid)*8 <= b.n {
		b.valid = append(b.valid, 0xff)
		if b.k == kBool {
			b.bits = append(b.bits, 0)
		}
	}
}

// appendNull adds a NULL.
func (b *colBuilder) appendNull() {
	b.ensureValid()
	b.valid.Clear(b.n)
	b.nulls = true
	b.appendZero()
}

func (b *colBuilder) appendZero() {
	switch b.k {
	case kInt32, kDate:
		b.i32 = append(b.i32, 0)
	case kInt64, kTimestamp:
		b.i64 = append(b.i64, 0)
	case kFloat64:
		b.f64 = append(b.f64, 0)
	case kBool:
	default:
		b.offs = append(b.offs, int32(len(b.data)))
	}
	b.n++
}

// appendText parses s into the column; false means it did not parse (a
// NULL was added instead).
func (b *colBuilder) appendText(s []byte) bool {
	switch b.k {
	case kString:
		b.data = append(b.data, s...)
		b.offs = append(b.offs, int32(len(b.data)))
		b.n++
		return true
	case kInt32:
		v, ok := exec.ParseInt(s)
		if !ok || v != int64(int32(v)) {
			ok = false
			if t := trimSpace(s); len(t) != len(s) {
				return b.appendText(t)
			}
			b.appendNull()
			return false
		}
		b.i32 = append(b.i32, int32(v))
	case kInt64:
		v, ok := exec.ParseInt(s)
		if !ok {
			if t := trimSpace(s); len(t) != len(s) {
				return b.appendText(t)
			}
			b.appendNull()
			return false
		}
		b.i64 = append(b.i64, v)
	case kFloat64:
		v, ok := parseFloat(s)
		if !ok {
			if t := trimSpace(s); len(t) != len(s) {
				return b.appendText(t)
			}
			b.appendNull()
			return false
		}
		b.f64 = append(b.f64, v)
	case kBool:
		var v bool
		switch strings.ToLower(bstr(s)) {
		case "true":
			v = true
		case "false":
		default:
			b.appendNull()
			return false
		}
		b.ensureValid()
		if v {
			b.bits.Set(b.n)
		}
	case kDate:
		d, ok := exec.ParseDate(s)
		if !ok {
			b.appendNull()
			return false
		}
		b.i32 = append(b.i32, int32(d))
	case kTimestamp:
		t, ok := exec.ParseTimestamp(s)
		if !ok {
			b.appendNull()
			return false
		}
		b.i64 = append(b.i64, int64(t))
	}
	b.n++
	return true
}

func trimSpace(s []byte) []byte {
	for len(s) > 0 && (s[0] == ' ' || s[0] == '\t') {
		s = s[1:]
	}
	for len(s) > 0 && (s[len(s)-1] == ' ' || s[len(s)-1] == '\t' || s[len(s)-1] == '\r') {
		s = s[:len(s)-1]
	}
	return s
}

// truncate drops rows from n on (a malformed row being dropped).
func (b *colBuilder) truncate(n int) {
	if b.n <= n {
		return
	}
	switch b.k {
	case kInt32, kDate:
		b.i32 = b.i32[:n]
	case kInt64, kTimestamp:
		b.i64 = b.i64[:n]
	case kFloat64:
		b.f64 = b.f64[:n]
	case kBool:
		for i := n; i < b.n; i++ {
			b.bits.Clear(i)
		}
	default:
		b.offs = b.offs[:n+1]
		b.data = b.data[:b.offs[n]]
	}
	for i := n; i < b.n; i++ {
		b.valid.Set(i)
	}
	b.n = n
}

// finish returns the column and starts a new one.
func (b *colBuilder) finish(capRows int) arrow.Array {
	var valid exec.Bitmap
	if b.nulls {
		b.ensureValid()
		valid = b.valid[:(b.n+7)/8]
	}
	var out arrow.Array
	switch b.k {
	case kInt32:
		out = exec.FixedArray(b.dt, b.i32, valid)
	case kDate:
		d := arrow.Date32Traits.CastFromBytes(arrow.Int32Traits.CastToBytes(b.i32))
		out = exec.FixedArray(b.dt, d, valid)
	case kInt64:
		out = exec.FixedArray(b.dt, b.i64, valid)
	case kTimestamp:
		t := arrow.TimestampTraits.CastFromBytes(arrow.Int64Traits.CastToBytes(b.i64))
		out = exec.FixedArray(b.dt, t, valid)
	case kFloat64:
		out = exec.FixedArray(b.dt, b.f64, valid)
	case kBool:
		b.ensureValid()
		out = exec.BoolArray(b.bits[:(b.n+7)/8], valid, b.n)
	default:
		out = exec.StringArray(b.offs, b.data, valid)
	}
	b.reset(capRows)
	return out
}
