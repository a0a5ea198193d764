package exec

import (
	"context"
	"fmt"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
)

// WindowGroupLimit keeps, for each group of PartitionBy, only the first K
// rows by OrderBy: the rows a row_number() <= K filter above a Window can
// keep (Spark 3.5's InsertWindowGroupLimit). It runs before the exchange
// of the window, so that only K rows per group and input partition are
// shuffled and sorted, and again after it. Ties are broken arbitrarily, as
// row_number does. It keeps a bounded heap per group; the order key is a
// single int, bigint, double, date or timestamp column, which the planner
// checks.
type WindowGroupLimit struct {
	Child       Operator
	PartitionBy []Expr
	OrderBy     SortKey
	K           int
}

// Schema is the child's.
func (w *WindowGroupLimit) Schema() *arrow.Schema { return w.Child.Schema() }

// Children returns the input.
func (w *WindowGroupLimit) Children() []Operator { return []Operator{w.Child} }

// Partitions is the child's.
func (w *WindowGroupLimit) Partitions() int { return w.Child.Partitions() }

// String describes a WindowGroupLimit on one line, as Explain shows it.
func (w *WindowGroupLimit) String() string {
	return fmt.Sprintf("WindowGroupLimit [%s], [%s], row_number(), %d", joinExprs(w.PartitionBy), w.OrderBy, w.K)
}

// WindowGroupLimitSupports reports whether an order key type has the fast
// path.
func WindowGroupLimitSupports(dt arrow.DataType) bool {
	switch dt.ID() {
	case arrow.INT32, arrow.INT64, arrow.FLOAT64, arrow.DATE32, arrow.TIMESTAMP:
		return true
	}
	return false
}

// Execute keeps the top K rows of each group of one partition.
func (w *WindowGroupLimit) Execute(ctx context.Context, p int) (Stream, error) {
	in, err := w.Child.Execute(ctx, p)
	if err != nil {
		return nil, err
	}
	recs, err := Drain(in)
	if err != nil {
		return nil, err
	}
	defer ReleaseAll(recs)
	var table GroupTable
	k := w.K
	// Per group: up to k candidates as (key, batch, row), best first.
	var keys []float64
	var refs []int64
	var counts []int32
	better := func(a, b float64) bool {
		if w.OrderBy.Desc {
			return a > b
		}
		return a < b
	}
	var nullRefs map[int32][]int64 // rows with a NULL order key, per group
	for bi, rec := range recs {
		n := int(rec.NumRows())
		pk, err := evalAll(w.PartitionBy, rec)
		if err != nil {
			return nil, err
		}
		if table == nil {
			types := make([]arrow.DataType, len(pk))
			for i, c := range pk {
				types[i] = c.DataType()
			}
			table = NewGroupTable(types)
		}
		gids := make([]int32, n)
		if len(pk) > 0 {
			table.Insert(pk, gids)
		}
		releaseArrays(pk)
		ok, err := w.OrderBy.X.Eval(rec)
		if err != nil {
			return nil, err
		}
		vals := orderFloats(ok)
		ng := 1
		if len(w.PartitionBy) > 0 {
			ng = table.Len()
		}
		for len(counts) < ng {
			counts = append(counts, 0)
			keys = append(keys, make([]float64, k)...)
			refs = append(refs, make([]int64, k)...)
		}
		hasNull := ok.NullN() > 0
		for r, g := range gids {
			ref := int64(bi)<<32 | int64(r)
			if hasNull && ok.IsNull(r) {
				if nullRefs == nil {
					nullRefs = map[int32][]int64{}
				}
				if len(nullRefs[g]) < k {
					nullRefs[g] = append(nullRefs[g], ref)
				}
				continue
			}
			v := vals[r]
			base := int(g) * k
			c := int(counts[g])
			if c == k && !better(v, keys[base+k-1]) {
				continue
			}
			// Insert v in order.
			pos := c
			if c == k {
				pos = k - 1
			} else {
				counts[g]++
			}
			for pos > 0 && better(v, keys[base+pos-1]) {
				keys[base+pos] = keys[base+pos-1]
				refs[base+pos] = refs[base+pos-1]
				pos--
			}
			keys[base+pos] = v
			refs[base+pos] = ref
		}
		ok.Release()
	}
	// Gather the kept rows batch by batch.
	perBatch := make([][]int32, len(recs))
	for g, c := range counts {
		kept := refs[g*k : g*k+int(c)]
		// NULL order keys sort last (desc) or first (asc) by Spark's
		// defaults; keep them when there is room.
		if nr := nullRefs[int32(g)]; len(nr) > 0 {
			if w.OrderBy.NullsFirst {
				kept = append(append([]int64{}, nr...), kept...)
			} else {
				kept = append(append([]int64{}, kept...), nr...)
			}
			if len(kept) > k {
				kept = kept[:k]
			}
		}
		for _, ref := range kept {
			b := int(ref >> 32)
			perBatch[b] = append(perBatch[b], int32(ref&0xffffffff))
		}
	}
	for g, nr := range nullRefs {
		if int(g) < len(counts) {
			continue
		}
		for _, ref := range nr {
			b := int(ref >> 32)
			perBatch[b] = append(perBatch[b], int32(ref&0xffffffff))
		}
	}
	var out []arrow.Record
	for b, idx := range perBatch {
		if len(idx) > 0 {
			out = append(out, TakeRecord(recs[b], idx))
		}
	}
	all := ConcatRecords(w.Schema(), out)
	ReleaseAll(out)
	return recordSlices(all), nil
}

// orderFloats returns the order key as doubles (ints up to 2^53 exactly,
// which keeps their order).
func orderFloats(a arrow.Array) []float64 {
	switch x := a.(type) {
	case *array.Float64:
		return x.Float64Values()
	case *array.Int32:
		out := make([]float64, x.Len())
		for i, v := range x.Int32Values() {
			out[i] = float64(v)
		}
		return out
	case *array.Int64:
		out := make([]float64, x.Len())
		for i, v := range x.Int64Values() {
			out[i] = float64(v)
		}
		return out
	case *array.Date32:
		out := make([]float64, x.Len())
		for i, v := range x.Date32Values() {
			out[i] = float64(v)
		}
		return out
	case *array.Timestamp:
		out := make([]float64, x.Len())
		for i, v := range x.TimestampValues() {
			out[i] = float64(v)
		}
		return out
	}
	panic("exec: WindowGroupLimit order key " + a.DataType().String())
}
