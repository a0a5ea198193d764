package plan

import (
	"fmt"

	"github.com/apache/arrow/go/v17/arrow"

	"gospark/engine/sql/exec"
	"gospark/engine/sql/source"
)

// Planner turns optimized logical plans into exec operators.
type Planner struct {
	// ShufflePartitions is spark.sql.shuffle.partitions.
	ShufflePartitions int
	// BroadcastThreshold is spark.sql.autoBroadcastJoinThreshold in bytes
	// (negative: never broadcast).
	BroadcastThreshold int64
	// Parallelism is the number of file splits to aim for.
	Parallelism int
	// Cached returns the stored partitions of a cached plan.
	Cached func(Node) (exec.Operator, bool)
	// AdvisoryPartitionBytes, when positive, raises the partition count of
	// an exchange above ShufflePartitions so that each partition of its
	// (estimated) input stays near this size: big inputs then sort, join
	// and aggregate in pieces that fit in memory. Zero keeps
	// ShufflePartitions (set when the user fixed spark.sql.shuffle.partitions).
	AdvisoryPartitionBytes int64
}

// partitionsFor returns the partition count of an exchange over nodes.
func (p *Planner) partitionsFor(nodes ...Node) int {
	n := p.ShufflePartitions
	if p.AdvisoryPartitionBytes <= 0 {
		return n
	}
	var size int64
	for _, x := range nodes {
		size = max(size, EstimateSize(x))
	}
	if k := int((size + p.AdvisoryPartitionBytes - 1) / p.AdvisoryPartitionBytes); k > n {
		return k
	}
	return n
}

// Plan returns the physical plan of n; its columns are n.Output() in order.
func (p *Planner) Plan(n Node) (exec.Operator, error) {
	if p.Cached != nil {
		if op, ok := p.Cached(n); ok {
			return op, nil
		}
	}
	switch x := n.(type) {
	case *Relation:
		return p.planRelation(x)
	case *Project:
		child, err := p.Plan(x.Child)
		if err != nil {
			return nil, err
		}
		if isIdentity(x.Exprs, x.Child.Output()) {
			return child, nil
		}
		exprs, err := bindAll(x.Exprs, x.Child.Output())
		if err != nil {
			return nil, err
		}
		return exec.NewProject(child, exprs, attrNameList(x.Output())), nil
	case *Filter:
		if w, ok := x.Child.(*Window); ok {
			if k := windowGroupLimit(x.Cond, w); k > 0 {
				child, err := p.planWindowLimit(w, k)
				if err != nil {
					return nil, err
				}
				cond, err := Bind(x.Cond, w.Output())
				if err != nil {
					return nil, err
				}
				return &exec.Filter{Child: child, Pred: cond}, nil
			}
		}
		child, err := p.Plan(x.Child)
		if err != nil {
			return nil, err
		}
		cond, err := Bind(x.Cond, x.Child.Output())
		if err != nil {
			return nil, err
		}
		return &exec.Filter{Child: child, Pred: cond}, nil
	case *Aggregate:
		return p.planAggregate(x.Child, x.Groups, x.Aggs)
	case *Distinct:
		refs := make([]Expr, 0)
		for _, a := range x.Child.Output() {
			refs = append(refs, &AttrRef{A: a})
		}
		return p.planAggregate(x.Child, refs, refs)
	case *Join:
		return p.planJoin(x)
	case *Sort:
		child, err := p.Plan(x.Child)
		if err != nil {
			return nil, err
		}
		keys, err := p.sortKeys(x.Orders, x.Child.Output())
		if err != nil {
			return nil, err
		}
		if x.Global && child.Partitions() > 1 {
			child = &exec.Exchange{Child: child, Kind: exec.SinglePartition, N: 1}
		}
		return &exec.Sort{Child: child, Keys: keys}, nil
	case *Limit:
		if s, ok := x.Child.(*Sort); ok && s.Global {
			child, err := p.Plan(s.Child)
			if err != nil {
				return nil, err
			}
			keys, err := p.sortKeys(s.Orders, s.Child.Output())
			if err != nil {
				return nil, err
			}
			var op exec.Operator = &exec.TopN{Child: child, Keys: keys, N: x.N + x.Offset}
			if child.Partitions() > 1 {
				op = &exec.TopN{Child: &exec.Exchange{Child: op, Kind: exec.SinglePartition, N: 1}, Keys: keys, N: x.N + x.Offset}
			}
			if x.Offset > 0 {
				op = &exec.Limit{Child: op, N: x.N, Offset: x.Offset}
			}
			return op, nil
		}
		child, err := p.Plan(x.Child)
		if err != nil {
			return nil, err
		}
		if child.Partitions() == 1 {
			return &exec.Limit{Child: child, N: x.N, Offset: x.Offset}, nil
		}
		local := &exec.Limit{Child: child, N: x.N + x.Offset}
		return &exec.Limit{Child: &exec.Exchange{Child: local, Kind: exec.SinglePartition, N: 1}, N: x.N, Offset: x.Offset}, nil
	case *Union:
		var ins []exec.Operator
		out := x.Output()
		for _, c := range x.Inputs {
			op, err := p.Plan(c)
			if err != nil {
				return nil, err
			}
			// Cast to the union's types where an input differs.
			co := c.Output()
			var exprs []exec.Expr
			differs := false
			for i, a := range co {
				var e exec.Expr = &exec.ColumnRef{Index: i, Name: a.Name, T: a.T}
				if !arrow.TypeEqual(a.T, out[i].T) {
					e = &exec.Cast{X: e, T: out[i].T}
					differs = true
				}
				exprs = append(exprs, e)
			}
			if differs {
				op = exec.NewProject(op, exprs, attrNameList(out))
			}
			ins = append(ins, op)
		}
		return &exec.Union{Inputs: ins}, nil
	case *Window:
		return p.planWindow(x)
	case *SubqueryAlias:
		return p.Plan(x.Child)
	case *Generate:
		child, err := p.Plan(x.Child)
		if err != nil {
			return nil, err
		}
		arr, err := Bind(x.Array, x.Child.Output())
		if err != nil {
			return nil, err
		}
		var keep []int
		for _, a := range x.Output()[:len(x.Output())-1] {
			for i, c := range x.Child.Output() {
				if c.ID == a.ID {
					keep = append(keep, i)
				}
			}
		}
		return exec.NewGenerate(child, arr, x.Outer, x.Elem.Name, keep), nil
	case *Sample:
		child, err := p.Plan(x.Child)
		if err != nil {
			return nil, err
		}
		return &exec.Sample{Child: child, Fraction: x.Fraction, Seed: x.Seed}, nil
	case *Repartition:
		child, err := p.Plan(x.Child)
		if err != nil {
			return nil, err
		}
		if !x.Shuffle {
			return &exec.CoalescePartitions{Child: child, N: x.N}, nil
		}
		if len(x.Keys) == 0 {
			return &exec.Exchange{Child: child, Kind: exec.RoundRobinPartitioning, N: x.N}, nil
		}
		keys, err := bindAll(x.Keys, x.Child.Output())
		if err != nil {
			return nil, err
		}
		return &exec.Exchange{Child: child, Kind: exec.HashPartitioning, Keys: keys, N: x.N}, nil
	}
	return nil, fmt.Errorf("plan: no physical plan for %T", n)
}

