package sql

import (
	"fmt"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"

	"gospark/engine/sql/exec"
	"gospark/engine/sql/plan"
)

// DataFrame is an immutable, lazily evaluated table: a logical plan and the
// session that runs it. Transformations return new DataFrames and check
// names and types at once (panicking with *AnalysisError when wrong);
// actions run the plan.
type DataFrame struct {
	s         *Session
	plan      plan.Node
	broadcast bool
}

// Plan returns the DataFrame's logical plan.
func (df *DataFrame) Plan() plan.Node { return df.plan }

// Session returns the session the DataFrame belongs to.
func (df *DataFrame) Session() *Session { return df.s }

func (df *DataFrame) with(n plan.Node) *DataFrame { return &DataFrame{s: df.s, plan: n} }

func check(err error) {
	if err != nil {
		panic(err)
	}
}

// resolve resolves a column against the DataFrame's output.
func (df *DataFrame) resolve(c Column) plan.Expr {
	e, err := plan.Resolve(c.e, df.plan.Output())
	check(err)
	return e
}

// named gives an unnamed expression Spark's automatic name.
func named(e plan.Expr) plan.Expr {
	switch e.(type) {
	case *plan.AttrRef, *plan.Alias:
		return e
	}
	return &plan.Alias{X: e, Alias: e.Name(), ID: plan.NewID()}
}

// Columns returns the column names.
func (df *DataFrame) Columns() []string {
	out := df.plan.Output()
	names := make([]string, len(out))
	for i, a := range out {
		names[i] = a.Name
	}
	return names
}

// Schema returns the columns as an Arrow schema.
func (df *DataFrame) Schema() *arrow.Schema { return plan.Schema(df.plan.Output()) }

// DTypes returns (name, type) pairs with Spark's type names.
func (df *DataFrame) DTypes() [][2]string {
	var out [][2]string
	for _, a := range df.plan.Output() {
		out = append(out, [2]string{a.Name, exec.SimpleString(a.T)})
	}
	return out
}

// SchemaString renders the schema as printSchema prints it.
func (df *DataFrame) SchemaString() string {
	var b strings.Builder
	b.WriteString("root\n")
	for _, a := range df.plan.Output() {
		fmt.Fprintf(&b, " |-- %s: %s (nullable = true)\n", a.Name, exec.TypeName(a.T))
		if lt, ok := a.T.(*arrow.ListType); ok {
			fmt.Fprintf(&b, " |    |-- element: %s (containsNull = true)\n", exec.TypeName(lt.Elem()))
		}
	}
	return b.String()
}

// PrintSchema prints the schema tree.
func (df *DataFrame) PrintSchema() { fmt.Print(df.SchemaString()) }

// Col returns the column name of this DataFrame, pinned to it so that it
// stays unambiguous in joins (df1.Col("id").Eq(df2.Col("id"))).
func (df *DataFrame) Col(name string) Column {
	ref := Col(name).e
	r, ok := ref.(*plan.ColumnRef)
	if !ok {
		return Column{ref}
	}
	a, err := plan.FindAttr(r, df.plan.Output())
	check(err)
	return Column{&plan.ColumnRef{Qualifier: r.Qualifier, Col: r.Col, ID: a.ID}}
}

// toColumns converts Select-style arguments: strings are column names (or
// "*"), Columns as they are.
func toColumns(cols []any) []Column {
	out := make([]Column, len(cols))
	for i, c := range cols {
		switch x := c.(type) {
		case string:
			out[i] = Col(x)
		case Column:
			out[i] = x
		case []string:
			panic(&AnalysisError{Msg: "pass column names as separate arguments: Select(names...)"})
		default:
			out[i] = Lit(c)
		}
	}
	return out
}

