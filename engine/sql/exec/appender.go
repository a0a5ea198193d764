package exec

import (
	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
)

// Appender builds a column by copying single values out of other columns of
// the same type. Operators that gather rows (case/when, joins, the group
// keys of an aggregate) use it; it is typed inside, so a copy is a slice
// append, not a boxed value.
type Appender interface {
	// AppendFrom copies row i of a (null or not).
	AppendFrom(a arrow.Array, i int)
	// AppendNull adds a null.
	AppendNull()
	// Len returns the number of values so far.
	Len() int
	// Finish returns the column built; the appender is then empty.
	Finish() arrow.Array
}

// NewAppender returns an Appender for columns of type dt.
func NewAppender(dt arrow.DataType) Appender {
	switch dt.ID() {
	case arrow.INT32:
		return &fixedAppender[int32]{dt: dt, get: func(a arrow.Array) []int32 { return a.(*array.Int32).Int32Values() }}
	case arrow.INT64:
		return &fixedAppender[int64]{dt: dt, get: func(a arrow.Array) []int64 { return a.(*array.Int64).Int64Values() }}
	case arrow.FLOAT64:
		return &fixedAppender[float64]{dt: dt, get: func(a arrow.Array) []float64 { return a.(*array.Float64).Float64Values() }}
	case arrow.DATE32:
		return &fixedAppender[arrow.Date32]{dt: dt, get: func(a arrow.Array) []arrow.Date32 { return a.(*array.Date32).Date32Values() }}
	case arrow.TIMESTAMP:
		return &fixedAppender[arrow.Timestamp]{dt: dt, get: func(a arrow.Array) []arrow.Timestamp { return a.(*array.Timestamp).TimestampValues() }}
	case arrow.STRING:
		return &stringAppender{b: NewStringBuilder(64, 256)}
	case arrow.BOOL:
		return &boolAppender{}
	}
	return &genericAppender{b: array.NewBuilder(memory.DefaultAllocator, dt)}
}

type fixedAppender[T any] struct {
	dt      arrow.DataType
	get     func(arrow.Array) []T
	src     arrow.Array
	srcVals []T
	vals    []T
	valid   Bitmap
	nulls   bool
}

func (f *fixedAppender[T]) AppendFrom(a arrow.Array, i int) {
	if a.IsNull(i) {
		f.AppendNull()
		return
	}
	if a != f.src {
		f.src, f.srcVals = a, f.get(a)
	}
	f.vals = append(f.vals, f.srcVals[i])
}

func (f *fixedAppender[T]) AppendNull() {
	n := len(f.vals)
	if !f.nulls {
		f.nulls = true
		f.valid = NewValidBitmap(n + 1)
	}
	for len(f.valid)*8 <= n {
		f.valid = append(f.valid, 0xff)
	}
	f.valid.Clear(n)
	var z T
	f.vals = append(f.vals, z)
}

func (f *fixedAppender[T]) Len() int { return len(f.vals) }

func (f *fixedAppender[T]) Finish() arrow.Array {
	var valid Bitmap
	if f.nulls {
		valid = fitBitmap(f.valid, len(f.vals))
	}
	out := FixedArray(f.dt, f.vals, valid)
	f.vals, f.valid, f.nulls, f.src, f.srcVals = nil, nil, false, nil, nil
	return out
}

func fitBitmap(b Bitmap, n int) Bitmap {
	need := (n + 7) / 8
	for len(b) < need {
		b = append(b, 0xff)
	}
	return b[:need]
}

type stringAppender struct {
	b *StringBuilder
}

func (s *stringAppender) AppendFrom(a arrow.Array, i int) {
	if a.IsNull(i) {
		s.b.AppendNull()
		return
	}
	sa := a.(*array.String)
	s.b.Append(strAt(sa, i))
}

func (s *stringAppender) AppendNull() { s.b.AppendNull() }
func (s *stringAppender) Len() int    { return s.b.Len() }
func (s *stringAppender) Finish() arrow.Array {
	out := s.b.Finish()
	s.b = NewStringBuilder(64, 256)
	return out
}

type boolAppender struct {
	vals, valid Bitmap
	n           int
	nulls       bool
}

func (b *boolAppender) grow() {
	if len(b.vals)*8 <= b.n {
		b.vals = append(b.vals, 0)
		b.valid = append(b.valid, 0xff)
	}
}

func (b *boolAppender) AppendFrom(a arrow.Array, i int) {
	if a.IsNull(i) {
		b.AppendNull()
		return
	}
	b.grow()
	if a.(*array.Boolean).Value(i) {
		b.vals.Set(b.n)
	}
	b.n++
}

func (b *boolAppender) AppendNull() {
	b.grow()
	b.nulls = true
	b.valid.Clear(b.n)
	b.n++
}

func (b *boolAppender) Len() int { return b.n }

func (b *boolAppender) Finish() arrow.Array {
	var valid Bitmap
	if b.nulls {
		valid = fitBitmap(b.valid, b.n)
	}
	out := BoolArray(fitBitmap(b.vals, b.n), valid, b.n)
	*b = boolAppender{}
	return out
}

type genericAppender struct {
	b array.Builder
}

func (g *genericAppender) AppendFrom(a arrow.Array, i int) { appendValue(g.b, ValueAt(a, i)) }
func (g *genericAppender) AppendNull()                     { g.b.AppendNull() }
func (g *genericAppender) Len() int                        { return g.b.Len() }
func (g *genericAppender) Finish() arrow.Array             { return g.b.NewArray() }
