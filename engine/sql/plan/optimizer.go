package plan

import (
	"gospark/engine/sql/exec"
)

// Optimize applies the logical rules in order: constant folding, filter
// merging, predicate pushdown (down to scans and Parquet row groups) and
// column pruning.
func Optimize(n Node) Node {
	n = TransformNodeExprs(n, FoldConstants)
	n = PushDownPredicates(n)
	n = PruneColumns(n, nil)
	return n
}

// TransformNodes rewrites a plan bottom-up with f.
func TransformNodes(n Node, f func(Node) Node) Node {
	cs := n.Children()
	if len(cs) > 0 {
		nc := make([]Node, len(cs))
		changed := false
		for i, c := range cs {
			nc[i] = TransformNodes(c, f)
			changed = changed || nc[i] != c
		}
		if changed {
			n = WithChildren(n, nc)
		}
	}
	return f(n)
}

// WithChildren returns a copy of n with new inputs.
func WithChildren(n Node, cs []Node) Node {
	switch x := n.(type) {
	case *Project:
		c := *x
		c.Child = cs[0]
		return &c
	case *Filter:
		c := *x
		c.Child = cs[0]
		return &c
	case *Aggregate:
		c := *x
		c.Child = cs[0]
		return &c
	case *Join:
		c := *x
		c.Left, c.Right = cs[0], cs[1]
		return &c
	case *Sort:
		c := *x
		c.Child = cs[0]
		return &c
	case *Limit:
		c := *x
		c.Child = cs[0]
		return &c
	case *Distinct:
		return &Distinct{Child: cs[0]}
	case *Union:
		return &Union{Inputs: cs}
	case *Window:
		c := *x
		c.Child = cs[0]
		return &c
	case *SubqueryAlias:
		c := *x
		c.Child = cs[0]
		return &c
	case *Sample:
		c := *x
		c.Child = cs[0]
		return &c
	case *Repartition:
		c := *x
		c.Child = cs[0]
		return &c
	case *Generate:
		c := *x
		c.Child = cs[0]
		return &c
	}
	return n
}

// TransformNodeExprs rewrites every expression of every node with f.
func TransformNodeExprs(n Node, f func(Expr) Expr) Node {
	return TransformNodes(n, func(n Node) Node {
		tr := func(es []Expr) []Expr {
			out := make([]Expr, len(es))
			for i, e := range es {
				out[i] = Transform(e, f)
			}
			return out
		}
		switch x := n.(type) {
		case *Project:
			return &Project{Child: x.Child, Exprs: tr(x.Exprs)}
		case *Filter:
			return &Filter{Child: x.Child, Cond: Transform(x.Cond, f)}
		case *Aggregate:
			return &Aggregate{Child: x.Child, Groups: tr(x.Groups), Aggs: tr(x.Aggs)}
		case *Join:
			c := *x
			if c.Cond != nil {
				c.Cond = Transform(c.Cond, f)
			}
			return &c
		}
		return n
	})
}

// FoldConstants evaluates operators and functions whose operands are all
// literals.
func FoldConstants(e Expr) Expr {
	switch x := e.(type) {
	case *Call:
		if x.Kind != KindOperator && x.Kind != KindScalar {
			return e
		}
		if x.Fn == "current_date" || x.Fn == "current_timestamp" || x.Fn == "now" {
			return e
		}
		for _, a := range x.Args {
			if _, ok := a.(*Lit); !ok {
				return simplifyBool(x)
			}
		}
	case *Cast:
		if _, ok := x.X.(*Lit); !ok {
			return e
		}
	default:
		return e
	}
	v, err := EvalConstant(e)
	if err != nil {
		return e
	}
	return &Lit{Val: v, T: e.Type()}
}

func simplifyBool(c *Call) Expr {
	if c.Fn != "and" && c.Fn != "or" {
		return c
	}
	for i, a := range c.Args {
		l, ok := a.(*Lit)
		if !ok || l.Val == nil {
			continue
		}
		b := l.Val.(bool)
		other := c.Args[1-i]
		switch {
		case c.Fn == "and" && b, c.Fn == "or" && !b:
			return other
		case c.Fn == "and" && !b:
			return &Lit{Val: false, T: exec.Boolean}
		default:
			return &Lit{Val: true, T: exec.Boolean}
		}
	}
	return c
}

// substitute replaces references to the attributes a Project defines by
// the expressions that define them.
func substitute(e Expr, exprs []Expr) Expr {
	defs := map[int64]Expr{}
	for _, x := range exprs {
		if a, ok := x.(*Alias); ok {
			defs[a.ID] = a.X
		}
	}
	return Transform(e, func(x Expr) Expr {
		if r, ok := x.(*AttrRef); ok {
			if d, ok := defs[r.A.ID]; ok {
				return d
			}
		}
		return x
	})
}