// expandStar resolves a list of columns, expanding * and t.*.
func (df *DataFrame) expand(cols []Column) []plan.Expr {
	var out []plan.Expr
	for _, c := range cols {
		if s, ok := c.e.(*plan.Star); ok {
			n := 0
			for _, a := range df.plan.Output() {
				if s.Qualifier == "" || strings.EqualFold(a.Qualifier, s.Qualifier) {
					out = append(out, &plan.AttrRef{A: a})
					n++
				}
			}
			if n == 0 && s.Qualifier != "" {
				panic(&AnalysisError{Msg: fmt.Sprintf("cannot resolve %s.*: no table %s among the inputs", s.Qualifier, s.Qualifier)})
			}
			continue
		}
		out = append(out, named(df.resolve(c)))
	}
	return out
}

func hasWindow(e plan.Expr) bool {
	return plan.Contains(e, func(x plan.Expr) bool { _, ok := x.(*plan.WindowExpr); return ok })
}

// Select computes the given columns (names, "*", or Columns). Selecting
// aggregates without GroupBy aggregates the whole DataFrame.
func (df *DataFrame) Select(cols ...any) *DataFrame {
	return df.with(df.project(df.expand(toColumns(cols))))
}

// project builds the node for a select list: a Project, an Aggregate when
// there are aggregates, and Windows below when there are window functions.
func (df *DataFrame) project(exprs []plan.Expr) plan.Node {
	child := df.plan
	child, exprs = extractGenerator(child, exprs)
	anyAgg, anyWin := false, false
	for _, e := range exprs {
		if plan.Contains(e, func(x plan.Expr) bool {
			if _, ok := x.(*plan.WindowExpr); ok {
				return false
			}
			return plan.IsAgg(x)
		}) && !hasWindow(e) {
			anyAgg = true
		}
		if hasWindow(e) {
			anyWin = true
		}
	}
	if anyWin {
		child, exprs = extractWindows(child, exprs)
	}
	if anyAgg && !anyWin {
		_, _, _, _, err := plan.SplitAggregate(nil, exprs)
		check(err)
		return &plan.Aggregate{Child: child, Aggs: exprs}
	}
	return &plan.Project{Child: child, Exprs: exprs}
}

func isGenerator(e plan.Expr) bool {
	c, ok := e.(*plan.Call)
	return ok && c.Kind == plan.KindGenerator
}

// extractGenerator turns an explode in the select list into a Generate
// node below the projection (one per select list, at its top level, like
// Spark).
func extractGenerator(child plan.Node, exprs []plan.Expr) (plan.Node, []plan.Expr) {
	out := append([]plan.Expr{}, exprs...)
	found := false
	for i, e := range exprs {
		inner, name := e, "col"
		if a, ok := e.(*plan.Alias); ok {
			inner = a.X
			if a.Alias != inner.Name() {
				name = a.Alias
			}
		}
		if !isGenerator(inner) {
			if plan.Contains(e, isGenerator) {
				panic(&AnalysisError{Msg: fmt.Sprintf("explode must be the whole expression of a select item, not part of %s", e.Name())})
			}
			continue
		}
		if found {
			panic(&AnalysisError{Msg: "only one explode is allowed per select clause"})
		}
		found = true
		c := inner.(*plan.Call)
		elem := plan.Attr{ID: plan.NewID(), Name: name, T: c.T}
		child = &plan.Generate{Child: child, Array: c.Args[0], Outer: c.Fn == "explode_outer", Elem: elem}
		out[i] = &plan.AttrRef{A: elem}
	}
	return child, out
}

// extractWindows moves window expressions into a Window node under the
// projection and replaces them with references to its columns.
func extractWindows(child plan.Node, exprs []plan.Expr) (plan.Node, []plan.Expr) {
	var wins []plan.Expr
	out := make([]plan.Expr, len(exprs))
	for i, e := range exprs {
		out[i] = plan.Transform(e, func(x plan.Expr) plan.Expr {
			w, ok := x.(*plan.WindowExpr)
			if !ok {
				return x
			}
			a := &plan.Alias{X: w, Alias: w.Name(), ID: plan.NewID()}
			wins = append(wins, a)
			return &plan.AttrRef{A: plan.AttrOf(a)}
		})
		// Keep the window's automatic name for the output column.
		if al, ok := out[i].(*plan.Alias); ok && al.Alias == "" {
			al.Alias = exprs[i].Name()
		}
	}
	return &plan.Window{Child: child, Exprs: wins}, out
}

