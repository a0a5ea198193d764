package exec

import (
	"context"
	"fmt"

	"github.com/apache/arrow/go/v17/arrow"
)

// TopN keeps the first N rows of each partition by Keys, holding at most
// about N rows plus one batch at a time. Over a single-partition Exchange of
// per-partition TopNs it is ORDER BY … LIMIT N.
type TopN struct {
	Child Operator
	Keys  []SortKey
	N     int
}

// Schema is the child's schema.
func (t *TopN) Schema() *arrow.Schema { return t.Child.Schema() }

// Children returns the input.
func (t *TopN) Children() []Operator { return []Operator{t.Child} }

// Partitions is the child's.
func (t *TopN) Partitions() int { return t.Child.Partitions() }

// String describes a TopN on one line, as Explain shows it.
func (t *TopN) String() string {
	return fmt.Sprintf("TakeOrderedAndProject(limit=%d, orderBy=[%s])", t.N, sortKeysString(t.Keys))
}

// Execute computes the partition's top N.
func (t *TopN) Execute(ctx context.Context, p int) (Stream, error) {
	in, err := t.Child.Execute(ctx, p)
	if err != nil {
		return nil, err
	}
	defer in.Close()
	var best arrow.Record
	for {
		rec, err := in.Next()
		if err != nil {
			if best != nil {
				best.Release()
			}
			return nil, err
		}
		if rec == nil {
			break
		}
		parts := []arrow.Record{rec}
		if best != nil {
			parts = append(parts, best)
		}
		all := ConcatRecords(t.Schema(), parts)
		ReleaseAll(parts)
		idx, err := SortIndices(all, t.Keys)
		if err != nil {
			all.Release()
			return nil, err
		}
		if len(idx) > t.N {
			idx = idx[:t.N]
		}
		best = TakeRecord(all, idx)
		all.Release()
	}
	return recordSlices(best), nil
}
