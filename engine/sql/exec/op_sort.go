package exec

import (
	"context"
	"fmt"

	"github.com/apache/arrow/go/v17/arrow"
)

// Sort orders each partition by Keys. A global ORDER BY is a Sort over a
// single-partition Exchange.
type Sort struct {
	Child Operator
	Keys  []SortKey
}

// Schema is the child's schema.
func (s *Sort) Schema() *arrow.Schema { return s.Child.Schema() }

// Children returns the input.
func (s *Sort) Children() []Operator { return []Operator{s.Child} }

// Partitions is the child's.
func (s *Sort) Partitions() int { return s.Child.Partitions() }

// String describes a Sort on one line, as Explain shows it.
func (s *Sort) String() string { return fmt.Sprintf("Sort [%s]", sortKeysString(s.Keys)) }

// Execute reads the whole partition, sorts it and streams it in batches.
func (s *Sort) Execute(ctx context.Context, p int) (Stream, error) {
	in, err := s.Child.Execute(ctx, p)
	if err != nil {
		return nil, err
	}
	recs, err := Drain(in)
	if err != nil {
		return nil, err
	}
	all := ConcatRecords(s.Schema(), recs)
	ReleaseAll(recs)
	defer all.Release()
	idx, err := SortIndices(all, s.Keys)
	if err != nil {
		return nil, err
	}
	sorted := TakeRecord(all, idx)
	return recordSlices(sorted), nil
}

// recordSlices streams rec in slices of BatchSize rows and releases it.
func recordSlices(rec arrow.Record) Stream {
	var off int64
	return &funcStream{next: func() (arrow.Record, error) {
		if rec == nil || off >= rec.NumRows() {
			return nil, nil
		}
		end := min(off+BatchSize, rec.NumRows())
		out := rec.NewSlice(off, end)
		off = end
		return out, nil
	}, close: func() {
		if rec != nil {
			rec.Release()
			rec = nil
		}
	}}
}
