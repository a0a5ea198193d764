package plan

import (
	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"

	"gospark/engine/sql/exec"
)

// SplitConjuncts flattens a tree of ANDs.
func SplitConjuncts(e Expr) []Expr {
	if e == nil {
		return nil
	}
	if c, ok := e.(*Call); ok && c.Fn == "and" {
		return append(SplitConjuncts(c.Args[0]), SplitConjuncts(c.Args[1])...)
	}
	return []Expr{e}
}

func refsWithin(e Expr, attrs []Attr) bool {
	ids := map[int64]bool{}
	for _, a := range attrs {
		ids[a.ID] = true
	}
	for id := range References(e) {
		if !ids[id] {
			return false
		}
	}
	return true
}

// equiKeys finds "l = r" conjuncts with l over the left side and r over
// the right side; the others are the residual condition.
func equiKeys(cond Expr, left, right []Attr) (lk, rk []Expr, rest Expr) {
	for _, c := range SplitConjuncts(cond) {
		if call, ok := c.(*Call); ok && (call.Fn == "=" || call.Fn == "<=>") && call.Fn == "=" {
			a, b := call.Args[0], call.Args[1]
			if len(References(a)) > 0 && len(References(b)) > 0 {
				if refsWithin(a, left) && refsWithin(b, right) {
					lk, rk = append(lk, a), append(rk, b)
					continue
				}
				if refsWithin(b, left) && refsWithin(a, right) {
					lk, rk = append(lk, b), append(rk, a)
					continue
				}
			}
		}
		rest = and(rest, c)
	}
	return lk, rk, rest
}

// EstimateSize guesses the bytes a plan produces, for choosing broadcast
// joins (Spark's sizeInBytes): file sizes for file sources, buffer sizes
// for memory, and the child's size through other operators.
func EstimateSize(n Node) int64 {
	switch x := n.(type) {
	case *Relation:
		var s int64
		switch x.Kind {
		case MemorySource:
			for _, p := range x.Memory {
				for _, r := range p {
					for _, c := range r.Columns() {
						s += arraySize(c)
					}
				}
			}
		case CSVSource:
			for _, f := range x.CSV.Files {
				s += f.Size
			}
		case JSONSource:
			for _, f := range x.JSON.Files {
				s += f.Size
			}
		case ParquetSource:
			for _, f := range x.Parquet.Files {
				s += f.Size * 4
			}
		}
		if x.Pruned != nil && len(x.Attrs) > 0 {
			s = s * int64(len(x.Pruned)) / int64(len(x.Attrs))
		}
		return s
	case *Limit:
		return int64(x.N) * 64
	case *Join:
		return EstimateSize(x.Left) + EstimateSize(x.Right)
	}
	var s int64
	for _, c := range n.Children() {
		s += EstimateSize(c)
	}
	return s
}

func arraySize(a arrow.Array) int64 {
	var s int64
	for _, b := range a.Data().Buffers() {
		if b != nil {
			s += int64(b.Len())
		}
	}
	if l, ok := a.(*array.List); ok {
		s += arraySize(l.ListValues())
	}
	return s
}

