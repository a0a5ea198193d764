package exec

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/apache/arrow/go/v17/arrow"
)

// JoinType is the kind of join an operator performs. Right outer joins are
// planned as left outer joins with the sides swapped.
type JoinType int

// The join types.
const (
	InnerJoin JoinType = iota
	LeftOuterJoin
	FullOuterJoin
	LeftSemiJoin
	LeftAntiJoin
)

var joinTypeNames = [...]string{"Inner", "LeftOuter", "FullOuter", "LeftSemi", "LeftAnti"}

// String describes a JoinType on one line, as Explain shows it.
func (t JoinType) String() string { return joinTypeNames[t] }

// HashJoin joins Left (the probe side, streamed) with Right (the build
// side, held in a hash table on RightKeys). With Broadcast set, every
// partition of Left probes one table built from all of Right (a broadcast
// hash join); otherwise both sides are partitioned alike on the keys and
// partition p joins with partition p (a shuffled hash join). Without keys
// it is a nested-loop join. Cond is an extra condition over the joined
// row (left columns, then right). Rows with a NULL key never match.
type HashJoin struct {
	Left, Right         Operator
	Type                JoinType
	LeftKeys, RightKeys []Expr
	Cond                Expr
	Broadcast           bool
	S                   *arrow.Schema

	once   sync.Once
	bcast  *joinTable
	err    error
	closed atomic.Int32 // probe partitions done with the broadcast table
}

// NewHashJoin builds the operator and its output schema.
func NewHashJoin(left, right Operator, t JoinType, lk, rk []Expr, cond Expr, broadcast bool) *HashJoin {
	fs := append([]arrow.Field{}, left.Schema().Fields()...)
	if t != LeftSemiJoin && t != LeftAntiJoin {
		fs = append(fs, right.Schema().Fields()...)
	}
	return &HashJoin{Left: left, Right: right, Type: t, LeftKeys: lk, RightKeys: rk, Cond: cond, Broadcast: broadcast, S: arrow.NewSchema(fs, nil)}
}

// Schema returns the joined schema.
func (j *HashJoin) Schema() *arrow.Schema { return j.S }

// Children returns the two sides.
func (j *HashJoin) Children() []Operator { return []Operator{j.Left, j.Right} }

// Partitions is the probe side's.
func (j *HashJoin) Partitions() int { return j.Left.Partitions() }

// String describes a HashJoin on one line, as Explain shows it.
func (j *HashJoin) String() string {
	name := "ShuffledHashJoin"
	if j.Broadcast {
		name = "BroadcastHashJoin"
	}
	if len(j.LeftKeys) == 0 {
		name = "BroadcastNestedLoopJoin"
		if !j.Broadcast {
			name = "CartesianProduct"
		}
	}
	s := fmt.Sprintf("%s [%s], [%s], %s", name, joinExprs(j.LeftKeys), joinExprs(j.RightKeys), j.Type)
	if j.Cond != nil {
		s += ", " + j.Cond.String()
	}
	return s
}

// joinTable is the build side: all its rows in one record, and for each
// key group the rows that have that key.
type joinTable struct {
	rows    arrow.Record
	table   GroupTable
	offs    []int32 // rows of group g: order[offs[g]:offs[g+1]]
	order   []int32
	matched []bool // full outer join: build rows that found a partner
	mu      sync.Mutex
}

