package sql

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/pingcap/tidb/pkg/parser/ast"
	"github.com/pingcap/tidb/pkg/parser/opcode"
	"github.com/pingcap/tidb/pkg/parser/test_driver"

	"gospark/engine/sql/exec"
	"gospark/engine/sql/plan"
)

// ParseError is SQL text the parser rejects.
type ParseError struct {
	SQL string
	Err error
}

// Error returns the message of a ParseError.
func (e *ParseError) Error() string {
	return fmt.Sprintf("syntax error in SQL: %v\n  in: %s", e.Err, e.SQL)
}

// Unwrap returns the error underneath a ParseError.
func (e *ParseError) Unwrap() error { return e.Err }

var binOps = map[opcode.Op]string{
	opcode.Plus: "+", opcode.Minus: "-", opcode.Mul: "*", opcode.Div: "/", opcode.Mod: "%",
	opcode.EQ: "=", opcode.NE: "!=", opcode.LT: "<", opcode.LE: "<=", opcode.GT: ">", opcode.GE: ">=",
	opcode.NullEQ: "<=>", opcode.LogicAnd: "and", opcode.LogicOr: "or",
}

// expr translates a parsed expression into an unresolved logical one.
func (t *translator) expr(n ast.ExprNode) plan.Expr {
	switch x := n.(type) {
	case *ast.ColumnNameExpr:
		return &plan.ColumnRef{Qualifier: x.Name.Table.O, Col: x.Name.Name.O}
	case *test_driver.ValueExpr:
		return literalOf(x)
	case *ast.ParenthesesExpr:
		return t.expr(x.Expr)
	case *ast.BinaryOperationExpr:
		if op, ok := binOps[x.Op]; ok {
			return &plan.Call{Fn: op, Args: []plan.Expr{t.expr(x.L), t.expr(x.R)}}
		}
		switch x.Op {
		case opcode.IntDiv:
			return &plan.Cast{X: &plan.Call{Fn: "/", Args: []plan.Expr{t.expr(x.L), t.expr(x.R)}}, T: exec.Int64}
		case opcode.LogicXor:
			return &plan.Call{Fn: "!=", Args: []plan.Expr{t.expr(x.L), t.expr(x.R)}}
		}
		panic(&AnalysisError{Msg: fmt.Sprintf("operator %s is not supported", x.Op)})
	case *ast.UnaryOperationExpr:
		switch x.Op {
		case opcode.Minus:
			return &plan.Call{Fn: "negative", Args: []plan.Expr{t.expr(x.V)}}
		case opcode.Plus:
			return t.expr(x.V)
		case opcode.Not, opcode.Not2:
			return &plan.Call{Fn: "not", Args: []plan.Expr{t.expr(x.V)}}
		}
		panic(&AnalysisError{Msg: fmt.Sprintf("operator %s is not supported", x.Op)})
	case *ast.IsNullExpr:
		fn := "isnull"
		if x.Not {
			fn = "isnotnull"
		}
		return &plan.Call{Fn: fn, Args: []plan.Expr{t.expr(x.Expr)}}
	case *ast.IsTruthExpr:
		v := &plan.Call{Fn: "<=>", Args: []plan.Expr{t.expr(x.Expr), &plan.Lit{Val: x.True != 0, T: exec.Boolean}}}
		if x.Not {
			return &plan.Call{Fn: "not", Args: []plan.Expr{v}}
		}
		return v
	case *ast.BetweenExpr:
		v := t.expr(x.Expr)
		e := &plan.Call{Fn: "and", Args: []plan.Expr{
			&plan.Call{Fn: ">=", Args: []plan.Expr{v, t.expr(x.Left)}},
			&plan.Call{Fn: "<=", Args: []plan.Expr{v, t.expr(x.Right)}}}}
		if x.Not {
			return &plan.Call{Fn: "not", Args: []plan.Expr{e}}
		}
		return e
	case *ast.PatternInExpr:
		if x.Sel != nil {
			sub := t.correlated(x.Sel)
			return &plan.Subquery{Kind: plan.InSubquery, Plan: sub, X: t.expr(x.Expr), Not: x.Not}
		}
		args := []plan.Expr{t.expr(x.Expr)}
		for _, v := range x.List {
			args = append(args, t.expr(v))
		}
		var e plan.Expr = &plan.Call{Fn: "in", Args: args}
		if x.Not {
			e = &plan.Call{Fn: "not", Args: []plan.Expr{e}}
		}
		return e
	case *ast.PatternLikeOrIlikeExpr:
		fn := "like"
		if !x.IsLike {
			fn = "ilike"
		}
		var e plan.Expr = &plan.Call{Fn: fn, Args: []plan.Expr{t.expr(x.Expr), t.expr(x.Pattern)}}
		if x.Not {
			e = &plan.Call{Fn: "not", Args: []plan.Expr{e}}
		}
		return e
	case *ast.PatternRegexpExpr:
		var e plan.Expr = &plan.Call{Fn: "rlike", Args: []plan.Expr{t.expr(x.Expr), t.expr(x.Pattern)}}
		if x.Not {
			e = &plan.Call{Fn: "not", Args: []plan.Expr{e}}
		}
		return e
	case *ast.CaseExpr:
		cw := &plan.CaseWhen{}
		for _, w := range x.WhenClauses {
			cond := t.expr(w.Expr)
			if x.Value != nil {
				cond = &plan.Call{Fn: "=", Args: []plan.Expr{t.expr(x.Value), cond}}
			}
			cw.Conds = append(cw.Conds, cond)
			cw.Vals = append(cw.Vals, t.expr(w.Result))
		}
		if x.ElseClause != nil {
			cw.Else = t.expr(x.ElseClause)
		}
		return cw
	case *ast.SubqueryExpr:
		return &plan.Subquery{Kind: plan.ScalarSubquery, Plan: t.correlated(x)}
	case *ast.ExistsSubqueryExpr:
		return &plan.Subquery{Kind: plan.ExistsSubquery, Plan: t.correlated(x.Sel), Not: x.Not}
	case *ast.AggregateFuncExpr:
		fn := strings.ToLower(x.F)
		var args []plan.Expr
		for _, a := range x.Args {
			// count(*) arrives as count(1).
			args = append(args, t.expr(a))
		}
		if fn == "count" && len(args) == 1 && !x.Distinct {
			if l, ok := args[0].(*plan.Lit); ok && l.Val != nil {
				args = nil
			}
		}
		switch fn {
		case "stddev", "std", "stddev_samp":
			fn = "stddev"
		case "variance", "var_samp":
			fn = "var_samp"
		}
		return &plan.Call{Fn: fn, Args: args, Distinct: x.Distinct}
	case *ast.WindowFuncExpr:
		return t.window(x)
	case *ast.FuncCastExpr:
		tp := strings.ToLower(x.Tp.String())
		dt, err := exec.ParseType(mysqlTypeName(tp))
		if err != nil {
			panic(&AnalysisError{Msg: fmt.Sprintf("CAST to %s: %v", tp, err)})
		}
		return &plan.Cast{X: t.expr(x.Expr), T: dt}
	case *ast.FuncCallExpr:
		return t.funcCall(x)
	case *ast.TimeUnitExpr:
		return &plan.Lit{Val: "unit:" + x.Unit.String(), T: exec.String}
	case *ast.PositionExpr:
		return &plan.Lit{Val: int32(x.N), T: exec.Int32}
	case *ast.DefaultExpr:
		panic(&AnalysisError{Msg: "DEFAULT is not supported"})
	}
	panic(&AnalysisError{Msg: fmt.Sprintf("unsupported SQL expression %T", n)})
}

