package exec

import (
	"context"
	"fmt"

	"github.com/apache/arrow/go/v17/arrow"
)

// CoalescePartitions merges its child's partitions into N without a
// shuffle: output partition i reads input partitions i, i+N, i+2N, ….
type CoalescePartitions struct {
	Child Operator
	N     int
}

// Schema is the child's.
func (c *CoalescePartitions) Schema() *arrow.Schema { return c.Child.Schema() }

// Children returns the input.
func (c *CoalescePartitions) Children() []Operator { return []Operator{c.Child} }

// Partitions returns N (or fewer, if the child has fewer).
func (c *CoalescePartitions) Partitions() int { return max(1, min(c.N, c.Child.Partitions())) }

// String describes a CoalescePartitions on one line, as Explain shows it.
func (c *CoalescePartitions) String() string { return fmt.Sprintf("Coalesce %d", c.N) }

// Execute chains the input partitions of output partition p.
func (c *CoalescePartitions) Execute(ctx context.Context, p int) (Stream, error) {
	n := c.Partitions()
	next := p
	var cur Stream
	return FuncStream(func() (arrow.Record, error) {
		for {
			if cur == nil {
				if next >= c.Child.Partitions() {
					return nil, nil
				}
				s, err := c.Child.Execute(ctx, next)
				if err != nil {
					return nil, err
				}
				cur = s
				next += n
			}
			rec, err := cur.Next()
			if err != nil {
				return nil, err
			}
			if rec != nil {
				return rec, nil
			}
			cur.Close()
			cur = nil
		}
	}, func() {
		if cur != nil {
			cur.Close()
		}
	}), nil
}
