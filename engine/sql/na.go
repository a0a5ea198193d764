package sql

import (
	"fmt"
	"math"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"

	"gospark/engine/sql/exec"
	"gospark/engine/sql/plan"
)

// NaFunctions handles missing values (df.Na()).
type NaFunctions struct{ df *DataFrame }

// Na returns the missing-value functions.
func (df *DataFrame) Na() NaFunctions { return NaFunctions{df: df} }

// Fill replaces NULLs with value in the given columns, or in every column
// whose type the value fits (numbers fill numeric columns, strings string
// columns, booleans boolean columns) when none are named.
func (n NaFunctions) Fill(value any, cols ...string) *DataFrame {
	df := n.df
	lit := Lit(value)
	lt := lit.e.Type()
	var exprs []plan.Expr
	for _, a := range df.plan.Output() {
		named := len(cols) == 0
		for _, c := range cols {
			if strings.EqualFold(c, a.Name) {
				named = true
			}
		}
		fits := (exec.IsNumeric(a.T) && exec.IsNumeric(lt)) || (a.T.ID() == lt.ID())
		if !named || !fits {
			exprs = append(exprs, &plan.AttrRef{A: a})
			continue
		}
		c, err := plan.ResolveCall(&plan.Call{Fn: "coalesce"}, []plan.Expr{&plan.AttrRef{A: a}, plan.CastTo(lit.e, a.T)})
		check(err)
		exprs = append(exprs, &plan.Alias{X: c, Alias: a.Name, ID: plan.NewID()})
	}
	return df.with(&plan.Project{Child: df.plan, Exprs: exprs})
}

// Drop removes rows with NULLs: how "any" (default) drops a row with any
// NULL in cols (all columns when none are named), "all" only rows that are
// entirely NULL there.
func (n NaFunctions) Drop(how string, cols ...string) *DataFrame {
	df := n.df
	if how == "" {
		how = "any"
	}
	if how != "any" && how != "all" {
		panic(&AnalysisError{Msg: fmt.Sprintf("Na().Drop: how must be \"any\" or \"all\", not %q", how)})
	}
	var cond Column
	first := true
	targets := cols
	if len(targets) == 0 {
		targets = df.Columns()
	}
	for _, c := range targets {
		t := df.Col(c).IsNotNull()
		if first {
			cond, first = t, false
		} else if how == "any" {
			cond = cond.And(t)
		} else {
			cond = cond.Or(t)
		}
	}
	if first {
		return df
	}
	return df.Filter(cond)
}

// Describe computes count, mean, stddev, min and max of the given columns
// (all numeric and string columns when none are named), as strings, like
// Spark's describe.
func (df *DataFrame) Describe(cols ...string) *DataFrame {
	var targets []plan.Attr
	if len(cols) == 0 {
		for _, a := range df.plan.Output() {
			if exec.IsNumeric(a.T) || a.T.ID() == arrow.STRING {
				targets = append(targets, a)
			}
		}
	}
	for _, c := range cols {
		a, err := plan.FindAttr(&plan.ColumnRef{Col: c}, df.plan.Output())
		check(err)
		targets = append(targets, a)
	}
	stats := []string{"count", "mean", "stddev", "min", "max"}
	var aggs []Column
	for _, a := range targets {
		c := Column{&plan.ColumnRef{Col: a.Name, ID: a.ID}}
		aggs = append(aggs, Count(c))
		if exec.IsNumeric(a.T) {
			aggs = append(aggs, Avg(c), Stddev(c))
		} else {
			aggs = append(aggs, Lit(nil).Cast("double"), Lit(nil).Cast("double"))
		}
		aggs = append(aggs, Min(c), Max(c))
	}
	rows := [][]any{}
	var vals Row
	if len(aggs) > 0 {
		named := make([]any, len(aggs))
		for i, a := range aggs {
			named[i] = a.Alias(fmt.Sprintf("c%d", i))
		}
		vals = df.Select(named...).Collect()[0]
	}
	for s, name := range stats {
		row := []any{name}
		for i, a := range targets {
			v := vals[i*5+s]
			switch {
			case v == nil:
				row = append(row, nil)
			case s == 0:
				row = append(row, fmt.Sprint(v))
			default:
				if f, ok := v.(float64); ok && (s == 1 || s == 2) {
					if math.IsNaN(f) {
						row = append(row, "NaN")
						continue
					}
				}
				row = append(row, exec.FormatValue(v, a.T))
			}
		}
		rows = append(rows, row)
	}
	ddl := []string{"summary STRING"}
	for _, a := range targets {
		ddl = append(ddl, fmt.Sprintf("`%s` STRING", a.Name))
	}
	return df.s.CreateDataFrame(rows, strings.Join(ddl, ", "))
}

// Summary is Describe.
func (df *DataFrame) Summary() *DataFrame { return df.Describe() }