// mysqlTypeName maps the type names the MySQL parser produces back to
// Spark's.
func mysqlTypeName(tp string) string {
	switch {
	case strings.HasPrefix(tp, "bigint"):
		return "bigint"
	case strings.HasPrefix(tp, "int"):
		return "int"
	case strings.HasPrefix(tp, "double"), strings.HasPrefix(tp, "float"), strings.HasPrefix(tp, "decimal"):
		return "double"
	case strings.HasPrefix(tp, "varchar"), strings.HasPrefix(tp, "char"), strings.HasPrefix(tp, "text"):
		return "string"
	case strings.HasPrefix(tp, "datetime"):
		return "timestamp"
	}
	return tp
}

func literalOf(v *test_driver.ValueExpr) plan.Expr {
	val := v.GetValue()
	switch x := val.(type) {
	case nil:
		return &plan.Lit{T: exec.Null}
	case int64:
		if x >= -1<<31 && x < 1<<31 {
			return &plan.Lit{Val: int32(x), T: exec.Int32}
		}
		return &plan.Lit{Val: x, T: exec.Int64}
	case uint64:
		return &plan.Lit{Val: int64(x), T: exec.Int64}
	case float64:
		return &plan.Lit{Val: x, T: exec.Float64}
	case float32:
		return &plan.Lit{Val: float64(x), T: exec.Float64}
	case string:
		return &plan.Lit{Val: x, T: exec.String}
	case []byte:
		return &plan.Lit{Val: string(x), T: exec.String}
	case *test_driver.MyDecimal:
		f, err := strconv.ParseFloat(x.String(), 64)
		if err != nil {
			panic(&AnalysisError{Msg: fmt.Sprintf("bad number %s", x)})
		}
		return &plan.Lit{Val: f, T: exec.Float64}
	}
	s := fmt.Sprint(val)
	return &plan.Lit{Val: s, T: exec.String}
}