func (p *Planner) planJoin(j *Join) (exec.Operator, error) {
	left, right := j.Left, j.Right
	lo, ro := left.Output(), right.Output()
	lk, rk, rest := equiKeys(j.Cond, lo, ro)
	typ := j.Type
	swapped := false
	canBroadcastRight := func() bool {
		return j.Broadcast == 2 || (p.BroadcastThreshold >= 0 && EstimateSize(right) <= p.BroadcastThreshold)
	}
	canBroadcastLeft := func() bool {
		return j.Broadcast == 1 || (p.BroadcastThreshold >= 0 && EstimateSize(left) <= p.BroadcastThreshold)
	}
	broadcast := false
	switch typ {
	case RightOuter:
		// Build the left side: a left outer join with the sides swapped.
		left, right, lk, rk, swapped, typ = right, left, rk, lk, true, LeftOuter
		broadcast = j.Broadcast == 1 || (j.Broadcast == 0 && p.BroadcastThreshold >= 0 && EstimateSize(right) <= p.BroadcastThreshold)
	case Inner, Cross:
		if canBroadcastRight() && (j.Broadcast == 2 || !canBroadcastLeft() || EstimateSize(right) <= EstimateSize(left)) {
			broadcast = true
		} else if canBroadcastLeft() {
			left, right, lk, rk, swapped, broadcast = right, left, rk, lk, true, true
		}
	case LeftOuter, LeftSemi, LeftAnti:
		broadcast = canBroadcastRight()
	case FullOuter:
		broadcast = false
	}
	lop, err := p.Plan(left)
	if err != nil {
		return nil, err
	}
	rop, err := p.Plan(right)
	if err != nil {
		return nil, err
	}
	lo, ro = left.Output(), right.Output()
	lkeys, err := bindAll(lk, lo)
	if err != nil {
		return nil, err
	}
	rkeys, err := bindAll(rk, ro)
	if err != nil {
		return nil, err
	}
	var cond exec.Expr
	if rest != nil {
		if cond, err = Bind(rest, append(append([]Attr{}, lo...), ro...)); err != nil {
			return nil, err
		}
	}
	if !broadcast {
		if len(lkeys) > 0 {
			n := p.partitionsFor(left, right)
			lop = &exec.Exchange{Child: lop, Kind: exec.HashPartitioning, Keys: lkeys, N: n}
			rop = &exec.Exchange{Child: rop, Kind: exec.HashPartitioning, Keys: rkeys, N: n}
		} else if typ == FullOuter {
			lop = &exec.Exchange{Child: lop, Kind: exec.SinglePartition, N: 1}
			rop = &exec.Exchange{Child: rop, Kind: exec.SinglePartition, N: 1}
		} else {
			broadcast = true // nested loop: broadcast the right side
		}
	}
	var et exec.JoinType
	switch typ {
	case Inner, Cross:
		et = exec.InnerJoin
	case LeftOuter:
		et = exec.LeftOuterJoin
	case FullOuter:
		et = exec.FullOuterJoin
	case LeftSemi:
		et = exec.LeftSemiJoin
	case LeftAnti:
		et = exec.LeftAntiJoin
	}
	var op exec.Operator = exec.NewHashJoin(lop, rop, et, lkeys, rkeys, cond, broadcast)
	if swapped {
		// Put the columns back in the logical order: original left, right.
		nl, nr := len(ro), len(lo) // original left is now the right side
		exprs := make([]exec.Expr, 0, nl+nr)
		names := make([]string, 0, nl+nr)
		for i, a := range ro {
			exprs = append(exprs, &exec.ColumnRef{Index: nr + i, Name: a.Name, T: a.T})
			names = append(names, a.Name)
		}
		for i, a := range lo {
			exprs = append(exprs, &exec.ColumnRef{Index: i, Name: a.Name, T: a.T})
			names = append(names, a.Name)
		}
		op = exec.NewProject(op, exprs, names)
	}
	return op, nil
}

// windowGroupLimit returns K when cond holds a conjunct rn <= K (or
// rn < K+1, rn = 1) on a row_number() column of w, and w computes only
// ranking functions over one window spec ordered by one key, so that only
// the first K rows of each window partition matter.
func windowGroupLimit(cond Expr, w *Window) int {
	var spec *WindowExpr
	for _, e := range w.Exprs {
		we := Strip(e).(*WindowExpr)
		c := we.Fn.(*Call)
		if c.Fn != "row_number" && c.Fn != "rank" && c.Fn != "dense_rank" {
			return 0
		}
		if spec != nil && specKey(spec) != specKey(we) {
			return 0
		}
		spec = we
	}
	if spec == nil || len(spec.OrderBy) != 1 || !exec.WindowGroupLimitSupports(spec.OrderBy[0].X.Type()) {
		return 0
	}
	best := 0
	for _, c := range SplitConjuncts(cond) {
		call, ok := c.(*Call)
		if !ok || len(call.Args) != 2 {
			continue
		}
		ref, ok1 := call.Args[0].(*AttrRef)
		lit, ok2 := call.Args[1].(*Lit)
		if !ok1 || !ok2 || lit.Val == nil {
			continue
		}
		isRowNumber := false
		for _, e := range w.Exprs {
			if AttrOf(e).ID == ref.A.ID && Strip(e).(*WindowExpr).Fn.(*Call).Fn == "row_number" {
				isRowNumber = true
			}
		}
		if !isRowNumber {
			continue
		}
		v := int(toFloat(lit.Val))
		k := 0
		switch call.Fn {
		case "<=":
			k = v
		case "<":
			k = v - 1
		case "=":
			if v == 1 {
				k = 1
			}
		}
		if k > 0 && (best == 0 || k < best) {
			best = k
		}
	}
	if best > 1000 {
		return 0
	}
	return best
}