// SelectExpr selects SQL expressions, e.g. SelectExpr("id", "v1 * 2 AS x").
func (df *DataFrame) SelectExpr(exprs ...string) *DataFrame {
	cols := make([]any, len(exprs))
	for i, s := range exprs {
		cols[i] = Expr(s)
	}
	return df.Select(cols...)
}

// condition converts a Filter argument: a Column or a SQL string.
func condition(cond any) Column {
	switch c := cond.(type) {
	case string:
		return Expr(c)
	case Column:
		return c
	}
	panic(&AnalysisError{Msg: fmt.Sprintf("a filter condition must be a Column or a SQL string, not %T", cond)})
}

// Filter keeps the rows where cond (a Column or a SQL string) is true.
func (df *DataFrame) Filter(cond any) *DataFrame {
	e := df.resolve(condition(cond))
	if e.Type().ID() != arrow.BOOL && e.Type().ID() != arrow.NULL {
		panic(&AnalysisError{Msg: fmt.Sprintf("filter expression %s is of type %s, not boolean", e.Name(), exec.SimpleString(e.Type()))})
	}
	if plan.Contains(e, plan.IsAgg) {
		panic(&AnalysisError{Msg: fmt.Sprintf("aggregate functions are not allowed in a filter: %s (use GroupBy(...).Agg(...) and filter its result)", e.Name())})
	}
	return df.with(&plan.Filter{Child: df.plan, Cond: e})
}

// Where is Filter.
func (df *DataFrame) Where(cond any) *DataFrame { return df.Filter(cond) }

// WithColumn adds a column, or replaces the column of that name.
func (df *DataFrame) WithColumn(name string, col Column) *DataFrame {
	e := df.resolve(col)
	var exprs []plan.Expr
	replaced := false
	for _, a := range df.plan.Output() {
		if strings.EqualFold(a.Name, name) {
			exprs = append(exprs, &plan.Alias{X: e, Alias: name, ID: plan.NewID()})
			replaced = true
			continue
		}
		exprs = append(exprs, &plan.AttrRef{A: a})
	}
	if !replaced {
		exprs = append(exprs, &plan.Alias{X: e, Alias: name, ID: plan.NewID()})
	}
	return df.with(df.project(exprs))
}

// WithColumnRenamed renames a column (no-op if it does not exist, like
// Spark).
func (df *DataFrame) WithColumnRenamed(existing, newName string) *DataFrame {
	var exprs []plan.Expr
	for _, a := range df.plan.Output() {
		if strings.EqualFold(a.Name, existing) {
			exprs = append(exprs, &plan.Alias{X: &plan.AttrRef{A: a}, Alias: newName, ID: plan.NewID()})
		} else {
			exprs = append(exprs, &plan.AttrRef{A: a})
		}
	}
	return df.with(&plan.Project{Child: df.plan, Exprs: exprs})
}

// Drop removes columns (names that do not exist are ignored, like Spark).
func (df *DataFrame) Drop(cols ...any) *DataFrame {
	drop := map[int64]bool{}
	for _, c := range cols {
		switch x := c.(type) {
		case string:
			for _, a := range df.plan.Output() {
				if strings.EqualFold(a.Name, x) {
					drop[a.ID] = true
				}
			}
		case Column:
			if r, ok := df.resolve(x).(*plan.AttrRef); ok {
				drop[r.A.ID] = true
			}
		}
	}
	var exprs []plan.Expr
	for _, a := range df.plan.Output() {
		if !drop[a.ID] {
			exprs = append(exprs, &plan.AttrRef{A: a})
		}
	}
	return df.with(&plan.Project{Child: df.plan, Exprs: exprs})
}

// Alias names the DataFrame for qualified column names ("a.id").
func (df *DataFrame) Alias(name string) *DataFrame {
	return df.with(&plan.SubqueryAlias{Child: df.plan, Alias: name})
}

