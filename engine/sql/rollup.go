package sql

import (
	"fmt"

	"gospark/engine/sql/exec"
	"gospark/engine/sql/plan"
)

// Rollup groups by the hierarchy of the columns: (a, b, c), (a, b), (a),
// and the grand total, with NULL in the rolled-up columns.
func (df *DataFrame) Rollup(cols ...any) *GroupedData {
	g := df.GroupBy(cols...)
	n := len(g.groups)
	for k := n; k >= 0; k-- {
		set := make([]bool, n)
		for i := 0; i < k; i++ {
			set[i] = true
		}
		g.sets = append(g.sets, set)
	}
	return g
}

// Cube groups by every subset of the columns, with NULL in the columns
// left out.
func (df *DataFrame) Cube(cols ...any) *GroupedData {
	g := df.GroupBy(cols...)
	n := len(g.groups)
	if n > 12 {
		panic(&AnalysisError{Msg: fmt.Sprintf("Cube of %d columns makes %d grouping sets; at most 12 columns", n, 1<<n)})
	}
	for mask := (1 << n) - 1; mask >= 0; mask-- {
		set := make([]bool, n)
		for i := 0; i < n; i++ {
			set[i] = mask&(1<<(n-1-i)) != 0
		}
		g.sets = append(g.sets, set)
	}
	return g
}

// aggSets computes the aggregates once per grouping set and unions the
// results; a column outside a set is NULL in that set's rows.
func (g *GroupedData) aggSets(cols []Column) *DataFrame {
	var out *DataFrame
	for _, set := range g.sets {
		var keep []any
		for i, in := range set {
			if in {
				keep = append(keep, Column{g.groups[i]})
			}
		}
		part := g.df.GroupBy(keep...).Agg(cols...)
		// Put the grouping columns back in place, NULL where rolled up.
		var sel []any
		k := 0
		for i, in := range set {
			a := plan.AttrOf(g.groups[i])
			if in {
				sel = append(sel, Column{&plan.AttrRef{A: part.plan.Output()[k]}})
				k++
			} else {
				sel = append(sel, Lit(nil).Cast(exec.SimpleString(a.T)).Alias(a.Name))
			}
		}
		for _, a := range part.plan.Output()[k:] {
			sel = append(sel, Column{&plan.AttrRef{A: a}})
		}
		part = part.Select(sel...)
		if out == nil {
			out = part
		} else {
			out = out.Union(part)
		}
	}
	return out
}
