package sql

import (
	"context"
	"fmt"

	"gospark/engine/sql/exec"
	"gospark/engine/sql/plan"
)

// rewriteSubqueries turns subquery expressions into plans the executor
// runs: x IN (SELECT …) in a filter becomes a left semi join (NOT IN a
// left anti join); EXISTS and scalar subqueries are run first and become
// literals.
func (s *Session) rewriteSubqueries(ctx context.Context, n plan.Node) (plan.Node, error) {
	var firstErr error
	hasSub := func(e plan.Expr) bool {
		return plan.Contains(e, func(x plan.Expr) bool { _, ok := x.(*plan.Subquery); return ok })
	}
	out := plan.TransformNodes(n, func(n plan.Node) plan.Node {
		if r, err := s.decorrelateScalars(ctx, n); err != nil {
			if firstErr == nil {
				firstErr = err
			}
			return n
		} else if r != nil {
			n = r
		}
		f, ok := n.(*plan.Filter)
		if ok && hasSub(f.Cond) {
			child := f.Child
			var rest []plan.Expr
			for _, c := range plan.SplitConjuncts(f.Cond) {
				neg := false
				inner := c
				if call, ok := c.(*plan.Call); ok && call.Fn == "not" {
					inner, neg = call.Args[0], true
				}
				sq, ok := inner.(*plan.Subquery)
				if ok && (sq.Kind == plan.InSubquery || sq.Kind == plan.ExistsSubquery && isCorrelated(sq.Plan)) {
					sub, corr, err := decorrelate(s.useCache(ctx, sq.Plan, nil))
					if err != nil {
						firstErr = err
						return n
					}
					var cond plan.Expr
					if sq.Kind == plan.InSubquery {
						o := sq.Plan.Output()[0]
						eq, err := plan.ResolveCall(&plan.Call{Fn: "="}, []plan.Expr{sq.X, plan.CastTo(&plan.AttrRef{A: o}, sq.X.Type())})
						if err != nil {
							firstErr = err
							return n
						}
						cond = eq
					}
					for _, c := range corr {
						cond = andExpr(cond, c)
					}
					t := plan.LeftSemi
					if neg != sq.Not {
						t = plan.LeftAnti
					}
					if sub, err = s.rewriteSubqueries(ctx, sub); err != nil {
						firstErr = err
						return n
					}
					if cond == nil {
						cond = &plan.Lit{Val: true, T: exec.Boolean}
					}
					child = &plan.Join{Left: child, Right: sub, Type: t, Cond: cond}
					continue
				}
				rest = append(rest, c)
			}
			n = child
			if len(rest) > 0 {
				var cond plan.Expr
				for _, r := range rest {
					if cond == nil {
						cond = r
					} else {
						cond = &plan.Call{Fn: "and", Args: []plan.Expr{cond, r}, Kind: plan.KindOperator, T: exec.Boolean}
					}
				}
				n = &plan.Filter{Child: child, Cond: cond}
			}
		}
		return plan.TransformNodeExprs(n, func(e plan.Expr) plan.Expr {
			sq, ok := e.(*plan.Subquery)
			if !ok {
				return e
			}
			v, err := s.evalSubquery(ctx, sq)
			if err != nil {
				if firstErr == nil {
					firstErr = err
				}
				return e
			}
			return v
		})
	})
	return out, firstErr
}

func (s *Session) evalSubquery(ctx context.Context, sq *plan.Subquery) (plan.Expr, error) {
	if isCorrelated(sq.Plan) {
		return nil, &AnalysisError{Msg: "correlated subqueries are supported only as [NOT] EXISTS or [NOT] IN conditions of a WHERE clause"}
	}
	switch sq.Kind {
	case plan.ExistsSubquery:
		rows := s.df(&plan.Limit{Child: sq.Plan, N: 1}).Collect()
		return &plan.Lit{Val: (len(rows) > 0) != sq.Not, T: exec.Boolean}, nil
	case plan.ScalarSubquery:
		rows := s.df(&plan.Limit{Child: sq.Plan, N: 2}).Collect()
		if len(rows) > 1 {
			return nil, &AnalysisError{Msg: "more than one row returned by a subquery used as an expression"}
		}
		if len(rows) == 0 {
			return &plan.Lit{T: sq.T}, nil
		}
		return &plan.Lit{Val: rows[0][0], T: sq.T}, nil
	}
	return nil, &AnalysisError{Msg: fmt.Sprintf("IN (subquery) is only supported in WHERE/filter conditions, not in %s", sq.Name())}
}