func (j *HashJoin) build(ctx context.Context, parts []int) (*joinTable, error) {
	var recs []arrow.Record
	for _, p := range parts {
		s, err := j.Right.Execute(ctx, p)
		if err != nil {
			ReleaseAll(recs)
			return nil, err
		}
		r, err := Drain(s)
		if err != nil {
			ReleaseAll(recs)
			return nil, err
		}
		recs = append(recs, r...)
	}
	all := ConcatRecords(j.Right.Schema(), recs)
	ReleaseAll(recs)
	t := &joinTable{rows: all}
	n := int(all.NumRows())
	if len(j.RightKeys) == 0 {
		return t, nil
	}
	keys, err := evalAll(j.RightKeys, all)
	if err != nil {
		all.Release()
		return nil, err
	}
	defer releaseArrays(keys)
	types := make([]arrow.DataType, len(keys))
	for i, k := range keys {
		types[i] = k.DataType()
	}
	t.table = NewGroupTable(types)
	gids := make([]int32, n)
	valid := nonNullRows(keys, n)
	if valid == nil {
		t.table.Insert(keys, gids)
	} else {
		sub := make([]arrow.Array, len(keys))
		for i, k := range keys {
			sub[i] = Take(k, valid)
		}
		sg := make([]int32, len(valid))
		t.table.Insert(sub, sg)
		releaseArrays(sub)
		for i := range gids {
			gids[i] = -1
		}
		for k, r := range valid {
			gids[r] = sg[k]
		}
	}
	ng := t.table.Len()
	t.offs = make([]int32, ng+1)
	for _, g := range gids {
		if g >= 0 {
			t.offs[g+1]++
		}
	}
	for g := 0; g < ng; g++ {
		t.offs[g+1] += t.offs[g]
	}
	pos := append([]int32(nil), t.offs[:ng]...)
	t.order = make([]int32, t.offs[ng])
	for r, g := range gids {
		if g >= 0 {
			t.order[pos[g]] = int32(r)
			pos[g]++
		}
	}
	if j.Type == FullOuterJoin {
		t.matched = make([]bool, n)
	}
	return t, nil
}

// nonNullRows returns the rows where every key is non-null, or nil when
// that is all rows.
func nonNullRows(keys []arrow.Array, n int) []int32 {
	any := false
	for _, k := range keys {
		if k.NullN() > 0 {
			any = true
		}
	}
	if !any {
		return nil
	}
	out := make([]int32, 0, n)
	for r := 0; r < n; r++ {
		ok := true
		for _, k := range keys {
			if k.IsNull(r) {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, int32(r))
		}
	}
	return out
}

// Execute joins one probe partition.
func (j *HashJoin) Execute(ctx context.Context, p int) (Stream, error) {
	var t *joinTable
	if j.Broadcast {
		j.once.Do(func() {
			parts := make([]int, j.Right.Partitions())
			for i := range parts {
				parts[i] = i
			}
			j.bcast, j.err = j.build(ctx, parts)
		})
		if j.err != nil {
			return nil, j.err
		}
		t = j.bcast
	} else {
		var err error
		if t, err = j.build(ctx, []int{p}); err != nil {
			return nil, err
		}
	}
	in, err := j.Left.Execute(ctx, p)
	if err != nil {
		return nil, err
	}
	done := false
	next := func() (arrow.Record, error) {
		for !done {
			rec, err := in.Next()
			if err != nil {
				return nil, err
			}
			if rec == nil {
				done = true
				if j.Type == FullOuterJoin {
					return j.unmatchedBuild(t), nil
				}
				return nil, nil
			}
			out, err := j.probe(t, rec)
			rec.Release()
			if err != nil {
				return nil, err
			}
			if out != nil && out.NumRows() > 0 {
				return out, nil
			}
			if out != nil {
				out.Release()
			}
		}
		return nil, nil
	}
	return FuncStream(next, func() {
		in.Close()
		if !j.Broadcast && t != nil {
			t.rows.Release()
		}
		// The last probe partition releases the broadcast table.
		if j.Broadcast && int(j.closed.Add(1)) == j.Partitions() && t != nil {
			t.rows.Release()
		}
	}), nil
}

