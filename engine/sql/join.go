package sql

import (
	"fmt"

	"gospark/engine/sql/plan"
)

// Join joins with other. on is a column name (string), several names
// ([]string: equal values, each kept once in the output, like SQL USING)
// or a boolean Column; how is inner (default), left, right, full (outer),
// left_semi, left_anti or cross.
func (df *DataFrame) Join(other *DataFrame, on any, how ...string) *DataFrame {
	h := "inner"
	if len(how) > 0 {
		h = how[0]
	}
	t, err := plan.ParseJoinType(h)
	if err != nil {
		panic(&AnalysisError{Msg: err.Error()})
	}
	if plan.SharesAttrs(df.plan, other.plan) {
		// A self-join: the right side gets fresh attributes, as Spark's
		// analyzer deduplicates them.
		o := *other
		o.plan = plan.Reinstance(other.plan)
		other = &o
	}
	bc := 0
	if other.broadcast {
		bc = 2
	} else if df.broadcast {
		bc = 1
	}
	switch o := on.(type) {
	case nil:
		return df.joinOn(other, nil, t, bc)
	case string:
		return df.joinUsing(other, []string{o}, t, bc)
	case []string:
		return df.joinUsing(other, o, t, bc)
	case Column:
		return df.joinOn(other, &o, t, bc)
	}
	panic(&AnalysisError{Msg: fmt.Sprintf("Join: on must be a column name, []string or a Column, not %T", on)})
}

// CrossJoin is the Cartesian product.
func (df *DataFrame) CrossJoin(other *DataFrame) *DataFrame {
	return df.joinOn(other, nil, plan.Cross, 0)
}

func (df *DataFrame) joinOn(other *DataFrame, cond *Column, t plan.JoinType, bc int) *DataFrame {
	j := &plan.Join{Left: df.plan, Right: other.plan, Type: t, Broadcast: bc}
	if cond != nil {
		both := append(append([]plan.Attr{}, df.plan.Output()...), other.plan.Output()...)
		e, err := plan.Resolve(cond.e, both)
		check(err)
		j.Cond = e
	} else if t != plan.Cross && t != plan.Inner {
		panic(&AnalysisError{Msg: fmt.Sprintf("a %s join needs a join condition", t)})
	}
	return df.with(j)
}

func (df *DataFrame) joinUsing(other *DataFrame, cols []string, t plan.JoinType, bc int) *DataFrame {
	var cond plan.Expr
	var lks, rks []plan.Attr
	for _, c := range cols {
		l, err := plan.FindAttr(&plan.ColumnRef{Col: c}, df.plan.Output())
		if err != nil {
			panic(&AnalysisError{Msg: fmt.Sprintf("USING column %q cannot be resolved on the left side of the join: %v", c, err)})
		}
		r, err := plan.FindAttr(&plan.ColumnRef{Col: c}, other.plan.Output())
		if err != nil {
			panic(&AnalysisError{Msg: fmt.Sprintf("USING column %q cannot be resolved on the right side of the join: %v", c, err)})
		}
		eq, err := plan.ResolveCall(&plan.Call{Fn: "="}, []plan.Expr{&plan.AttrRef{A: l}, &plan.AttrRef{A: r}})
		check(err)
		if cond == nil {
			cond = eq
		} else {
			cond = &plan.Call{Fn: "and", Args: []plan.Expr{cond, eq}, Kind: plan.KindOperator, T: eq.Type()}
		}
		lks, rks = append(lks, l), append(rks, r)
	}
	j := &plan.Join{Left: df.plan, Right: other.plan, Type: t, Cond: cond, Broadcast: bc}
	if t == plan.LeftSemi || t == plan.LeftAnti {
		return df.with(j)
	}
	// Output: the key columns once, then the other left, then right columns.
	isKey := func(a plan.Attr, ks []plan.Attr) bool {
		for _, k := range ks {
			if k.ID == a.ID {
				return true
			}
		}
		return false
	}
	var exprs []plan.Expr
	for i := range cols {
		var e plan.Expr
		switch t {
		case plan.RightOuter:
			e = &plan.AttrRef{A: rks[i]}
		case plan.FullOuter:
			c, err := plan.ResolveCall(&plan.Call{Fn: "coalesce"}, []plan.Expr{&plan.AttrRef{A: lks[i]}, &plan.AttrRef{A: rks[i]}})
			check(err)
			e = &plan.Alias{X: c, Alias: lks[i].Name, ID: plan.NewID()}
		default:
			e = &plan.AttrRef{A: lks[i]}
		}
		exprs = append(exprs, e)
	}
	for _, a := range df.plan.Output() {
		if !isKey(a, lks) {
			exprs = append(exprs, &plan.AttrRef{A: a})
		}
	}
	for _, a := range other.plan.Output() {
		if !isKey(a, rks) {
			exprs = append(exprs, &plan.AttrRef{A: a})
		}
	}
	return df.with(&plan.Project{Child: j, Exprs: exprs})
}