// orders converts OrderBy arguments.
func (df *DataFrame) orders(cols []any) []*plan.SortOrder {
	var out []*plan.SortOrder
	for _, c := range toColumns(cols) {
		o := df.resolve(Column{sortOrder(c)}).(*plan.SortOrder)
		out = append(out, o)
	}
	return out
}

// OrderBy sorts the whole DataFrame by columns (names or Columns with
// Asc/Desc…). Like Spark, it may sort by a column of the input of a
// projection that the projection dropped.
func (df *DataFrame) OrderBy(cols ...any) *DataFrame {
	var orders []*plan.SortOrder
	var missing []plan.Attr
	proj, isProj := df.plan.(*plan.Project)
	for _, c := range toColumns(cols) {
		o := Column{sortOrder(c)}
		r, err := plan.Resolve(o.e, df.plan.Output())
		if err != nil && isProj {
			if r2, err2 := plan.Resolve(o.e, proj.Child.Output()); err2 == nil {
				r, err = r2, nil
				for id := range plan.References(r2) {
					for _, a := range proj.Child.Output() {
						if a.ID == id {
							missing = append(missing, a)
						}
					}
				}
			}
		}
		check(err)
		orders = append(orders, r.(*plan.SortOrder))
	}
	if len(missing) == 0 {
		return df.with(&plan.Sort{Child: df.plan, Orders: orders, Global: true})
	}
	wide := append([]plan.Expr{}, proj.Exprs...)
	for _, a := range missing {
		wide = append(wide, &plan.AttrRef{A: a})
	}
	sorted := &plan.Sort{Child: &plan.Project{Child: proj.Child, Exprs: dedupeNamed(wide)}, Orders: orders, Global: true}
	var keep []plan.Expr
	for _, a := range df.plan.Output() {
		keep = append(keep, &plan.AttrRef{A: a})
	}
	return df.with(&plan.Project{Child: sorted, Exprs: keep})
}

// Sort is OrderBy.
func (df *DataFrame) Sort(cols ...any) *DataFrame { return df.OrderBy(cols...) }

// SortWithinPartitions sorts each partition on its own.
func (df *DataFrame) SortWithinPartitions(cols ...any) *DataFrame {
	return df.with(&plan.Sort{Child: df.plan, Orders: df.orders(cols)})
}

// Limit keeps the first n rows.
func (df *DataFrame) Limit(n int) *DataFrame {
	if n < 0 {
		panic(&AnalysisError{Msg: fmt.Sprintf("Limit needs a non-negative count, got %d", n)})
	}
	return df.with(&plan.Limit{Child: df.plan, N: n})
}

// Offset skips the first n rows.
func (df *DataFrame) Offset(n int) *DataFrame {
	return df.with(&plan.Limit{Child: df.plan, N: 1 << 62, Offset: n})
}

// Distinct removes duplicate rows.
func (df *DataFrame) Distinct() *DataFrame { return df.with(&plan.Distinct{Child: df.plan}) }

// DropDuplicates removes rows that repeat the given columns (all columns
// when none are given), keeping the first row seen of each.
func (df *DataFrame) DropDuplicates(cols ...string) *DataFrame {
	if len(cols) == 0 {
		return df.Distinct()
	}
	var groups []plan.Expr
	keys := map[int64]bool{}
	for _, c := range cols {
		r := df.resolve(Col(c)).(*plan.AttrRef)
		groups = append(groups, r)
		keys[r.A.ID] = true
	}
	var aggs []plan.Expr
	for _, a := range df.plan.Output() {
		if keys[a.ID] {
			aggs = append(aggs, &plan.AttrRef{A: a})
			continue
		}
		first, err := plan.ResolveCall(&plan.Call{Fn: "first"}, []plan.Expr{&plan.AttrRef{A: a}})
		check(err)
		aggs = append(aggs, &plan.Alias{X: first, Alias: a.Name, ID: plan.NewID()})
	}
	return df.with(&plan.Aggregate{Child: df.plan, Groups: groups, Aggs: aggs})
}
