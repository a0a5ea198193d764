package exec

import (
	"fmt"
	"math"
	"strconv"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
)

// Expr is a physical expression: it computes one column from a record
// batch. Implementations are typed kernels over Arrow buffers; none boxes a
// row into an interface value.
type Expr interface {
	// Type is the Arrow type of the result.
	Type() arrow.DataType
	// Eval returns a column with one value per row of rec. The caller
	// releases it.
	Eval(rec arrow.Record) (arrow.Array, error)
	// String renders the expression for Explain.
	String() string
}

// ColumnRef reads column Index of the input batch.
type ColumnRef struct {
	Index int
	Name  string
	T     arrow.DataType
}

// Type returns the column's type.
func (c *ColumnRef) Type() arrow.DataType { return c.T }

// Eval returns the column itself, retained.
func (c *ColumnRef) Eval(rec arrow.Record) (arrow.Array, error) {
	a := rec.Column(c.Index)
	a.Retain()
	return a, nil
}

// String describes a ColumnRef on one line, as Explain shows it.
func (c *ColumnRef) String() string { return c.Name + "#" + strconv.Itoa(c.Index) }

// Literal is a constant. Val holds a Go value of the kind that matches T:
// bool, int32, int64, float64, string, arrow.Date32, arrow.Timestamp, or
// nil for NULL.
type Literal struct {
	Val any
	T   arrow.DataType
}

// Type returns the literal's type.
func (l *Literal) Type() arrow.DataType { return l.T }

// Eval returns the constant repeated once per row.
func (l *Literal) Eval(rec arrow.Record) (arrow.Array, error) {
	return ConstArray(l.Val, l.T, int(rec.NumRows())), nil
}

// String describes a Literal on one line, as Explain shows it.
func (l *Literal) String() string {
	if l.Val == nil {
		return "null"
	}
	if s, ok := l.Val.(string); ok {
		return strconv.Quote(s)
	}
	return FormatValue(l.Val, l.T)
}

// ConstArray returns n copies of v (a Go value matching dt, or nil).
func ConstArray(v any, dt arrow.DataType, n int) arrow.Array {
	if v == nil {
		return NullArray(dt, n)
	}
	switch x := v.(type) {
	case bool:
		vals := NewBitmap(n)
		if x {
			vals = NewValidBitmap(n)
		}
		return BoolArray(vals, nil, n)
	case int32:
		return FixedArray(dt, fill(n, x), nil)
	case int64:
		return FixedArray(dt, fill(n, x), nil)
	case float64:
		return FixedArray(dt, fill(n, x), nil)
	case arrow.Date32:
		return FixedArray(dt, fill(n, x), nil)
	case arrow.Timestamp:
		return FixedArray(dt, fill(n, x), nil)
	case string:
		b := NewStringBuilder(n, n*len(x))
		for i := 0; i < n; i++ {
			b.AppendString(x)
		}
		return b.Finish()
	}
	b := array.NewBuilder(memory.DefaultAllocator, dt)
	defer b.Release()
	for i := 0; i < n; i++ {
		appendValue(b, v)
	}
	return b.NewArray()
}

func fill[T any](n int, v T) []T {
	s := make([]T, n)
	for i := range s {
		s[i] = v
	}
	return s
}

func appendValue(b array.Builder, v any) {
	if v == nil {
		b.AppendNull()
		return
	}
	switch bb := b.(type) {
	case *array.ListBuilder:
		bb.Append(true)
		for _, e := range v.([]any) {
			appendValue(bb.ValueBuilder(), e)
		}
	case *array.BooleanBuilder:
		bb.Append(v.(bool))
	case *array.Int32Builder:
		bb.Append(v.(int32))
	case *array.Int64Builder:
		bb.Append(v.(int64))
	case *array.Float64Builder:
		bb.Append(v.(float64))
	case *array.StringBuilder:
		bb.Append(v.(string))
	case *array.Date32Builder:
		bb.Append(v.(arrow.Date32))
	case *array.TimestampBuilder:
		bb.Append(v.(arrow.Timestamp))
	default:
		panic(fmt.Sprintf("exec: cannot append %T to %T", v, b))
	}
}

// ValueAt returns row i of arr as a Go value (nil for null): bool, int32,
// int64, float64, string, arrow.Date32, arrow.Timestamp or []any. It boxes,
// so it is for results handed to the user, never for kernels.
func ValueAt(arr arrow.Array, i int) any {
	if arr.IsNull(i) {
		return nil
	}
	switch a := arr.(type) {
	case *array.Boolean:
		return a.Value(i)
	case *array.Int8:
		return int32(a.Value(i))
	case *array.Int16:
		return int32(a.Value(i))
	case *array.Int32:
		return a.Value(i)
	case *array.Int64:
		return a.Value(i)
	case *array.Float32:
		return float64(a.Value(i))
	case *array.Float64:
		return a.Value(i)
	case *array.String:
		return a.Value(i)
	case *array.LargeString:
		return a.Value(i)
	case *array.Binary:
		return string(a.Value(i))
	case *array.Date32:
		return a.Value(i)
	case *array.Timestamp:
		return a.Value(i)
	case *array.List:
		beg, end := a.ValueOffsets(i)
		vals := a.ListValues()
		out := make([]any, 0, end-beg)
		for j := beg; j < end; j++ {
			out = append(out, ValueAt(vals, int(j)))
		}
		return out
	case *array.Null:
		return nil
	}
	return arr.ValueStr(i)
}

// FormatValue renders a Go value of type dt as Spark's show() does.
func FormatValue(v any, dt arrow.DataType) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case bool:
		return strconv.FormatBool(x)
	case int32:
		return strconv.FormatInt(int64(x), 10)
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return FormatDouble(x)
	case string:
		return x
	case arrow.Date32:
		return x.ToTime().Format("2006-01-02")
	case arrow.Timestamp:
		return formatTimestamp(x)
	case []any:
		s := "["
		var et arrow.DataType = Null
		if lt, ok := dt.(*arrow.ListType); ok {
			et = lt.Elem()
		}
		for i, e := range x {
			if i > 0 {
				s += ", "
			}
			s += FormatValue(e, et)
		}
		return s + "]"
	}
	return fmt.Sprint(v)
}

// FormatDouble renders a double the way Java's Double.toString does for
// the common cases: "1.0", "0.5", "1.0E10", "NaN", "Infinity".
func FormatDouble(f float64) string {
	switch {
	case f != f:
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	}
	abs := f
	if abs < 0 {
		abs = -abs
	}
	if abs != 0 && (abs >= 1e7 || abs < 1e-3) {
		s := strconv.FormatFloat(f, 'E', -1, 64)
		// Java writes 1.0E10, Go 1E+10.
		mant, exp := s, ""
		for i := 0; i < len(s); i++ {
			if s[i] == 'E' {
				mant, exp = s[:i], s[i+1:]
				break
			}
		}
		if !containsByte(mant, '.') {
			mant += ".0"
		}
		if len(exp) > 0 && exp[0] == '+' {
			exp = exp[1:]
		}
		for len(exp) > 1 && exp[0] == '0' {
			exp = exp[1:]
		}
		if len(exp) > 2 && exp[0] == '-' && exp[1] == '0' {
			exp = "-" + exp[2:]
		}
		return mant + "E" + exp
	}
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if !containsByte(s, '.') {
		s += ".0"
	}
	return s
}

func containsByte(s string, c byte) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return true
		}
	}
	return false
}
