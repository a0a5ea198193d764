package sql

import (
	"fmt"
	"strings"

	"github.com/pingcap/tidb/pkg/parser/ast"

	"gospark/engine/sql/plan"
)

func (t *translator) selectStmt(sel *ast.SelectStmt) plan.Node {
	if sel.Kind == ast.SelectStmtKindValues || len(sel.Lists) > 0 {
		panic(&AnalysisError{Msg: "VALUES lists are not supported"})
	}
	return t.withCTEs(sel.With, func() plan.Node {
		for _, w := range sel.WindowSpecs {
			t.windows[w.Name.L] = w
		}
		var df *DataFrame
		if sel.From != nil && sel.From.TableRefs != nil {
			df = t.from(sel.From.TableRefs)
		} else {
			df = t.s.oneRow()
		}
		if sel.Where != nil {
			t.scopes = append(t.scopes, df.plan.Output())
			cond := t.outerRefs(t.expr(sel.Where), df.plan.Output())
			t.scopes = t.scopes[:len(t.scopes)-1]
			df = df.Filter(Column{cond})
		}
		// The select list, with stars expanded and names given; its scalar
		// subqueries may name the FROM columns.
		t.scopes = append(t.scopes, df.plan.Output())
		defer func() { t.scopes = t.scopes[:len(t.scopes)-1] }()
		var items []Column
		for _, f := range sel.Fields.Fields {
			if f.WildCard != nil {
				items = append(items, Column{&plan.Star{Qualifier: f.WildCard.Table.O}})
				continue
			}
			e := t.expr(f.Expr)
			if f.AsName.O != "" {
				e = &plan.Alias{X: e, Alias: f.AsName.O}
			}
			items = append(items, Column{e})
		}
		exprs := df.expand(items)
		hasAgg := false
		for _, e := range exprs {
			if containsAggOutsideWindow(e) {
				hasAgg = true
			}
		}
		var having plan.Expr
		if sel.Having != nil {
			having = t.expr(sel.Having.Expr)
		}
		var out *DataFrame
		if sel.GroupBy != nil || hasAgg || having != nil {
			out = t.aggregate(df, sel, exprs, having)
		} else {
			out = df.with(df.project(exprs))
			if sel.OrderBy != nil {
				return t.orderLimitHidden(df, out, exprs, sel).plan
			}
		}
		if sel.Distinct {
			out = out.Distinct()
		}
		return t.orderLimit(out, sel.OrderBy, sel.Limit, nil).plan
	})
}

func containsAggOutsideWindow(e plan.Expr) bool {
	found := false
	var walk func(e plan.Expr)
	walk = func(e plan.Expr) {
		if found {
			return
		}
		if _, ok := e.(*plan.WindowExpr); ok {
			return
		}
		if plan.IsAgg(e) {
			found = true
			return
		}
		for _, c := range e.Children() {
			walk(c)
		}
	}
	walk(e)
	return found
}

