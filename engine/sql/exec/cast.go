package exec

import (
	"bytes"
	"fmt"
	"math"
	"strconv"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
)

// CastArray converts arr to type to, following Spark's non-ANSI cast rules.
// The caller releases the result.
func CastArray(arr arrow.Array, to arrow.DataType) (arrow.Array, error) {
	from := arr.DataType()
	n := arr.Len()
	if arrow.TypeEqual(from, to) {
		arr.Retain()
		return arr, nil
	}
	if from.ID() == arrow.NULL {
		return NullArray(to, n), nil
	}
	valid := validBitmapOf(arr)
	switch to.ID() {
	case arrow.STRING:
		return castToString(arr), nil
	case arrow.INT32, arrow.INT64, arrow.FLOAT64:
		switch a := arr.(type) {
		case *array.Int8:
			return convertNum(to, widen(a.Int8Values()), valid), nil
		case *array.Int16:
			return convertNum(to, widen(a.Int16Values()), valid), nil
		case *array.Int32:
			return convertNum(to, a.Int32Values(), valid), nil
		case *array.Int64:
			return convertNum(to, a.Int64Values(), valid), nil
		case *array.Uint8:
			return convertNum(to, widen(a.Uint8Values()), valid), nil
		case *array.Uint16:
			return convertNum(to, widen(a.Uint16Values()), valid), nil
		case *array.Uint32:
			return convertNum(to, widen(a.Uint32Values()), valid), nil
		case *array.Uint64:
			return convertNum(to, widen(a.Uint64Values()), valid), nil
		case *array.Float32:
			vals := make([]float64, n)
			for i, v := range a.Float32Values() {
				vals[i] = float64(v)
			}
			return convertNum(to, vals, valid), nil
		case *array.Float64:
			return convertNum(to, a.Float64Values(), valid), nil
		case *array.Boolean:
			vals := make([]int64, n)
			for i := range vals {
				if a.Value(i) {
					vals[i] = 1
				}
			}
			return convertNum(to, vals, valid), nil
		case *array.Timestamp:
			vals := make([]int64, n)
			for i, v := range a.TimestampValues() {
				vals[i] = int64(v) / 1e6
			}
			return convertNum(to, vals, valid), nil
		case *array.Date32:
			return NullArray(to, n), nil
		case *array.String:
			return parseNumbers(a, to), nil
		}
	case arrow.BOOL:
		out := NewBitmap(n)
		switch a := arr.(type) {
		case *array.String:
			if valid == nil {
				valid = NewValidBitmap(n)
			}
			for i := 0; i < n; i++ {
				if a.IsNull(i) {
					continue
				}
				switch string(bytes.ToLower(bytes.TrimSpace(strAt(a, i)))) {
				case "t", "true", "y", "yes", "1":
					out.Set(i)
				case "f", "false", "n", "no", "0":
				default:
					valid.Clear(i)
				}
			}
			return BoolArray(out, valid, n), nil
		default:
			f, err := CastArray(arr, Float64)
			if err != nil {
				return nil, err
			}
			defer f.Release()
			for i, v := range f.(*array.Float64).Float64Values() {
				if v != 0 {
					out.Set(i)
				}
			}
			return BoolArray(out, valid, n), nil
		}
	case arrow.DATE32:
		out := make([]arrow.Date32, n)
		switch a := arr.(type) {
		case *array.String:
			if valid == nil {
				valid = NewValidBitmap(n)
			}
			for i := 0; i < n; i++ {
				if a.IsNull(i) {
					continue
				}
				d, ok := ParseDate(strAt(a, i))
				if !ok {
					valid.Clear(i)
				}
				out[i] = d
			}
			return FixedArray(to, out, valid), nil
		case *array.Timestamp:
			for i, v := range a.TimestampValues() {
				out[i] = arrow.Date32(floorDiv(int64(v), microsPerDay))
			}
			return FixedArray(to, out, valid), nil
		}
	case arrow.TIMESTAMP:
		out := make([]arrow.Timestamp, n)
		switch a := arr.(type) {
		case *array.String:
			if valid == nil {
				valid = NewValidBitmap(n)
			}
			for i := 0; i < n; i++ {
				if a.IsNull(i) {
					continue
				}
				t, ok := ParseTimestamp(strAt(a, i))
				if !ok {
					valid.Clear(i)
				}
				out[i] = t
			}
			return FixedArray(to, out, valid), nil
		case *array.Date32:
			for i, v := range a.Date32Values() {
				out[i] = arrow.Timestamp(int64(v) * microsPerDay)
			}
			return FixedArray(to, out, valid), nil
		case *array.Timestamp:
			// Another unit or zone: normalise to microseconds.
			unit := a.DataType().(*arrow.TimestampType).Unit
			for i, v := range a.TimestampValues() {
				out[i] = arrow.Timestamp(toMicros(int64(v), unit))
			}
			return FixedArray(to, out, valid), nil
		case *array.Int32, *array.Int64, *array.Float64:
			f, err := CastArray(arr, Float64)
			if err != nil {
				return nil, err
			}
			defer f.Release()
			for i, v := range f.(*array.Float64).Float64Values() {
				out[i] = arrow.Timestamp(v * 1e6)
			}
			return FixedArray(to, out, valid), nil
		}
	case arrow.LIST:
		if from.ID() == arrow.LIST {
			return castList(arr.(*array.List), to.(*arrow.ListType))
		}
	}
	return nil, fmt.Errorf("cannot cast %s to %s", SimpleString(from), SimpleString(to))
}