func (t *translator) funcCall(x *ast.FuncCallExpr) plan.Expr {
	fn := strings.ToLower(x.FnName.O)
	fn = strings.TrimPrefix(fn, "gs_")
	var args []plan.Expr
	for _, a := range x.Args {
		args = append(args, t.expr(a))
	}
	switch x.FnName.L {
	case ast.DateLiteral:
		return &plan.Cast{X: args[0], T: exec.Date32}
	case ast.TimestampLiteral:
		return &plan.Cast{X: args[0], T: exec.Timestamp}
	}
	// x ± INTERVAL n unit arrives as date_add/date_sub(x, n, unit).
	if len(args) == 3 && (fn == "date_add" || fn == "date_sub" || fn == "adddate" || fn == "subdate") {
		if u, ok := args[2].(*plan.Lit); ok {
			if unit, ok := u.Val.(string); ok && strings.HasPrefix(unit, "unit:") {
				return intervalArith(args[0], args[1], strings.TrimPrefix(unit, "unit:"), fn == "date_sub" || fn == "subdate")
			}
		}
	}
	switch fn {
	case "cast":
		typ := args[1].(*plan.Lit).Val.(string)
		dt, err := exec.ParseType(typ)
		if err != nil {
			panic(&AnalysisError{Msg: fmt.Sprintf("CAST: %v", err)})
		}
		return &plan.Cast{X: args[0], T: dt}
	case "nulls_first", "nulls_last":
		return &plan.SortOrder{X: args[0], NullsFirst: fn == "nulls_first"}
	case "date_add", "adddate", "date_sub", "subdate":
		if fn == "adddate" {
			fn = "date_add"
		}
		if fn == "subdate" {
			fn = "date_sub"
		}
	case "substr":
		fn = "substring"
	case "extract", "position":
		panic(&AnalysisError{Msg: fmt.Sprintf("%s is not supported", fn)})
	case "any_value", "first_value":
		fn = "first"
	case "last_value":
		fn = "last"
	case "std", "stddev_samp":
		fn = "stddev"
	case "countdistinct":
		fn = "count_distinct"
	}
	return &plan.Call{Fn: fn, Args: args}
}