// planWindowLimit plans a Window whose rows beyond the first k of each
// window partition are filtered away above it: WindowGroupLimit runs on
// each input partition before the exchange and again after it.
func (p *Planner) planWindowLimit(w *Window, k int) (exec.Operator, error) {
	child, err := p.Plan(w.Child)
	if err != nil {
		return nil, err
	}
	in := w.Child.Output()
	spec := Strip(w.Exprs[0]).(*WindowExpr)
	pkeys, err := bindAll(spec.PartitionBy, in)
	if err != nil {
		return nil, err
	}
	okeys, err := p.sortKeys(spec.OrderBy, in)
	if err != nil {
		return nil, err
	}
	var op exec.Operator = &exec.WindowGroupLimit{Child: child, PartitionBy: pkeys, OrderBy: okeys[0], K: k}
	if op.Partitions() > 1 || len(pkeys) > 0 {
		if len(pkeys) > 0 {
			op = &exec.Exchange{Child: op, Kind: exec.HashPartitioning, Keys: pkeys, N: p.ShufflePartitions}
		} else {
			op = &exec.Exchange{Child: op, Kind: exec.SinglePartition, N: 1}
		}
		op = &exec.WindowGroupLimit{Child: op, PartitionBy: pkeys, OrderBy: okeys[0], K: k}
	}
	return p.planWindowOn(w, op, true)
}

func (p *Planner) planWindow(w *Window) (exec.Operator, error) {
	child, err := p.Plan(w.Child)
	if err != nil {
		return nil, err
	}
	return p.planWindowOn(w, child, false)
}

func (p *Planner) planWindowOn(w *Window, child exec.Operator, distributed bool) (exec.Operator, error) {
	in := w.Child.Output()
	// Group the window expressions by spec; each group is one operator.
	type group struct {
		spec  *WindowExpr
		exprs []int
	}
	var groups []*group
	for i, e := range w.Exprs {
		we := Strip(e).(*WindowExpr)
		key := specKey(we)
		var g *group
		for _, x := range groups {
			if specKey(x.spec) == key {
				g = x
			}
		}
		if g == nil {
			g = &group{spec: we}
			groups = append(groups, g)
		}
		g.exprs = append(g.exprs, i)
	}
	cur := append([]Attr{}, in...)
	op := child
	for _, g := range groups {
		pkeys, err := bindAll(g.spec.PartitionBy, cur)
		if err != nil {
			return nil, err
		}
		okeys, err := p.sortKeys(g.spec.OrderBy, cur)
		if err != nil {
			return nil, err
		}
		if !distributed && (op.Partitions() > 1 || len(pkeys) > 0) {
			if len(pkeys) > 0 {
				op = &exec.Exchange{Child: op, Kind: exec.HashPartitioning, Keys: pkeys, N: p.partitionsFor(w.Child)}
			} else {
				op = &exec.Exchange{Child: op, Kind: exec.SinglePartition, N: 1}
			}
		}
		var funcs []*exec.WindowFunc
		var names []string
		for _, i := range g.exprs {
			we := Strip(w.Exprs[i]).(*WindowExpr)
			c := we.Fn.(*Call)
			args, err := bindAll(c.Args, cur)
			if err != nil {
				return nil, err
			}
			f := &exec.WindowFunc{Name: c.Fn, Args: args, T: c.T, Rows: we.Frame.Rows, Start: we.Frame.Start, End: we.Frame.End}
			if we.Frame.Unspecified {
				f.Rows = false
				f.Start = -exec.FrameUnbounded
				if len(we.OrderBy) > 0 {
					f.End = 0
				} else {
					f.End = exec.FrameUnbounded
				}
			}
			if f.Start <= -Unbounded {
				f.Start = -exec.FrameUnbounded
			}
			if f.End >= Unbounded {
				f.End = exec.FrameUnbounded
			}
			if c.Kind == KindAgg {
				f.Agg = &exec.AggFunc{Name: c.Fn, Args: args, T: c.T, Param: c.Param}
			}
			funcs = append(funcs, f)
			a := AttrOf(w.Exprs[i])
			names = append(names, a.Name)
			cur = append(cur, a)
		}
		op = exec.NewWindow(op, pkeys, okeys, funcs, names)
		distributed = false
	}
	// Reorder to child columns then w.Exprs in order.
	out := w.Output()
	if isIdentity(attrRefs(out), cur) {
		return op, nil
	}
	exprs, err := bindAll(attrRefs(out), cur)
	if err != nil {
		return nil, err
	}
	return exec.NewProject(op, exprs, attrNameList(out)), nil
}

func attrRefs(as []Attr) []Expr {
	out := make([]Expr, len(as))
	for i, a := range as {
		out[i] = &AttrRef{A: a}
	}
	return out
}

func specKey(w *WindowExpr) string {
	s := ""
	for _, p := range w.PartitionBy {
		s += p.String() + ","
	}
	s += "|"
	for _, o := range w.OrderBy {
		s += o.String() + ","
	}
	return s
}