func toMicros(v int64, unit arrow.TimeUnit) int64 {
	switch unit {
	case arrow.Second:
		return v * 1e6
	case arrow.Millisecond:
		return v * 1e3
	case arrow.Nanosecond:
		return v / 1e3
	}
	return v
}

func castList(a *array.List, to *arrow.ListType) (arrow.Array, error) {
	vals, err := CastArray(a.ListValues(), to.Elem())
	if err != nil {
		return nil, err
	}
	defer vals.Release()
	d := a.Data()
	nd := array.NewData(to, a.Len(), d.Buffers(), []arrow.ArrayData{vals.Data()}, a.NullN(), d.Offset())
	defer nd.Release()
	return array.MakeFromData(nd), nil
}

type integer interface {
	~int8 | ~int16 | ~int32 | ~int64 | ~uint8 | ~uint16 | ~uint32 | ~uint64
}

func widen[T integer](in []T) []int64 {
	out := make([]int64, len(in))
	for i, v := range in {
		out[i] = int64(v)
	}
	return out
}

func convertNum[T number](to arrow.DataType, in []T, valid Bitmap) arrow.Array {
	switch to.ID() {
	case arrow.INT32:
		out := make([]int32, len(in))
		for i, v := range in {
			out[i] = int32(v)
		}
		return FixedArray(to, out, valid)
	case arrow.INT64:
		out := make([]int64, len(in))
		for i, v := range in {
			out[i] = int64(v)
		}
		return FixedArray(to, out, valid)
	default:
		out := make([]float64, len(in))
		for i, v := range in {
			out[i] = float64(v)
		}
		return FixedArray(to, out, valid)
	}
}

func parseNumbers(a *array.String, to arrow.DataType) arrow.Array {
	n := a.Len()
	valid := NewValidBitmap(n)
	switch to.ID() {
	case arrow.FLOAT64:
		out := make([]float64, n)
		for i := 0; i < n; i++ {
			if a.IsNull(i) {
				valid.Clear(i)
				continue
			}
			v, err := strconv.ParseFloat(unsafeString(bytes.TrimSpace(strAt(a, i))), 64)
			if err != nil {
				valid.Clear(i)
			}
			out[i] = v
		}
		return FixedArray(to, out, valid)
	default:
		out := make([]int64, n)
		for i := 0; i < n; i++ {
			if a.IsNull(i) {
				valid.Clear(i)
				continue
			}
			s := bytes.TrimSpace(strAt(a, i))
			v, ok := ParseInt(s)
			if !ok {
				f, err := strconv.ParseFloat(unsafeString(s), 64)
				if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
					valid.Clear(i)
				}
				v = int64(f)
			}
			if to.ID() == arrow.INT32 && (v > math.MaxInt32 || v < math.MinInt32) {
				valid.Clear(i)
			}
			out[i] = v
		}
		return convertNum(to, out, valid)
	}
}

// ParseInt parses an optionally signed decimal integer without allocating.
func ParseInt(s []byte) (int64, bool) {
	if len(s) == 0 {
		return 0, false
	}
	neg := false
	i := 0
	if s[0] == '-' || s[0] == '+' {
		neg = s[0] == '-'
		i = 1
		if len(s) == 1 {
			return 0, false
		}
	}
	if len(s)-i > 18 {
		v, err := strconv.ParseInt(unsafeString(s), 10, 64)
		return v, err == nil
	}
	var v int64
	for ; i < len(s); i++ {
		c := s[i] - '0'
		if c > 9 {
			return 0, false
		}
		v = v*10 + int64(c)
	}
	if neg {
		v = -v
	}
	return v, true
}

func castToString(arr arrow.Array) arrow.Array {
	n := arr.Len()
	b := NewStringBuilder(n, n*8)
	var buf []byte
	for i := 0; i < n; i++ {
		if arr.IsNull(i) {
			b.AppendNull()
			continue
		}
		buf = buf[:0]
		switch a := arr.(type) {
		case *array.Int32:
			buf = strconv.AppendInt(buf, int64(a.Value(i)), 10)
		case *array.Int64:
			buf = strconv.AppendInt(buf, a.Value(i), 10)
		case *array.Float64:
			buf = append(buf, FormatDouble(a.Value(i))...)
		case *array.Boolean:
			buf = strconv.AppendBool(buf, a.Value(i))
		default:
			buf = append(buf, FormatValue(ValueAt(arr, i), arr.DataType())...)
		}
		b.Append(buf)
	}
	return b.Finish()
}