func deterministic(e Expr) bool {
	return !Contains(e, func(x Expr) bool {
		c, ok := x.(*Call)
		return ok && (c.Kind == KindAgg || c.Kind == KindRanking || c.Fn == "rand")
	}) && !Contains(e, func(x Expr) bool { _, ok := x.(*WindowExpr); return ok })
}

func conjoin(es []Expr) Expr {
	var out Expr
	for _, e := range es {
		out = and(out, e)
	}
	return out
}

// PushDownPredicates merges adjacent filters and moves conditions as close
// to the scans as they can go.
func PushDownPredicates(n Node) Node {
	return TransformNodes(n, func(n Node) Node {
		f, ok := n.(*Filter)
		if !ok {
			return n
		}
		return push(f.Child, SplitConjuncts(f.Cond))
	})
}

// push places conjuncts preds over n, pushing what it can below n.
func push(n Node, preds []Expr) Node {
	if len(preds) == 0 {
		return n
	}
	wrap := func(n Node, ps []Expr) Node {
		if len(ps) == 0 {
			return n
		}
		return &Filter{Child: n, Cond: conjoin(ps)}
	}
	switch x := n.(type) {
	case *Filter:
		return push(x.Child, append(SplitConjuncts(x.Cond), preds...))
	case *Project:
		var down, stay []Expr
		for _, p := range preds {
			s := substitute(p, x.Exprs)
			if deterministic(s) && refsWithin(s, x.Child.Output()) {
				down = append(down, s)
			} else {
				stay = append(stay, p)
			}
		}
		return wrap(&Project{Child: push(x.Child, down), Exprs: x.Exprs}, stay)
	case *SubqueryAlias:
		return &SubqueryAlias{Child: push(x.Child, preds), Alias: x.Alias}
	case *Sort:
		c := *x
		c.Child = push(x.Child, preds)
		return &c
	case *Repartition:
		c := *x
		c.Child = push(x.Child, preds)
		return &c
	case *Join:
		var l, r, stay []Expr
		lo, ro := x.Left.Output(), x.Right.Output()
		for _, p := range preds {
			switch {
			case refsWithin(p, lo) && (x.Type == Inner || x.Type == Cross || x.Type == LeftOuter || x.Type == LeftSemi || x.Type == LeftAnti):
				l = append(l, p)
			case refsWithin(p, ro) && (x.Type == Inner || x.Type == Cross || x.Type == RightOuter):
				r = append(r, p)
			default:
				stay = append(stay, p)
			}
		}
		c := *x
		c.Left, c.Right = push(x.Left, l), push(x.Right, r)
		if (x.Type == Inner || x.Type == Cross) && len(stay) > 0 {
			c.Cond = and(c.Cond, conjoin(stay))
			c.Type = Inner
			stay = nil
		}
		return wrap(&c, stay)
	case *Aggregate:
		var down, stay []Expr
		keyIDs := map[int64]Expr{}
		for _, g := range x.Groups {
			if r, ok := g.(*AttrRef); ok {
				keyIDs[r.A.ID] = g
			}
		}
		for _, p := range preds {
			s := substitute(p, x.Aggs)
			ok := deterministic(s) && len(References(s)) > 0
			for id := range References(s) {
				if _, isKey := keyIDs[id]; !isKey {
					ok = false
				}
			}
			if ok {
				down = append(down, s)
			} else {
				stay = append(stay, p)
			}
		}
		return wrap(&Aggregate{Child: push(x.Child, down), Groups: x.Groups, Aggs: x.Aggs}, stay)
	case *Union:
		ins := make([]Node, len(x.Inputs))
		out := x.Output()
		for i, in := range x.Inputs {
			io := in.Output()
			ps := make([]Expr, len(preds))
			for k, p := range preds {
				ps[k] = Transform(p, func(e Expr) Expr {
					if r, ok := e.(*AttrRef); ok {
						for j, a := range out {
							if a.ID == r.A.ID {
								return &AttrRef{A: io[j]}
							}
						}
					}
					return e
				})
			}
			ins[i] = push(in, ps)
		}
		return &Union{Inputs: ins}
	case *Relation:
		c := *x
		for _, p := range preds {
			if deterministic(p) && !Contains(p, func(e Expr) bool { _, ok := e.(*Subquery); return ok }) {
				c.Filters = append(append([]Expr{}, c.Filters...), p)
			} else {
				return wrap(x, preds)
			}
		}
		return &c
	}
	return wrap(n, preds)
}