// isIdentity reports whether a projection passes its input through
// unchanged in physical terms: column i is input column i under the same
// name (possibly as a new attribute, as Reinstance makes).
func isIdentity(exprs []Expr, in []Attr) bool {
	if len(exprs) != len(in) {
		return false
	}
	for i, e := range exprs {
		name := ""
		if a, ok := e.(*Alias); ok {
			e, name = a.X, a.Alias
		}
		r, ok := e.(*AttrRef)
		if !ok || r.A.ID != in[i].ID || r.A.Name != in[i].Name || (name != "" && name != in[i].Name) {
			return false
		}
	}
	return true
}

func attrNameList(as []Attr) []string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = a.Name
	}
	return out
}

func (p *Planner) sortKeys(orders []*SortOrder, in []Attr) ([]exec.SortKey, error) {
	keys := make([]exec.SortKey, len(orders))
	for i, o := range orders {
		e, err := Bind(o.X, in)
		if err != nil {
			return nil, err
		}
		keys[i] = exec.SortKey{X: e, Desc: o.Desc, NullsFirst: o.NullsFirst}
	}
	return keys, nil
}

func (p *Planner) planRelation(r *Relation) (exec.Operator, error) {
	cols := r.Pruned
	if cols == nil {
		cols = make([]int, len(r.Attrs))
		for i := range cols {
			cols[i] = i
		}
	}
	// Partition columns come from folder names, not from the files.
	nfile := len(r.Attrs) - len(r.PartCols)
	var partWant []int
	if len(r.PartCols) > 0 {
		var fileCols []int
		for _, c := range cols {
			if c < nfile {
				fileCols = append(fileCols, c)
			} else {
				partWant = append(partWant, c-nfile)
			}
		}
		cols = fileCols
	}
	keep := len(cols)
	if len(r.PartCols) > 0 && len(cols) == 0 {
		cols = []int{0} // a column to count rows by; dropped below
	}
	var op exec.Operator
	switch r.Kind {
	case MemorySource:
		var parts [][]arrow.Record
		for _, part := range r.Memory {
			var recs []arrow.Record
			for _, rec := range part {
				cs := make([]arrow.Array, len(cols))
				for i, c := range cols {
					cs[i] = rec.Column(c)
					cs[i].Retain()
				}
				recs = append(recs, exec.NewRecord(Schema(r.Output()), cs, int(rec.NumRows())))
			}
			parts = append(parts, recs)
		}
		name := "LocalTableScan"
		if r.Label == "InMemoryRelation" {
			name = "InMemoryTableScan"
		}
		op = &exec.MemoryScan{Name: name, S: Schema(r.Output()), Parts: parts}
	case CSVSource:
		op = source.NewCSVScan(r.CSV, cols, p.Parallelism)
	case JSONSource:
		op = source.NewJSONScan(r.JSON, cols, p.Parallelism)
	case ParquetSource:
		var preds []source.ColumnPredicate
		for _, f := range r.Filters {
			if cp, ok := columnPredicate(f, r.Attrs); ok {
				preds = append(preds, cp)
			}
		}
		op = source.NewParquetScan(r.Parquet, cols, preds)
	}
	if len(r.PartCols) > 0 {
		op = source.NewWithPartitionColumns(op.(source.FileScan), r.PartCols, partWant, keep)
	}
	if r.Kind == ParquetSource {
		// Parquet columns may have types the engine normalises.
		out := r.Output()
		needCast := false
		exprs := make([]exec.Expr, len(out))
		for i, a := range out {
			var e exec.Expr = &exec.ColumnRef{Index: i, Name: a.Name, T: op.Schema().Field(i).Type}
			if !arrow.TypeEqual(a.T, op.Schema().Field(i).Type) {
				e = &exec.Cast{X: e, T: a.T}
				needCast = true
			}
			exprs[i] = e
		}
		if needCast {
			op = exec.NewProject(op, exprs, attrNameList(out))
		}
	}
	if len(r.Filters) > 0 {
		var cond Expr
		for _, f := range r.Filters {
			cond = and(cond, f)
		}
		b, err := Bind(cond, r.Output())
		if err != nil {
			return nil, err
		}
		op = &exec.Filter{Child: op, Pred: b}
	}
	return op, nil
}

