package plan

import (
	"fmt"
	"math"

	"github.com/apache/arrow/go/v17/arrow"

	"gospark/engine/sql/exec"
)

// Bind turns a resolved logical expression into a physical one over the
// columns input (attribute ids become column positions).
func Bind(e Expr, input []Attr) (exec.Expr, error) {
	switch x := e.(type) {
	case *AttrRef:
		for i, a := range input {
			if a.ID == x.A.ID {
				return &exec.ColumnRef{Index: i, Name: a.Name, T: a.T}, nil
			}
		}
		return nil, fmt.Errorf("plan: attribute %s not found among %s", x.A, attrList(input))
	case *Lit:
		return &exec.Literal{Val: x.Val, T: x.T}, nil
	case *Alias:
		return Bind(x.X, input)
	case *Cast:
		c, err := Bind(x.X, input)
		if err != nil {
			return nil, err
		}
		return &exec.Cast{X: c, T: x.T}, nil
	case *CaseWhen:
		out := &exec.CaseWhen{T: x.T}
		for i := range x.Conds {
			c, err := Bind(x.Conds[i], input)
			if err != nil {
				return nil, err
			}
			v, err := Bind(x.Vals[i], input)
			if err != nil {
				return nil, err
			}
			out.Conds = append(out.Conds, c)
			out.Vals = append(out.Vals, v)
		}
		if x.Else != nil {
			v, err := Bind(x.Else, input)
			if err != nil {
				return nil, err
			}
			out.Else = v
		}
		return out, nil
	case *Call:
		return bindCall(x, input)
	}
	return nil, fmt.Errorf("plan: cannot execute %s here", e)
}

func bindAll(es []Expr, input []Attr) ([]exec.Expr, error) {
	out := make([]exec.Expr, len(es))
	for i, e := range es {
		b, err := Bind(e, input)
		if err != nil {
			return nil, err
		}
		out[i] = b
	}
	return out, nil
}

var cmpOps = map[string]exec.CmpOp{"=": exec.EQ, "!=": exec.NE, "<": exec.LT, "<=": exec.LE, ">": exec.GT, ">=": exec.GE, "<=>": exec.EQNullSafe}

func bindCall(x *Call, input []Attr) (exec.Expr, error) {
	if x.Kind == KindGenerator {
		return nil, Errorf("%s is only allowed as a top-level expression of a select list", x.Name())
	}
	if x.Kind == KindAgg || x.Kind == KindRanking {
		return nil, Errorf("%s is not allowed here: aggregate and window functions belong in select, agg or a window", x.Name())
	}
	args, err := bindAll(x.Args, input)
	if err != nil {
		return nil, err
	}
	if x.Kind == KindScalar {
		def, err := exec.LookupScalar(x.Fn, len(args))
		if err != nil {
			return nil, err
		}
		lits := make([]any, len(x.Args))
		for i, a := range x.Args {
			if l, ok := a.(*Lit); ok {
				lits[i] = l.Val
			}
		}
		k, err := def.Build(lits, x.T)
		if err != nil {
			return nil, &AnalysisError{Msg: fmt.Sprintf("%s: %v", x.Fn, err)}
		}
		return &exec.Func{Name: x.Fn, Args: args, T: x.T, Kernel: k}, nil
	}
	switch x.Fn {
	case "+", "-", "*", "/", "%":
		return &exec.Arith{Op: x.Fn[0], L: args[0], R: args[1]}, nil
	case "and":
		return &exec.And{L: args[0], R: args[1]}, nil
	case "or":
		return &exec.Or{L: args[0], R: args[1]}, nil
	case "not":
		return &exec.Not{X: args[0]}, nil
	case "negative":
		return &exec.Negate{X: args[0]}, nil
	case "isnull":
		return &exec.IsNull{X: args[0]}, nil
	case "isnotnull":
		return &exec.IsNull{X: args[0], Negate: true}, nil
	case "coalesce":
		return &exec.Coalesce{Args: args, T: x.T}, nil
	case "power":
		return &exec.Pow{X: args[0], Y: args[1]}, nil
	case "size":
		return &exec.ListSize{X: args[0]}, nil
	case "array_contains":
		return &exec.ListContains{X: args[0], V: args[1]}, nil
	case "round":
		scale := 0
		if len(x.Args) > 1 {
			scale = int(toFloat(x.Args[1].(*Lit).Val))
		}
		return &exec.Round{X: args[0], Scale: scale}, nil
	case "in":
		var lits []*exec.Literal
		for _, a := range args[1:] {
			l, ok := a.(*exec.Literal)
			if !ok {
				// Non-constant list: x = a OR x = b …
				var or exec.Expr
				for _, b := range args[1:] {
					eq := &exec.Compare{Op: exec.EQ, L: args[0], R: b}
					if or == nil {
						or = eq
					} else {
						or = &exec.Or{L: or, R: eq}
					}
				}
				return or, nil
			}
			lits = append(lits, l)
		}
		return &exec.In{X: args[0], List: lits}, nil
	}
	if op, ok := cmpOps[x.Fn]; ok {
		return &exec.Compare{Op: op, L: args[0], R: args[1]}, nil
	}
	return nil, fmt.Errorf("plan: unknown operator %s", x.Fn)
}

// EvalConstant evaluates an expression without column references.
func EvalConstant(e Expr) (any, error) {
	b, err := Bind(e, nil)
	if err != nil {
		return nil, err
	}
	rec := exec.NewRecord(arrow.NewSchema(nil, nil), nil, 1)
	defer rec.Release()
	a, err := b.Eval(rec)
	if err != nil {
		return nil, err
	}
	defer a.Release()
	v := exec.ValueAt(a, 0)
	if f, ok := v.(float64); ok && math.IsNaN(f) {
		return f, nil
	}
	return v, nil
}
