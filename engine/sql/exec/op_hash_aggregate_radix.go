package exec

import (
	"context"

	"github.com/apache/arrow/go/v17/arrow"
)

// radixRows is the input size from which a Final aggregate partitions its
// rows by key hash before aggregating: past a few million groups a single
// table no longer fits the caches, and every probe waits on memory.
const radixRows = 1 << 20

// radixBits sets the number of sub-aggregations (2^radixBits).
const radixBits = 4

// executeRadix runs a Final aggregate whose input is large: it reads the
// whole partition, hashes the keys once, and aggregates each hash range
// on its own, so each group table is a fraction of the size (DuckDB's
// radix-partitioned aggregation, in miniature). It returns nil when the
// input is small, with the batches read so far for the ordinary path.
func (h *HashAggregate) executeRadix(ctx context.Context, in Stream) (Stream, []arrow.Record, error) {
	var recs []arrow.Record
	rows := 0
	for rows < radixRows {
		rec, err := in.Next()
		if err != nil {
			ReleaseAll(recs)
			return nil, nil, err
		}
		if rec == nil {
			return nil, recs, nil
		}
		recs = append(recs, rec)
		rows += int(rec.NumRows())
	}
	for {
		rec, err := in.Next()
		if err != nil {
			ReleaseAll(recs)
			return nil, nil, err
		}
		if rec == nil {
			break
		}
		recs = append(recs, rec)
	}
	const parts = 1 << radixBits
	// Split every batch by the top bits of the key hash.
	split := make([][]arrow.Record, parts)
	nk := len(h.Keys)
	var hashes []uint64
	for _, rec := range recs {
		n := int(rec.NumRows())
		keys := make([]arrow.Array, nk)
		for i := range keys {
			keys[i] = rec.Column(i)
		}
		if cap(hashes) < n {
			hashes = make([]uint64, n)
		}
		hashes = hashes[:n]
		HashColumns(keys, hashes)
		idx := make([][]int32, parts)
		for i, hv := range hashes {
			b := mix64(hv) >> (64 - radixBits)
			idx[b] = append(idx[b], int32(i))
		}
		for b, rows := range idx {
			if len(rows) > 0 {
				split[b] = append(split[b], TakeRecord(rec, rows))
			}
		}
		rec.Release()
	}
	p := 0
	var out []arrow.Record
	next := func() (arrow.Record, error) {
		for len(out) == 0 {
			if p >= parts {
				return nil, nil
			}
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			st := h.newState()
			for _, rec := range split[p] {
				err := st.add(rec)
				rec.Release()
				if err != nil {
					return nil, err
				}
			}
			split[p] = nil
			p++
			if st.groups == 0 {
				continue
			}
			res := st.emit()
			for off := int64(0); off < res.NumRows(); off += BatchSize {
				out = append(out, res.NewSlice(off, min(off+BatchSize, res.NumRows())))
			}
			res.Release()
		}
		r := out[0]
		out = out[1:]
		return r, nil
	}
	return FuncStream(next, func() {
		in.Close()
		ReleaseAll(out)
		for _, s := range split {
			ReleaseAll(s)
		}
	}), nil, nil
}
