package exec

import (
	"context"
	"fmt"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
)

// Filter keeps the rows where Pred is true (not false, not NULL).
type Filter struct {
	Child Operator
	Pred  Expr
}

// Schema is the child's schema.
func (f *Filter) Schema() *arrow.Schema { return f.Child.Schema() }

// Children returns the input.
func (f *Filter) Children() []Operator { return []Operator{f.Child} }

// Partitions is the child's.
func (f *Filter) Partitions() int { return f.Child.Partitions() }

// String describes a Filter on one line, as Explain shows it.
func (f *Filter) String() string { return fmt.Sprintf("Filter %s", f.Pred) }

// Execute filters one partition batch by batch.
func (f *Filter) Execute(ctx context.Context, p int) (Stream, error) {
	in, err := f.Child.Execute(ctx, p)
	if err != nil {
		return nil, err
	}
	return &funcStream{close: in.Close, next: func() (arrow.Record, error) {
		for {
			rec, err := in.Next()
			if rec == nil || err != nil {
				return nil, err
			}
			out, err := FilterRecord(rec, f.Pred)
			rec.Release()
			if err != nil {
				return nil, err
			}
			if out.NumRows() > 0 {
				return out, nil
			}
			out.Release()
		}
	}}, nil
}

// FilterRecord returns the rows of rec where pred is true.
func FilterRecord(rec arrow.Record, pred Expr) (arrow.Record, error) {
	m, err := pred.Eval(rec)
	if err != nil {
		return nil, err
	}
	defer m.Release()
	idx := SelectedRows(m)
	if len(idx) == int(rec.NumRows()) {
		rec.Retain()
		return rec, nil
	}
	return TakeRecord(rec, idx), nil
}

// SelectedRows returns the positions where a boolean column is true.
func SelectedRows(m arrow.Array) []int32 {
	b, ok := m.(*array.Boolean)
	n := m.Len()
	idx := make([]int32, 0, n)
	if !ok {
		return idx
	}
	nulls := b.NullN() > 0
	for i := 0; i < n; i++ {
		if b.Value(i) && (!nulls || b.IsValid(i)) {
			idx = append(idx, int32(i))
		}
	}
	return idx
}
