package exec

import (
	"context"
	"fmt"

	"github.com/apache/arrow/go/v17/arrow"
)

// Union concatenates the partitions of its children (UNION ALL); every
// child has the same column types, and the first child names them.
type Union struct {
	Inputs []Operator
}

// Schema is the first child's schema.
func (u *Union) Schema() *arrow.Schema { return u.Inputs[0].Schema() }

// Children returns the inputs.
func (u *Union) Children() []Operator { return u.Inputs }

// Partitions is the sum of the children's.
func (u *Union) Partitions() int {
	n := 0
	for _, c := range u.Inputs {
		n += c.Partitions()
	}
	return n
}

// String describes an Union on one line, as Explain shows it.
func (u *Union) String() string { return "Union" }

// Execute streams the child partition that p maps to, renamed to the
// union's schema.
func (u *Union) Execute(ctx context.Context, p int) (Stream, error) {
	for _, c := range u.Inputs {
		if p < c.Partitions() {
			in, err := c.Execute(ctx, p)
			if err != nil {
				return nil, err
			}
			s := u.Schema()
			return &funcStream{close: in.Close, next: func() (arrow.Record, error) {
				rec, err := in.Next()
				if rec == nil || err != nil {
					return nil, err
				}
				cols := rec.Columns()
				for _, c := range cols {
					c.Retain()
				}
				out := NewRecord(s, cols, int(rec.NumRows()))
				rec.Release()
				return out, nil
			}}, nil
		}
		p -= c.Partitions()
	}
	return nil, fmt.Errorf("union has no partition %d", p)
}