func (t *translator) window(x *ast.WindowFuncExpr) plan.Expr {
	fn := strings.ToLower(x.Name)
	var args []plan.Expr
	for _, a := range x.Args {
		args = append(args, t.expr(a))
	}
	if fn == "count" && len(args) == 1 {
		if l, ok := args[0].(*plan.Lit); ok && l.Val != nil {
			args = nil
		}
	}
	switch fn {
	case "first_value":
		fn = "first"
	case "last_value":
		fn = "last"
	}
	spec := x.Spec
	if spec.Name.O != "" || spec.Ref.O != "" {
		name := spec.Ref.L
		if name == "" {
			name = spec.Name.L
		}
		ws, ok := t.windows[name]
		if !ok {
			panic(&AnalysisError{Msg: fmt.Sprintf("window %s is not defined", name)})
		}
		spec = ws
	}
	w := &plan.WindowExpr{Fn: &plan.Call{Fn: fn, Args: args, Distinct: x.Distinct}, Frame: plan.Frame{Unspecified: true}}
	if spec.PartitionBy != nil {
		for _, it := range spec.PartitionBy.Items {
			w.PartitionBy = append(w.PartitionBy, t.expr(it.Expr))
		}
	}
	if spec.OrderBy != nil {
		for _, it := range spec.OrderBy.Items {
			w.OrderBy = append(w.OrderBy, t.orderItem(it))
		}
	}
	if f := spec.Frame; f != nil {
		bound := func(b ast.FrameBound) int64 {
			switch b.Type {
			case ast.CurrentRow:
				return 0
			case ast.Preceding:
				if b.UnBounded {
					return -plan.Unbounded
				}
				return -boundValue(t.expr(b.Expr))
			default:
				if b.UnBounded {
					return plan.Unbounded
				}
				return boundValue(t.expr(b.Expr))
			}
		}
		w.Frame = plan.Frame{Rows: f.Type == ast.Rows, Start: bound(f.Extent.Start), End: bound(f.Extent.End)}
	}
	return w
}

func boundValue(e plan.Expr) int64 {
	if l, ok := e.(*plan.Lit); ok {
		switch v := l.Val.(type) {
		case int32:
			return int64(v)
		case int64:
			return v
		}
	}
	panic(&AnalysisError{Msg: fmt.Sprintf("window frame bound %s must be an integer constant", e.Name())})
}

func (t *translator) orderItem(it *ast.ByItem) *plan.SortOrder {
	e := t.expr(it.Expr)
	if so, ok := e.(*plan.SortOrder); ok { // NULLS FIRST/LAST
		so.Desc = it.Desc
		return so
	}
	if it.Desc {
		return plan.Desc(e)
	}
	return plan.Asc(e)
}

// parseExpression parses one SQL expression (for Expr and string
// filters), with an optional alias: "v1 * 2 AS x".
func parseExpression(s string) (plan.Expr, error) {
	t := &translator{}
	var out plan.Expr
	err := t.guard(func() {
		sel := t.parseSelect("SELECT " + s)
		if sel.From != nil || len(sel.Fields.Fields) != 1 {
			panic(&AnalysisError{Msg: fmt.Sprintf("not a single expression: %q", s)})
		}
		f := sel.Fields.Fields[0]
		if f.WildCard != nil {
			q := ""
			if f.WildCard.Table.O != "" {
				q = f.WildCard.Table.O
			}
			out = &plan.Star{Qualifier: q}
			return
		}
		out = t.expr(f.Expr)
		if f.AsName.O != "" {
			out = &plan.Alias{X: out, Alias: f.AsName.O}
		}
	})
	return out, err
}

// intervalArith is date ± INTERVAL n unit for day, week, month, quarter
// and year units.
func intervalArith(d, n plan.Expr, unit string, sub bool) plan.Expr {
	n = &plan.Cast{X: n, T: exec.Int32}
	if sub {
		n = &plan.Call{Fn: "negative", Args: []plan.Expr{n}}
	}
	mul := func(k int32) plan.Expr {
		return &plan.Call{Fn: "*", Args: []plan.Expr{n, &plan.Lit{Val: k, T: exec.Int32}}}
	}
	date := &plan.Cast{X: d, T: exec.Date32}
	switch unit {
	case "DAY":
		return &plan.Call{Fn: "date_add", Args: []plan.Expr{date, n}}
	case "WEEK":
		return &plan.Call{Fn: "date_add", Args: []plan.Expr{date, mul(7)}}
	case "MONTH":
		return &plan.Call{Fn: "add_months", Args: []plan.Expr{date, n}}
	case "QUARTER":
		return &plan.Call{Fn: "add_months", Args: []plan.Expr{date, mul(3)}}
	case "YEAR":
		return &plan.Call{Fn: "add_months", Args: []plan.Expr{date, mul(12)}}
	}
	panic(&AnalysisError{Msg: fmt.Sprintf("INTERVAL unit %s is not supported (DAY, WEEK, MONTH, QUARTER, YEAR)", unit)})
}