func (j *HashJoin) probe(t *joinTable, rec arrow.Record) (arrow.Record, error) {
	n := int(rec.NumRows())
	var li, ri []int32
	if len(j.LeftKeys) == 0 {
		m := int(t.rows.NumRows())
		for l := 0; l < n; l++ {
			for r := 0; r < m; r++ {
				li = append(li, int32(l))
				ri = append(ri, int32(r))
			}
		}
	} else {
		keys, err := evalAll(j.LeftKeys, rec)
		if err != nil {
			return nil, err
		}
		gids := make([]int32, n)
		t.table.Lookup(keys, gids)
		if valid := nonNullRows(keys, n); valid != nil {
			ok := make([]bool, n)
			for _, r := range valid {
				ok[r] = true
			}
			for r := range gids {
				if !ok[r] {
					gids[r] = -1
				}
			}
		}
		releaseArrays(keys)
		for l, g := range gids {
			if g < 0 {
				continue
			}
			for _, r := range t.order[t.offs[g]:t.offs[g+1]] {
				li = append(li, int32(l))
				ri = append(ri, r)
			}
		}
	}
	// Apply the residual condition to the candidate pairs.
	if j.Cond != nil && len(li) > 0 {
		pairs := j.joined(rec, t.rows, li, ri, true)
		m, err := j.Cond.Eval(pairs)
		pairs.Release()
		if err != nil {
			return nil, err
		}
		keep := SelectedRows(m)
		m.Release()
		nl, nr := make([]int32, len(keep)), make([]int32, len(keep))
		for k, i := range keep {
			nl[k], nr[k] = li[i], ri[i]
		}
		li, ri = nl, nr
	}
	switch j.Type {
	case LeftSemiJoin, LeftAntiJoin:
		hit := make([]bool, n)
		for _, l := range li {
			hit[l] = true
		}
		var rows []int32
		for l := 0; l < n; l++ {
			if hit[l] == (j.Type == LeftSemiJoin) {
				rows = append(rows, int32(l))
			}
		}
		return TakeRecord(rec, rows), nil
	case LeftOuterJoin, FullOuterJoin:
		if t.matched != nil {
			t.mu.Lock()
			for _, r := range ri {
				t.matched[r] = true
			}
			t.mu.Unlock()
		}
		hit := make([]bool, n)
		for _, l := range li {
			hit[l] = true
		}
		for l := 0; l < n; l++ {
			if !hit[l] {
				li = append(li, int32(l))
				ri = append(ri, -1)
			}
		}
	}
	return j.joined(rec, t.rows, li, ri, false), nil
}

// joined gathers left rows li and right rows ri (-1: NULLs) side by side.
func (j *HashJoin) joined(left, right arrow.Record, li, ri []int32, forCond bool) arrow.Record {
	cols := make([]arrow.Array, 0, left.NumCols()+right.NumCols())
	for c := 0; c < int(left.NumCols()); c++ {
		cols = append(cols, Take(left.Column(c), li))
	}
	for c := 0; c < int(right.NumCols()); c++ {
		cols = append(cols, Take(right.Column(c), ri))
	}
	s := j.S
	if forCond {
		fs := append(append([]arrow.Field{}, left.Schema().Fields()...), right.Schema().Fields()...)
		s = arrow.NewSchema(fs, nil)
	}
	return NewRecord(s, cols, len(li))
}

// unmatchedBuild returns the build rows no probe row matched (full outer
// join), with NULLs for the probe side.
func (j *HashJoin) unmatchedBuild(t *joinTable) arrow.Record {
	var ri []int32
	for r, m := range t.matched {
		if !m {
			ri = append(ri, int32(r))
		}
	}
	li := make([]int32, len(ri))
	for i := range li {
		li[i] = -1
	}
	empty := emptyRecord(j.Left.Schema())
	defer empty.Release()
	cols := make([]arrow.Array, 0, j.S.NumFields())
	for c := 0; c < int(empty.NumCols()); c++ {
		cols = append(cols, NullArray(empty.Column(c).DataType(), len(ri)))
	}
	for c := 0; c < int(t.rows.NumCols()); c++ {
		cols = append(cols, Take(t.rows.Column(c), ri))
	}
	return NewRecord(j.S, cols, len(ri))
}

func emptyRecord(s *arrow.Schema) arrow.Record {
	cols := make([]arrow.Array, s.NumFields())
	for i, f := range s.Fields() {
		cols[i] = NullArray(f.Type, 0)
	}
	return NewRecord(s, cols, 0)
}