func and(a, b Expr) Expr {
	if a == nil {
		return b
	}
	if b == nil {
		return a
	}
	return &Call{Fn: "and", Args: []Expr{a, b}, Kind: KindOperator, T: exec.Boolean}
}

// columnPredicate recognises "attr op literal" (either way round) for
// Parquet row-group pruning.
func columnPredicate(e Expr, attrs []Attr) (source.ColumnPredicate, bool) {
	c, ok := e.(*Call)
	if !ok || c.Kind != KindOperator || len(c.Args) != 2 {
		return source.ColumnPredicate{}, false
	}
	op := c.Fn
	flip := map[string]string{"=": "=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}
	if _, ok := flip[op]; !ok {
		return source.ColumnPredicate{}, false
	}
	l, r := c.Args[0], c.Args[1]
	if _, ok := l.(*Lit); ok {
		l, r, op = r, l, flip[op]
	}
	ref, ok := l.(*AttrRef)
	lit, ok2 := r.(*Lit)
	if !ok || !ok2 || lit.Val == nil {
		return source.ColumnPredicate{}, false
	}
	for i, a := range attrs {
		if a.ID == ref.A.ID {
			return source.ColumnPredicate{Column: i, Op: op, Value: lit.Val}, true
		}
	}
	return source.ColumnPredicate{}, false
}

// replaceTopDown replaces the outermost sub-expressions for which f
// returns non-nil.
func replaceTopDown(e Expr, f func(Expr) Expr) Expr {
	if r := f(e); r != nil {
		return r
	}
	cs := e.Children()
	if len(cs) == 0 {
		return e
	}
	n := make([]Expr, len(cs))
	for i, c := range cs {
		n[i] = replaceTopDown(c, f)
	}
	return e.WithChildren(n)
}

// SplitAggregate separates an aggregation into its distinct aggregate
// calls and the result expressions rewritten over key and aggregate
// attributes. It is the analyzer's check too: an attribute outside the
// grouping expressions and aggregates is an error.
func SplitAggregate(groups, aggs []Expr) (keyAttrs, aggAttrs []Attr, calls []*Call, results []Expr, err error) {
	for _, g := range groups {
		keyAttrs = append(keyAttrs, Attr{ID: NewID(), Name: Strip(g).Name(), T: g.Type()})
	}
	seen := map[string]int{}
	for _, a := range aggs {
		Walk(a, func(e Expr) bool {
			if c, ok := e.(*Call); ok && c.Kind == KindAgg {
				k := c.String()
				if _, ok := seen[k]; !ok {
					seen[k] = len(calls)
					calls = append(calls, c)
					aggAttrs = append(aggAttrs, Attr{ID: NewID(), Name: c.Name(), T: c.T})
				}
				return false
			}
			_, isWin := e.(*WindowExpr)
			return !isWin
		})
	}
	for _, a := range aggs {
		r := replaceTopDown(a, func(e Expr) Expr {
			if _, ok := e.(*Alias); ok {
				return nil
			}
			for i, g := range groups {
				if Strip(g).String() == e.String() {
					return &AttrRef{A: keyAttrs[i]}
				}
			}
			if c, ok := e.(*Call); ok && c.Kind == KindAgg {
				return &AttrRef{A: aggAttrs[seen[c.String()]]}
			}
			return nil
		})
		allowed := append(append([]Attr{}, keyAttrs...), aggAttrs...)
		bad := ""
		Walk(r, func(e Expr) bool {
			if ref, ok := e.(*AttrRef); ok && bad == "" {
				found := false
				for _, x := range allowed {
					if x.ID == ref.A.ID {
						found = true
					}
				}
				if !found {
					bad = ref.A.Name
				}
			}
			return true
		})
		if bad != "" {
			return nil, nil, nil, nil, Errorf("expression %q is neither present in the group by, nor is it an aggregate function; add it to groupBy or wrap it in first() (or any_value()) if you don't care which value you get", bad)
		}
		results = append(results, r)
	}
	return keyAttrs, aggAttrs, calls, results, nil
}

func (p *Planner) planAggregate(childNode Node, groups, aggs []Expr) (exec.Operator, error) {
	child, err := p.Plan(childNode)
	if err != nil {
		return nil, err
	}
	in := childNode.Output()
	keyAttrs, aggAttrs, calls, results, err := SplitAggregate(groups, aggs)
	if err != nil {
		return nil, err
	}
	keys, err := bindAll(groups, in)
	if err != nil {
		return nil, err
	}
	funcs := make([]*exec.AggFunc, len(calls))
	for i, c := range calls {
		args, err := bindAll(c.Args, in)
		if err != nil {
			return nil, err
		}
		funcs[i] = &exec.AggFunc{Name: c.Fn, Args: args, T: c.T, Param: c.Param}
	}
	names := append(attrNameList(keyAttrs), attrNameList(aggAttrs)...)
	holistic := false
	for _, f := range funcs {
		holistic = holistic || f.Holistic()
	}
	var op exec.Operator
	switch {
	case child.Partitions() == 1:
		op = exec.NewHashAggregate(child, exec.Complete, keys, funcs, names)
	case holistic && len(keys) > 0:
		// One phase: the rows themselves cross the exchange.
		ex := &exec.Exchange{Child: child, Kind: exec.HashPartitioning, Keys: keys, N: p.partitionsFor(childNode)}
		op = exec.NewHashAggregate(ex, exec.Complete, keys, funcs, names)
	default:
		partial := exec.NewHashAggregate(child, exec.Partial, keys, funcs, names)
		finalKeys := make([]exec.Expr, len(keys))
		for i, k := range keys {
			finalKeys[i] = &exec.ColumnRef{Index: i, Name: names[i], T: k.Type()}
		}
		var ex *exec.Exchange
		if len(keys) == 0 {
			ex = &exec.Exchange{Child: partial, Kind: exec.SinglePartition, N: 1}
		} else {
			ex = &exec.Exchange{Child: partial, Kind: exec.HashPartitioning, Keys: finalKeys, N: p.partitionsFor(childNode)}
		}
		op = exec.NewHashAggregate(ex, exec.Final, finalKeys, funcs, names)
	}
	aggOut := append(append([]Attr{}, keyAttrs...), aggAttrs...)
	if isIdentity(results, aggOut) {
		return op, nil
	}
	exprs, err := bindAll(results, aggOut)
	if err != nil {
		return nil, err
	}
	outNames := make([]string, len(aggs))
	for i, a := range aggs {
		outNames[i] = AttrOf(a).Name
	}
	return exec.NewProject(op, exprs, outNames), nil
}