// PruneColumns removes columns no ancestor needs; required nil means all
// of n's output.
func PruneColumns(n Node, required map[int64]bool) Node {
	if required == nil {
		required = map[int64]bool{}
		for _, a := range n.Output() {
			required[a.ID] = true
		}
	}
	need := func(es ...Expr) map[int64]bool {
		m := map[int64]bool{}
		for k := range required {
			m[k] = true
		}
		for _, e := range es {
			for id := range References(e) {
				m[id] = true
			}
		}
		return m
	}
	switch x := n.(type) {
	case *Relation:
		c := *x
		req := need(x.Filters...)
		var pruned []int
		for i, a := range x.Attrs {
			if req[a.ID] {
				pruned = append(pruned, i)
			}
		}
		if len(pruned) == 0 && len(x.Attrs) > 0 {
			pruned = []int{0}
		}
		c.Pruned = pruned
		return &c
	case *Project:
		var keep []Expr
		for _, e := range x.Exprs {
			if required[AttrOf(e).ID] {
				keep = append(keep, e)
			}
		}
		if len(keep) == 0 && len(x.Exprs) > 0 {
			keep = x.Exprs[:1]
		}
		req := map[int64]bool{}
		for _, e := range keep {
			for id := range References(e) {
				req[id] = true
			}
		}
		return &Project{Child: PruneColumns(x.Child, nonEmpty(req, x.Child)), Exprs: keep}
	case *Filter:
		return &Filter{Child: PruneColumns(x.Child, need(x.Cond)), Cond: x.Cond}
	case *Aggregate:
		req := map[int64]bool{}
		for _, e := range append(append([]Expr{}, x.Groups...), x.Aggs...) {
			for id := range References(e) {
				req[id] = true
			}
		}
		return &Aggregate{Child: PruneColumns(x.Child, nonEmpty(req, x.Child)), Groups: x.Groups, Aggs: x.Aggs}
	case *Join:
		var req map[int64]bool
		if x.Cond != nil {
			req = need(x.Cond)
		} else {
			req = need()
		}
		// For semi and anti joins the right side's columns are needed only
		// by the condition, which req already covers.
		c := *x
		c.Left = PruneColumns(x.Left, nonEmpty(onlyOf(req, x.Left), x.Left))
		c.Right = PruneColumns(x.Right, nonEmpty(onlyOf(req, x.Right), x.Right))
		return &c
	case *Sort:
		es := make([]Expr, len(x.Orders))
		for i, o := range x.Orders {
			es[i] = o
		}
		c := *x
		c.Child = PruneColumns(x.Child, need(es...))
		return &c
	case *Window:
		req := need(x.Exprs...)
		c := *x
		c.Child = PruneColumns(x.Child, nonEmpty(onlyOf(req, x.Child), x.Child))
		// The window keeps every child column in its output.
		return &c
	case *Repartition:
		c := *x
		c.Child = PruneColumns(x.Child, need(x.Keys...))
		return &c
	case *Generate:
		c := *x
		c.Keep = []Attr{}
		for _, a := range x.Output()[:len(x.Output())-1] {
			if required[a.ID] {
				c.Keep = append(c.Keep, a)
			}
		}
		c.Child = PruneColumns(x.Child, nonEmpty(onlyOf(need(x.Array), x.Child), x.Child))
		return &c
	case *Limit, *Sample, *SubqueryAlias:
		return WithChildren(n, []Node{PruneColumns(n.Children()[0], required)})
	case *Union:
		// Positions needed in the output apply to every input.
		out := x.Output()
		ins := make([]Node, len(x.Inputs))
		for i, in := range x.Inputs {
			io := in.Output()
			req := map[int64]bool{}
			for j := range out {
				req[io[j].ID] = true // keep every column: a union is positional
			}
			ins[i] = PruneColumns(in, req)
		}
		return &Union{Inputs: ins}
	case *Distinct:
		return &Distinct{Child: PruneColumns(x.Child, nil)}
	}
	return n
}

func onlyOf(req map[int64]bool, n Node) map[int64]bool {
	out := map[int64]bool{}
	for _, a := range n.Output() {
		if req[a.ID] {
			out[a.ID] = true
		}
	}
	return out
}

// nonEmpty keeps at least one column of n required, so row counts survive.
func nonEmpty(req map[int64]bool, n Node) map[int64]bool {
	for _, a := range n.Output() {
		if req[a.ID] {
			return req
		}
	}
	if out := n.Output(); len(out) > 0 {
		req[out[0].ID] = true
	}
	return req
}
