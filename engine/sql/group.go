package sql

import (
	"fmt"

	"gospark/engine/sql/exec"
	"gospark/engine/sql/plan"
)

// GroupedData is a DataFrame grouped by some columns, waiting for Agg or
// one of its shortcuts.
type GroupedData struct {
	df     *DataFrame
	groups []plan.Expr
	// sets are the grouping sets of Rollup and Cube (nil for GroupBy):
	// which grouping columns each set keeps.
	sets [][]bool
}

// GroupBy groups rows by columns (names or Columns).
func (df *DataFrame) GroupBy(cols ...any) *GroupedData {
	var groups []plan.Expr
	for _, c := range toColumns(cols) {
		e := df.resolve(c)
		if plan.Contains(e, plan.IsAgg) {
			panic(&AnalysisError{Msg: fmt.Sprintf("aggregate functions are not allowed in GROUP BY: %s", e.Name())})
		}
		groups = append(groups, named(e))
	}
	return &GroupedData{df: df, groups: groups}
}

// Agg aggregates the whole DataFrame without groups.
func (df *DataFrame) Agg(cols ...Column) *DataFrame { return df.GroupBy().Agg(cols...) }

// Agg computes aggregates per group; the result has the grouping columns
// then one column per aggregate.
func (g *GroupedData) Agg(cols ...Column) *DataFrame {
	if len(cols) == 0 {
		panic(&AnalysisError{Msg: "Agg needs at least one aggregate"})
	}
	if g.sets != nil {
		return g.aggSets(cols)
	}
	aggs := append([]plan.Expr{}, g.groups...)
	for _, c := range cols {
		e := named(g.df.resolve(c))
		if !plan.Contains(e, plan.IsAgg) && !isGroupExpr(e, g.groups) {
			panic(&AnalysisError{Msg: fmt.Sprintf("%s is not an aggregate function; Agg takes aggregates such as Sum(\"x\")", e.Name())})
		}
		aggs = append(aggs, e)
	}
	groups := make([]plan.Expr, len(g.groups))
	for i, e := range g.groups {
		groups[i] = plan.Strip(e)
	}
	_, _, _, _, err := plan.SplitAggregate(groups, aggs)
	check(err)
	return g.df.with(&plan.Aggregate{Child: g.df.plan, Groups: groups, Aggs: aggs})
}

func isGroupExpr(e plan.Expr, groups []plan.Expr) bool {
	for _, g := range groups {
		if plan.Strip(g).String() == plan.Strip(e).String() {
			return true
		}
	}
	return false
}

// numericColumns returns the named columns, or every numeric column when
// none are named; names must be numeric.
func (g *GroupedData) numericColumns(fn string, cols []string) []string {
	if len(cols) > 0 {
		for _, c := range cols {
			e := g.df.resolve(Col(c))
			if !exec.IsNumeric(e.Type()) {
				panic(&AnalysisError{Msg: fmt.Sprintf("%s: %q is not a numeric column", fn, c)})
			}
		}
		return cols
	}
	var out []string
	for _, a := range g.df.plan.Output() {
		if exec.IsNumeric(a.T) && !isGroupExpr(&plan.AttrRef{A: a}, g.groups) {
			out = append(out, a.Name)
		}
	}
	return out
}

func (g *GroupedData) each(fn string, cols []string, f func(any) Column) *DataFrame {
	var aggs []Column
	for _, c := range g.numericColumns(fn, cols) {
		aggs = append(aggs, f(c))
	}
	if len(aggs) == 0 {
		return g.df.with(&plan.Aggregate{Child: g.df.plan, Groups: stripAll(g.groups), Aggs: g.groups})
	}
	return g.Agg(aggs...)
}

func stripAll(es []plan.Expr) []plan.Expr {
	out := make([]plan.Expr, len(es))
	for i, e := range es {
		out[i] = plan.Strip(e)
	}
	return out
}

// Count counts the rows of each group (column "count").
func (g *GroupedData) Count() *DataFrame { return g.Agg(Count("*").Alias("count")) }

// Sum sums numeric columns (all of them when none are named).
func (g *GroupedData) Sum(cols ...string) *DataFrame { return g.each("sum", cols, Sum) }

// Avg averages numeric columns (all of them when none are named).
func (g *GroupedData) Avg(cols ...string) *DataFrame { return g.each("avg", cols, Avg) }

// Mean is Avg.
func (g *GroupedData) Mean(cols ...string) *DataFrame { return g.each("avg", cols, Avg) }

// Min takes the minimum of numeric columns.
func (g *GroupedData) Min(cols ...string) *DataFrame { return g.each("min", cols, Min) }

// Max takes the maximum of numeric columns.
func (g *GroupedData) Max(cols ...string) *DataFrame { return g.each("max", cols, Max) }

// Pivot is not supported yet.
func (g *GroupedData) Pivot(col string, values ...any) *GroupedData {
	panic(&AnalysisError{Msg: "GroupBy(...).Pivot is not supported yet"})
}