// aggregate builds GROUP BY … HAVING: the groups may be ordinals or select
// aliases; HAVING may use aggregates that are not selected (they are
// computed as hidden columns and projected away).
func (t *translator) aggregate(df *DataFrame, sel *ast.SelectStmt, exprs []plan.Expr, having plan.Expr) *DataFrame {
	var groups []plan.Expr
	if sel.GroupBy != nil {
		if sel.GroupBy.Rollup {
			return t.rollup(df, sel, exprs, having)
		}
		for _, it := range sel.GroupBy.Items {
			g := t.expr(it.Expr)
			if l, ok := g.(*plan.Lit); ok {
				if n, ok := l.Val.(int32); ok && int(n) >= 1 && int(n) <= len(exprs) {
					groups = append(groups, plan.Strip(exprs[n-1]))
					continue
				}
			}
			if r, ok := g.(*plan.ColumnRef); ok && r.Qualifier == "" {
				if _, err := plan.FindAttr(r, df.plan.Output()); err != nil {
					if e := aliasNamed(exprs, r.Col); e != nil {
						groups = append(groups, e)
						continue
					}
				}
			}
			groups = append(groups, df.resolve(Column{g}))
		}
	}
	aggs := append([]plan.Expr{}, exprs...)
	visible := len(aggs)
	var havingExpr plan.Expr
	if having != nil {
		// HAVING may name select aliases.
		having = plan.Transform(having, func(e plan.Expr) plan.Expr {
			if r, ok := e.(*plan.ColumnRef); ok && r.Qualifier == "" {
				if _, err := plan.FindAttr(r, df.plan.Output()); err != nil {
					if a := aliasAttr(exprs, r.Col); a != nil {
						return a
					}
				}
			}
			return e
		})
		h, err := plan.Resolve(having, append(append([]plan.Attr{}, df.plan.Output()...), namedAttrsOf(exprs)...))
		check(err)
		// Aggregates in HAVING become hidden output columns.
		h = plan.Transform(h, func(e plan.Expr) plan.Expr {
			if c, ok := e.(*plan.Call); ok && c.Kind == plan.KindAgg {
				a := &plan.Alias{X: c, Alias: c.Name(), ID: plan.NewID()}
				aggs = append(aggs, a)
				return &plan.AttrRef{A: plan.AttrOf(a)}
			}
			return e
		})
		havingExpr = h
	}
	// Grouping expressions referenced outside aggregates must match.
	_, _, _, _, err := plan.SplitAggregate(groups, aggs)
	check(err)
	var n plan.Node = &plan.Aggregate{Child: df.plan, Groups: groups, Aggs: aggs}
	if havingExpr != nil {
		// References to select aliases are attributes of the aggregate.
		n = &plan.Filter{Child: n, Cond: havingExpr}
	}
	if len(aggs) > visible {
		var keep []plan.Expr
		for _, a := range n.Output()[:visible] {
			keep = append(keep, &plan.AttrRef{A: a})
		}
		n = &plan.Project{Child: n, Exprs: keep}
	}
	return df.with(n)
}

func namedAttrsOf(exprs []plan.Expr) []plan.Attr {
	var out []plan.Attr
	for _, e := range exprs {
		out = append(out, plan.AttrOf(e))
	}
	return out
}

func aliasNamed(exprs []plan.Expr, name string) plan.Expr {
	for _, e := range exprs {
		if a, ok := e.(*plan.Alias); ok && strings.EqualFold(a.Alias, name) {
			return a.X
		}
	}
	return nil
}

func aliasAttr(exprs []plan.Expr, name string) plan.Expr {
	for _, e := range exprs {
		if a, ok := e.(*plan.Alias); ok && strings.EqualFold(a.Alias, name) {
			return &plan.AttrRef{A: plan.AttrOf(a)}
		}
	}
	return nil
}

// orderLimit applies ORDER BY (over the output columns, or ordinals) and
// LIMIT/OFFSET.
func (t *translator) orderLimit(df *DataFrame, ob *ast.OrderByClause, lim *ast.Limit, _ []plan.Expr) *DataFrame {
	if ob != nil {
		var orders []any
		for _, it := range ob.Items {
			o := t.orderItem(it)
			if l, ok := o.X.(*plan.Lit); ok {
				if n, ok := l.Val.(int32); ok && int(n) >= 1 && int(n) <= len(df.plan.Output()) {
					a := df.plan.Output()[n-1]
					o = &plan.SortOrder{X: &plan.AttrRef{A: a}, Desc: o.Desc, NullsFirst: o.NullsFirst}
				}
			}
			orders = append(orders, Column{o})
		}
		df = df.OrderBy(orders...)
	}
	return t.limit(df, lim)
}

func (t *translator) limit(df *DataFrame, lim *ast.Limit) *DataFrame {
	if lim == nil {
		return df
	}
	n := int(boundValue(t.expr(lim.Count)))
	off := 0
	if lim.Offset != nil {
		off = int(boundValue(t.expr(lim.Offset)))
	}
	return df.with(&plan.Limit{Child: df.plan, N: n, Offset: off})
}

