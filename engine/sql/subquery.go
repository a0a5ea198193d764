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
				if ok && sq.Kind == plan.InSubquery {
					o := sq.Plan.Output()[0]
					eq, err := plan.ResolveCall(&plan.Call{Fn: "="}, []plan.Expr{sq.X, plan.CastTo(&plan.AttrRef{A: o}, sq.X.Type())})
					if err != nil {
						firstErr = err
						return n
					}
					t := plan.LeftSemi
					if neg != sq.Not {
						t = plan.LeftAnti
					}
					sub, err := s.rewriteSubqueries(ctx, sq.Plan)
					if err != nil {
						firstErr = err
						return n
					}
					child = &plan.Join{Left: child, Right: sub, Type: t, Cond: eq}
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
