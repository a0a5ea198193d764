package plan

import (
	"fmt"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"

	"gospark/engine/sql/exec"
)

var arith = map[string]bool{"+": true, "-": true, "*": true, "/": true, "%": true}
var compare = map[string]bool{"=": true, "<=>": true, "!=": true, "<": true, "<=": true, ">": true, ">=": true}

// ResolveCall types a call whose arguments are resolved.
func ResolveCall(x *Call, args []Expr) (Expr, error) {
	fn := strings.ToLower(x.Fn)
	out := &Call{Fn: fn, Args: args, Distinct: x.Distinct, Param: x.Param}
	switch {
	case arith[fn]:
		if len(args) != 2 {
			return nil, Errorf("%s takes two operands", fn)
		}
		l, r := args[0].Type(), args[1].Type()
		if fn == "/" {
			out.Args = []Expr{CastTo(args[0], exec.Float64), CastTo(args[1], exec.Float64)}
			out.T = exec.Float64
		} else {
			// date ± int is date_add / date_sub.
			if l.ID() == arrow.DATE32 && (r.ID() == arrow.INT32 || r.ID() == arrow.INT64) && (fn == "+" || fn == "-") {
				name := "date_add"
				if fn == "-" {
					name = "date_sub"
				}
				return ResolveCall(&Call{Fn: name}, args)
			}
			if l.ID() == arrow.DATE32 && r.ID() == arrow.DATE32 && fn == "-" {
				return ResolveCall(&Call{Fn: "datediff"}, args)
			}
			t, ok := exec.CommonType(l, r)
			if !ok || (!exec.IsNumeric(t) && t.ID() != arrow.NULL) {
				if l.ID() == arrow.STRING || r.ID() == arrow.STRING {
					t = exec.Float64
				} else {
					return nil, Errorf("cannot apply %s to %s and %s in %s", fn, exec.SimpleString(l), exec.SimpleString(r), out.Name())
				}
			}
			if t.ID() == arrow.NULL {
				t = exec.Float64
			}
			out.Args = []Expr{CastTo(args[0], t), CastTo(args[1], t)}
			out.T = t
		}
		out.Kind = KindOperator
		return out, nil
	case compare[fn]:
		l, r := args[0].Type(), args[1].Type()
		t, ok := exec.CommonType(l, r)
		if !ok {
			return nil, Errorf("cannot compare %s with %s in %s", exec.SimpleString(l), exec.SimpleString(r), out.Name())
		}
		out.Args = []Expr{CastTo(args[0], t), CastTo(args[1], t)}
		out.T, out.Kind = exec.Boolean, KindOperator
		return out, nil
	case fn == "and" || fn == "or" || fn == "not":
		for i, a := range args {
			switch a.Type().ID() {
			case arrow.BOOL:
			case arrow.NULL:
				args[i] = CastTo(a, exec.Boolean)
			default:
				return nil, Errorf("%s needs boolean operands, but %s is %s", strings.ToUpper(fn), a.Name(), exec.SimpleString(a.Type()))
			}
		}
		out.T, out.Kind = exec.Boolean, KindOperator
		return out, nil
	case fn == "negative":
		out.T, out.Kind = args[0].Type(), KindOperator
		if !exec.IsNumeric(out.T) {
			out.Args = []Expr{CastTo(args[0], exec.Float64)}
			out.T = exec.Float64
		}
		return out, nil
	case fn == "isnull" || fn == "isnotnull":
		out.T, out.Kind = exec.Boolean, KindOperator
		return out, nil
	case fn == "coalesce" || fn == "nvl" || fn == "ifnull":
		out.Fn = "coalesce"
		var t arrow.DataType = exec.Null
		var err error
		for _, a := range args {
			if t, err = commonType(t, a.Type(), "coalesce"); err != nil {
				return nil, err
			}
		}
		for i := range args {
			args[i] = CastTo(args[i], t)
		}
		out.T, out.Kind = t, KindOperator
		return out, nil
	case fn == "if" || fn == "iff":
		if len(args) != 3 {
			return nil, Errorf("if takes 3 arguments")
		}
		return resolveCase(&CaseWhen{Conds: args[:1], Vals: args[1:2], Else: args[2]}, nil)
	case fn == "nullif":
		return resolveCase(&CaseWhen{Conds: []Expr{&Call{Fn: "=", Args: args, T: exec.Boolean, Kind: KindOperator}}, Vals: []Expr{&Lit{T: exec.Null}}, Else: args[0]}, nil)
	case fn == "in":
		var t = args[0].Type()
		var err error
		for _, a := range args[1:] {
			if t, err = commonType(t, a.Type(), "IN"); err != nil {
				return nil, err
			}
		}
		for i := range args {
			args[i] = CastTo(args[i], t)
		}
		out.T, out.Kind = exec.Boolean, KindOperator
		return out, nil
	case fn == "pow" || fn == "power":
		out.Fn = "power"
		out.Args = []Expr{CastTo(args[0], exec.Float64), CastTo(args[1], exec.Float64)}
		out.T, out.Kind = exec.Float64, KindOperator
		return out, nil
	case fn == "round" || fn == "bround":
		if len(args) == 0 || len(args) > 2 {
			return nil, Errorf("round takes 1 or 2 arguments")
		}
		if len(args) == 2 {
			if _, ok := args[1].(*Lit); !ok {
				return nil, Errorf("round's scale must be a constant")
			}
		}
		out.Fn, out.Kind = "round", KindOperator
		out.T = args[0].Type()
		if !exec.IsNumeric(out.T) {
			out.Args[0] = CastTo(args[0], exec.Float64)
			out.T = exec.Float64
		}
		return out, nil
	case fn == "explode" || fn == "explode_outer":
		if len(args) != 1 {
			return nil, Errorf("%s takes one array argument", fn)
		}
		lt, ok := args[0].Type().(*arrow.ListType)
		if !ok {
			return nil, Errorf("%s needs an array, but %s is %s", fn, args[0].Name(), exec.SimpleString(args[0].Type()))
		}
		out.T, out.Kind = lt.Elem(), KindGenerator
		return out, nil
	case fn == "size" || fn == "cardinality" || fn == "array_contains":
		if len(args) == 0 {
			return nil, Errorf("%s needs an array", fn)
		}
		lt, ok := args[0].Type().(*arrow.ListType)
		if !ok {
			return nil, Errorf("%s needs an array, but %s is %s", fn, args[0].Name(), exec.SimpleString(args[0].Type()))
		}
		out.Kind = KindOperator
		if fn == "array_contains" {
			if len(args) != 2 {
				return nil, Errorf("array_contains takes an array and a value")
			}
			out.Args = []Expr{args[0], CastTo(args[1], lt.Elem())}
			out.T = exec.Boolean
		} else {
			out.Fn, out.T = "size", exec.Int32
		}
		return out, nil
	case rankingFns[fn]:
		out.Kind = KindRanking
		switch fn {
		case "lag", "lead":
			if len(args) == 0 {
				return nil, Errorf("%s needs a column", fn)
			}
			out.T = args[0].Type()
			if len(args) >= 3 {
				out.Args[2] = CastTo(args[2], out.T)
			}
		case "percent_rank", "cume_dist":
			out.T = exec.Float64
		default:
			out.T = exec.Int32
		}
		return out, nil
	}
	if fn == "count" && x.Distinct {
		fn = "count_distinct"
		out.Fn = fn
		out.Distinct = false
	}
	if fn == "countdistinct" {
		out.Fn, fn = "count_distinct", "count_distinct"
	}
	if fn == "approx_count_distinct" && len(args) == 2 {
		if l, ok := args[1].(*Lit); ok {
			out.Param = toFloat(l.Val)
		}
		args = args[:1]
		out.Args = args
	}
	if (fn == "percentile" || fn == "percentile_approx" || fn == "approx_percentile") && len(args) >= 2 {
		if l, ok := args[1].(*Lit); ok {
			out.Param = toFloat(l.Val)
		}
		out.Fn, fn = "percentile", "percentile"
		args = args[:1]
		out.Args = args
	}
	if exec.IsAggregate(fn) && fn != "count" || fn == "count" {
		types := make([]arrow.DataType, len(args))
		for i, a := range args {
			types[i] = a.Type()
		}
		if fn == "count_distinct" && len(args) != 1 {
			return nil, Errorf("count(DISTINCT …) of %d columns is not supported yet", len(args))
		}
		t, argTypes, err := exec.AggResultType(fn, types)
		if err != nil {
			return nil, &AnalysisError{Msg: err.Error()}
		}
		if fn == "sum" && x.Distinct {
			return nil, Errorf("sum(DISTINCT …) is not supported yet")
		}
		for i := range args {
			args[i] = CastTo(args[i], argTypes[i])
		}
		if fn == "avg" || fn == "mean" {
			out.Fn = "avg"
		}
		if fn == "std" || fn == "stddev" {
			out.Fn = "stddev"
		}
		out.T, out.Kind = t, KindAgg
		for _, a := range args {
			if Contains(a, IsAgg) {
				return nil, Errorf("it is not allowed to use an aggregate function in the argument of another aggregate function: %s", out.Name())
			}
		}
		return out, nil
	}
	def, err := exec.LookupScalar(fn, len(args))
	if err != nil {
		return nil, &AnalysisError{Msg: err.Error()}
	}
	types := make([]arrow.DataType, len(args))
	for i, a := range args {
		types[i] = a.Type()
	}
	argTypes, t, err := def.Resolve(types)
	if err != nil {
		return nil, &AnalysisError{Msg: fmt.Sprintf("%s: %v", fn, err)}
	}
	for i := range args {
		args[i] = CastTo(args[i], argTypes[i])
	}
	out.T, out.Kind = t, KindScalar
	return out, nil
}

func toFloat(v any) float64 {
	switch x := v.(type) {
	case int32:
		return float64(x)
	case int64:
		return float64(x)
	case float64:
		return x
	}
	return 0
}
