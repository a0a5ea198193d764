package exec

import (
	"context"
	"fmt"

	"github.com/apache/arrow/go/v17/arrow"
)

// Limit passes the first N rows of each partition (and skips the first
// Offset). Over a single-partition Exchange of per-partition Limits it is a
// global LIMIT.
type Limit struct {
	Child  Operator
	N      int
	Offset int
}

// Schema is the child's schema.
func (l *Limit) Schema() *arrow.Schema { return l.Child.Schema() }

// Children returns the input.
func (l *Limit) Children() []Operator { return []Operator{l.Child} }

// Partitions is the child's.
func (l *Limit) Partitions() int { return l.Child.Partitions() }

// String describes a Limit on one line, as Explain shows it.
func (l *Limit) String() string {
	if l.Offset > 0 {
		return fmt.Sprintf("Limit %d offset %d", l.N, l.Offset)
	}
	return fmt.Sprintf("Limit %d", l.N)
}

// Execute stops reading once N rows have passed.
func (l *Limit) Execute(ctx context.Context, p int) (Stream, error) {
	in, err := l.Child.Execute(ctx, p)
	if err != nil {
		return nil, err
	}
	left, skip := l.N, l.Offset
	return &funcStream{close: in.Close, next: func() (arrow.Record, error) {
		for left > 0 {
			rec, err := in.Next()
			if rec == nil || err != nil {
				return nil, err
			}
			n := int(rec.NumRows())
			if skip >= n {
				skip -= n
				rec.Release()
				continue
			}
			end := min(n, skip+left)
			out := rec.NewSlice(int64(skip), int64(end))
			rec.Release()
			left -= end - skip
			skip = 0
			return out, nil
		}
		return nil, nil
	}}, nil
}