func andExpr(a, b plan.Expr) plan.Expr {
	if a == nil {
		return b
	}
	return &plan.Call{Fn: "and", Args: []plan.Expr{a, b}, Kind: plan.KindOperator, T: exec.Boolean}
}

func hasOuter(e plan.Expr) bool {
	return plan.Contains(e, func(x plan.Expr) bool { _, ok := x.(*plan.OuterRef); return ok })
}

// isCorrelated reports whether a subquery plan names outer columns.
func isCorrelated(n plan.Node) bool {
	found := false
	var walk func(n plan.Node)
	walk = func(n plan.Node) {
		var exprs []plan.Expr
		switch x := n.(type) {
		case *plan.Filter:
			exprs = []plan.Expr{x.Cond}
		case *plan.Project:
			exprs = x.Exprs
		case *plan.Aggregate:
			exprs = append(append(exprs, x.Groups...), x.Aggs...)
		case *plan.Join:
			if x.Cond != nil {
				exprs = []plan.Expr{x.Cond}
			}
		}
		for _, e := range exprs {
			if hasOuter(e) {
				found = true
			}
		}
		for _, c := range n.Children() {
			walk(c)
		}
	}
	walk(n)
	return found
}

// decorrelate pulls the conjuncts that name outer columns out of the
// filters of a subquery (through projections and aliases), returning the
// subquery without them and the conjuncts with the outer columns as plain
// references, ready to be a join condition. The projections keep the
// inner columns those conjuncts need.
func decorrelate(n plan.Node) (plan.Node, []plan.Expr, error) {
	switch x := n.(type) {
	case *plan.Filter:
		child, corr, err := decorrelate(x.Child)
		if err != nil {
			return nil, nil, err
		}
		var keep []plan.Expr
		for _, c := range plan.SplitConjuncts(x.Cond) {
			if hasOuter(c) {
				corr = append(corr, plan.Transform(c, func(e plan.Expr) plan.Expr {
					if o, ok := e.(*plan.OuterRef); ok {
						return &plan.AttrRef{A: o.A}
					}
					return e
				}))
			} else {
				keep = append(keep, c)
			}
		}
		if len(keep) == 0 {
			return child, corr, nil
		}
		var cond plan.Expr
		for _, c := range keep {
			cond = andExpr(cond, c)
		}
		return &plan.Filter{Child: child, Cond: cond}, corr, nil
	case *plan.Project:
		child, corr, err := decorrelate(x.Child)
		if err != nil {
			return nil, nil, err
		}
		if len(corr) == 0 {
			return &plan.Project{Child: child, Exprs: x.Exprs}, nil, nil
		}
		exprs := append([]plan.Expr{}, x.Exprs...)
		have := map[int64]bool{}
		for _, e := range exprs {
			have[plan.AttrOf(e).ID] = true
		}
		for _, a := range child.Output() {
			if have[a.ID] {
				continue
			}
			for _, c := range corr {
				if plan.References(c)[a.ID] {
					exprs = append(exprs, &plan.AttrRef{A: a})
					have[a.ID] = true
					break
				}
			}
		}
		return &plan.Project{Child: child, Exprs: exprs}, corr, nil
	case *plan.SubqueryAlias:
		child, corr, err := decorrelate(x.Child)
		if err != nil {
			return nil, nil, err
		}
		return &plan.SubqueryAlias{Child: child, Alias: x.Alias}, corr, nil
	}
	if isCorrelated(n) {
		return nil, nil, &AnalysisError{Msg: "correlated column references are supported only in the WHERE clause of an EXISTS or IN subquery"}
	}
	return n, nil, nil
}