// orderLimitHidden orders a plain SELECT, allowing ORDER BY to use input
// columns that are not selected (Spark adds them and projects them away).
func (t *translator) orderLimitHidden(in, out *DataFrame, exprs []plan.Expr, sel *ast.SelectStmt) *DataFrame {
	var orders []*plan.SortOrder
	hidden := false
	for _, it := range sel.OrderBy.Items {
		o := t.orderItem(it)
		if l, ok := o.X.(*plan.Lit); ok {
			if n, ok := l.Val.(int32); ok && int(n) >= 1 && int(n) <= len(exprs) {
				o = &plan.SortOrder{X: &plan.AttrRef{A: out.plan.Output()[n-1]}, Desc: o.Desc, NullsFirst: o.NullsFirst}
			}
		}
		r, err := plan.Resolve(o, out.plan.Output())
		if err != nil {
			r, err = plan.Resolve(o, in.plan.Output())
			if err != nil {
				panic(err)
			}
			hidden = true
		}
		orders = append(orders, r.(*plan.SortOrder))
	}
	if sel.Distinct && hidden {
		panic(&AnalysisError{Msg: "ORDER BY columns must be selected when SELECT DISTINCT is used"})
	}
	if !hidden {
		res := out
		if sel.Distinct {
			res = res.Distinct()
		}
		res = res.with(&plan.Sort{Child: res.plan, Orders: orders, Global: true})
		return t.limit(res, sel.Limit)
	}
	// Project the select list plus the hidden inputs, sort, project away.
	proj, ok := out.plan.(*plan.Project)
	if !ok {
		panic(&AnalysisError{Msg: "ORDER BY on a column that is not selected is not supported with window functions"})
	}
	wide := append([]plan.Expr{}, proj.Exprs...)
	for _, a := range in.plan.Output() {
		wide = append(wide, &plan.AttrRef{A: a})
	}
	var n plan.Node = &plan.Project{Child: proj.Child, Exprs: dedupeNamed(wide)}
	n = &plan.Sort{Child: n, Orders: orders, Global: true}
	if sel.Limit != nil {
		n = t.limit(out.with(n), sel.Limit).plan
	}
	var keep []plan.Expr
	for _, a := range out.plan.Output() {
		keep = append(keep, &plan.AttrRef{A: a})
	}
	return out.with(&plan.Project{Child: n, Exprs: keep})
}

func dedupeNamed(es []plan.Expr) []plan.Expr {
	seen := map[int64]bool{}
	var out []plan.Expr
	for _, e := range es {
		id := plan.AttrOf(e).ID
		if !seen[id] {
			seen[id] = true
			out = append(out, e)
		}
	}
	return out
}

// oneRow is the input of a SELECT without FROM.
func (s *Session) oneRow() *DataFrame {
	df := s.CreateDataFrame([][]any{{int32(1)}}, "__dummy INT")
	return df
}

// correlated translates a subquery of IN or EXISTS, whose WHERE may name
// columns of the enclosing query (t.scopes).
func (t *translator) correlated(n ast.Node) plan.Node {
	t.inSubquery++
	defer func() { t.inSubquery-- }()
	return t.subquery(n)
}

// outerRefs replaces, inside a subquery's condition, the names that only
// the enclosing queries' columns resolve with OuterRefs.
func (t *translator) outerRefs(cond plan.Expr, local []plan.Attr) plan.Expr {
	if t.inSubquery == 0 || len(t.scopes) < 2 {
		return cond
	}
	return plan.Transform(cond, func(e plan.Expr) plan.Expr {
		r, ok := e.(*plan.ColumnRef)
		if !ok {
			return e
		}
		if _, err := plan.FindAttr(r, local); err == nil {
			return e
		}
		for i := len(t.scopes) - 2; i >= 0; i-- {
			if a, err := plan.FindAttr(r, t.scopes[i]); err == nil {
				return &plan.OuterRef{A: a}
			}
		}
		return e
	})
}

// rollup is GROUP BY … WITH ROLLUP: select items that are grouping
// columns or aggregates.
func (t *translator) rollup(df *DataFrame, sel *ast.SelectStmt, exprs []plan.Expr, having plan.Expr) *DataFrame {
	if having != nil {
		panic(&AnalysisError{Msg: "HAVING with ROLLUP is not supported"})
	}
	var keys []any
	for _, it := range sel.GroupBy.Items {
		keys = append(keys, Column{t.expr(it.Expr)})
	}
	g := df.Rollup(keys...)
	var aggs []Column
	for _, e := range exprs {
		if plan.Contains(e, plan.IsAgg) {
			aggs = append(aggs, Column{e})
		} else if !isGroupExpr(e, g.groups) {
			panic(&AnalysisError{Msg: fmt.Sprintf("%s must be a grouping column or an aggregate with ROLLUP", e.Name())})
		}
	}
	out := g.Agg(aggs...)
	// Order the columns as the select list names them.
	var cols []any
	for _, e := range exprs {
		cols = append(cols, Col(plan.AttrOf(e).Name))
	}
	return out.Select(cols...)
}
