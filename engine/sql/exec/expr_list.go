package exec

import (
	"fmt"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
)

// ListSize is size(array): the number of elements, -1 for NULL (Spark's
// legacy sizeOfNull default).
type ListSize struct{ X Expr }

// Type is int.
func (e *ListSize) Type() arrow.DataType { return Int32 }

// String describes a ListSize on one line, as Explain shows it.
func (e *ListSize) String() string { return fmt.Sprintf("size(%s)", e.X) }

// Eval counts the elements of each row.
func (e *ListSize) Eval(rec arrow.Record) (arrow.Array, error) {
	x, err := e.X.Eval(rec)
	if err != nil {
		return nil, err
	}
	defer x.Release()
	l := x.(*array.List)
	out := make([]int32, l.Len())
	for i := range out {
		if l.IsNull(i) {
			out[i] = -1
			continue
		}
		b, en := l.ValueOffsets(i)
		out[i] = int32(en - b)
	}
	return FixedArray(Int32, out, nil), nil
}

// ListContains is array_contains(array, value).
type ListContains struct{ X, V Expr }

// Type is boolean.
func (e *ListContains) Type() arrow.DataType { return Boolean }

// String describes a ListContains on one line, as Explain shows it.
func (e *ListContains) String() string { return fmt.Sprintf("array_contains(%s, %s)", e.X, e.V) }

// Eval tests each row's array for the value.
func (e *ListContains) Eval(rec arrow.Record) (arrow.Array, error) {
	x, err := e.X.Eval(rec)
	if err != nil {
		return nil, err
	}
	defer x.Release()
	v, err := e.V.Eval(rec)
	if err != nil {
		return nil, err
	}
	defer v.Release()
	l := x.(*array.List)
	vals := l.ListValues()
	n := l.Len()
	out := NewBitmap(n)
	valid := NewValidBitmap(n)
	for i := 0; i < n; i++ {
		if l.IsNull(i) || v.IsNull(i) {
			valid.Clear(i)
			continue
		}
		want := ValueAt(v, i)
		b, en := l.ValueOffsets(i)
		for j := b; j < en; j++ {
			if ValueAt(vals, int(j)) == want {
				out.Set(i)
				break
			}
		}
	}
	return BoolArray(out, valid, n), nil
}