// decorrelateScalars rewrites the correlated scalar subqueries of a Filter
// or Project, SELECT agg(…) FROM … WHERE inner = outer …, into a left
// join with the aggregate grouped by the inner side of the correlation:
// the subquery becomes a column of the joined row. It returns nil when n
// has none.
func (s *Session) decorrelateScalars(ctx context.Context, n plan.Node) (plan.Node, error) {
	var exprs []plan.Expr
	var child plan.Node
	switch x := n.(type) {
	case *plan.Filter:
		exprs, child = []plan.Expr{x.Cond}, x.Child
	case *plan.Project:
		exprs, child = x.Exprs, x.Child
	default:
		return nil, nil
	}
	var subs []*plan.Subquery
	for _, e := range exprs {
		plan.Walk(e, func(x plan.Expr) bool {
			if sq, ok := x.(*plan.Subquery); ok && sq.Kind == plan.ScalarSubquery && isCorrelated(sq.Plan) {
				subs = append(subs, sq)
			}
			return true
		})
	}
	if len(subs) == 0 {
		return nil, nil
	}
	replace := map[*plan.Subquery]plan.Expr{}
	for _, sq := range subs {
		inner := sq.Plan
		for {
			if a, ok := inner.(*plan.SubqueryAlias); ok {
				inner = a.Child
				continue
			}
			break
		}
		agg, ok := inner.(*plan.Aggregate)
		if !ok || len(agg.Groups) > 0 || len(agg.Aggs) != 1 {
			return nil, &AnalysisError{Msg: "a correlated scalar subquery must compute one aggregate without GROUP BY, e.g. (SELECT avg(x) FROM t WHERE t.k = outer.k)"}
		}
		body, corr, err := decorrelate(s.useCache(ctx, agg.Child, nil))
		if err != nil {
			return nil, err
		}
		outer := child.Output()
		var groups, aggs []plan.Expr
		var cond plan.Expr
		for _, c := range corr {
			eq, ok := c.(*plan.Call)
			if !ok || eq.Fn != "=" {
				return nil, &AnalysisError{Msg: fmt.Sprintf("correlated scalar subqueries support equality correlations only, not %s", c.Name())}
			}
			l, r := eq.Args[0], eq.Args[1]
			if refsOnly(l, outer) {
				l, r = r, l
			}
			if !refsOnly(r, outer) || refsOnly(l, outer) {
				return nil, &AnalysisError{Msg: fmt.Sprintf("cannot decorrelate %s", c.Name())}
			}
			key := &plan.Alias{X: l, Alias: fmt.Sprintf("__corr%d", len(groups)), ID: plan.NewID()}
			groups = append(groups, l)
			aggs = append(aggs, key)
			kc, err := plan.ResolveCall(&plan.Call{Fn: "="}, []plan.Expr{r, &plan.AttrRef{A: plan.AttrOf(key)}})
			if err != nil {
				return nil, err
			}
			cond = andExpr(cond, kc)
		}
		val := agg.Aggs[0]
		aggs = append(aggs, val)
		grouped := &plan.Aggregate{Child: body, Groups: groups, Aggs: aggs}
		child = &plan.Join{Left: child, Right: grouped, Type: plan.LeftOuter, Cond: cond}
		var ref plan.Expr = &plan.AttrRef{A: plan.AttrOf(val)}
		// count over no rows is 0, not the NULL a missing group gives.
		if c, ok := plan.Strip(val).(*plan.Call); ok && (c.Fn == "count" || c.Fn == "count_distinct") {
			zero, err := plan.ResolveCall(&plan.Call{Fn: "coalesce"}, []plan.Expr{ref, &plan.Lit{Val: int64(0), T: exec.Int64}})
			if err != nil {
				return nil, err
			}
			ref = zero
		}
		replace[sq] = plan.CastTo(ref, sq.T)
	}
	sub := func(e plan.Expr) plan.Expr {
		return plan.Transform(e, func(x plan.Expr) plan.Expr {
			if sq, ok := x.(*plan.Subquery); ok {
				if r, ok := replace[sq]; ok {
					return r
				}
			}
			return x
		})
	}
	switch x := n.(type) {
	case *plan.Filter:
		var keep []plan.Expr
		for _, a := range x.Child.Output() {
			keep = append(keep, &plan.AttrRef{A: a})
		}
		return &plan.Project{Child: &plan.Filter{Child: child, Cond: sub(x.Cond)}, Exprs: keep}, nil
	case *plan.Project:
		out := make([]plan.Expr, len(x.Exprs))
		for i, e := range x.Exprs {
			out[i] = sub(e)
		}
		return &plan.Project{Child: child, Exprs: out}, nil
	}
	return nil, nil
}

// refsOnly reports whether e reads attributes and all of them are in attrs.
func refsOnly(e plan.Expr, attrs []plan.Attr) bool {
	refs := plan.References(e)
	if len(refs) == 0 {
		return false
	}
	for id := range refs {
		found := false
		for _, a := range attrs {
			if a.ID == id {
				found = true
			}
		}
		if !found {
			return false
		}
	}
	return true
}
