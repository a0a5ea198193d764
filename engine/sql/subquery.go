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
