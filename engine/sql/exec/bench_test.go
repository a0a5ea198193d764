package exec

import (
	"context"
	"fmt"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
)

// benchStrings makes n strings "id%03d" (or "id%010d" when wide) over card
// distinct values.
func benchStrings(n, card int, wide bool) arrow.Array {
	b := NewStringBuilder(n, n*12)
	for i := 0; i < n; i++ {
		if wide {
			b.AppendString(fmt.Sprintf("id%010d", (i*7919)%card))
		} else {
			b.AppendString(fmt.Sprintf("id%03d", (i*7919)%card))
		}
	}
	return b.Finish()
}

func BenchmarkGroupTable(b *testing.B) {
	const n = 1 << 20
	ints := make([]int64, n)
	for i := range ints {
		ints[i] = int64((i * 7919) % 100000)
	}
	cases := map[string][]arrow.Array{
		"int64-100K":      {FixedArray(Int64, ints, nil)},
		"string5-100":     {benchStrings(n, 100, false)},
		"string12-100K":   {benchStrings(n, 100000, true)},
		"string5x2-10K":   {benchStrings(n, 100, false), benchStrings(n, 97, false)},
		"string12+int-1M": {benchStrings(n, 1<<20, true), FixedArray(Int64, ints, nil)},
	}
	for name, keys := range cases {
		b.Run(name, func(b *testing.B) {
			types := make([]arrow.DataType, len(keys))
			for i, k := range keys {
				types[i] = k.DataType()
			}
			gids := make([]int32, n)
			b.SetBytes(n)
			for i := 0; i < b.N; i++ {
				t := NewGroupTable(types)
				for off := 0; off < n; off += BatchSize {
					sl := make([]arrow.Array, len(keys))
					for k, a := range keys {
						sl[k] = arraySlice(a, off, off+BatchSize)
					}
					t.Insert(sl, gids[off:off+BatchSize])
					releaseArrays(sl)
				}
			}
		})
	}
}

func arraySlice(a arrow.Array, i, j int) arrow.Array {
	rec := NewRecord(arrow.NewSchema([]arrow.Field{{Name: "x", Type: a.DataType()}}, nil), []arrow.Array{retained(a)}, a.Len())
	defer rec.Release()
	s := rec.NewSlice(int64(i), int64(j))
	defer s.Release()
	c := s.Column(0)
	c.Retain()
	return c
}

func retained(a arrow.Array) arrow.Array { a.Retain(); return a }

// BenchmarkHashAggregate runs sum(v) GROUP BY k over 4M rows in 4
// partitions, partial and final around an in-process exchange.
func BenchmarkHashAggregate(b *testing.B) {
	const n = 1 << 20
	schema := arrow.NewSchema([]arrow.Field{{Name: "k", Type: String}, {Name: "v", Type: Int32}}, nil)
	keys := benchStrings(n, 100, false)
	vals := make([]int32, n)
	for i := range vals {
		vals[i] = int32(i % 5)
	}
	v := FixedArray(Int32, vals, nil)
	var parts [][]arrow.Record
	for p := 0; p < 4; p++ {
		var recs []arrow.Record
		for off := 0; off < n; off += BatchSize {
			rec := NewRecord(schema, []arrow.Array{retained(keys), retained(v)}, n)
			recs = append(recs, rec.NewSlice(int64(off), int64(off+BatchSize)))
			rec.Release()
		}
		parts = append(parts, recs)
	}
	k := &ColumnRef{Index: 0, Name: "k", T: String}
	sum := &AggFunc{Name: "sum", Args: []Expr{&ColumnRef{Index: 1, Name: "v", T: Int32}}, T: Int64}
	b.SetBytes(4 * n)
	for i := 0; i < b.N; i++ {
		scan := &MemoryScan{S: schema, Parts: parts}
		partial := NewHashAggregate(scan, Partial, []Expr{k}, []*AggFunc{sum}, []string{"k", "s"})
		ex := &Exchange{Child: partial, Kind: HashPartitioning, Keys: []Expr{k}, N: 2}
		final := NewHashAggregate(ex, Final, []Expr{k}, []*AggFunc{sum}, []string{"k", "s"})
		recs, err := Collect(context.Background(), final)
		if err != nil {
			b.Fatal(err)
		}
		ReleaseAll(recs)
	}
}

// BenchmarkGroupTableManyGroups inserts 4M distinct 40-byte keys (the
// q10 shape): growth and probing of a table far bigger than the caches.
func BenchmarkGroupTableManyGroups(b *testing.B) {
	const n = 4 << 20
	bld := NewStringBuilder(n, n*40)
	for i := 0; i < n; i++ {
		bld.AppendString(fmt.Sprintf("id%03d-id%03d-id%010d-%07d", i%100, i%97, i, i))
	}
	keys := bld.Finish()
	gids := make([]int32, n)
	for i := 0; i < b.N; i++ {
		t := NewGroupTable([]arrow.DataType{String})
		for off := 0; off < n; off += BatchSize {
			sl := arraySlice(keys, off, off+BatchSize)
			t.Insert([]arrow.Array{sl}, gids[off:off+BatchSize])
			sl.Release()
		}
	}
}
