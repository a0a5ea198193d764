package plan

import (
	"fmt"
	"gospark/internal/fuzzy"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"

	"gospark/engine/sql/exec"
)

// AnalysisError is a query that cannot be resolved: an unknown or
// ambiguous column, a wrong type, an unknown function. The DataFrame API
// panics with it at the call that is wrong.
type AnalysisError struct{ Msg string }

// Error returns the message of an AnalysisError.
func (e *AnalysisError) Error() string { return e.Msg }

// Errorf returns an *AnalysisError.
func Errorf(format string, args ...any) error {
	return &AnalysisError{Msg: fmt.Sprintf(format, args...)}
}

// FindAttr resolves a column reference among input.
func FindAttr(ref *ColumnRef, input []Attr) (Attr, error) {
	if ref.ID != 0 {
		for _, a := range input {
			if a.ID == ref.ID {
				return a, nil
			}
		}
	}
	var found []Attr
	for _, a := range input {
		if strings.EqualFold(a.Name, ref.Col) && (ref.Qualifier == "" || strings.EqualFold(a.Qualifier, ref.Qualifier)) {
			found = append(found, a)
		}
	}
	// "t.c" may also be a column literally named "t.c".
	if len(found) == 0 && ref.Qualifier != "" {
		for _, a := range input {
			if strings.EqualFold(a.Name, ref.Qualifier+"."+ref.Col) {
				found = append(found, a)
			}
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return Attr{}, unknownColumn(ref, input)
	}
	if ref.ID != 0 {
		for _, a := range found {
			if a.ID == ref.ID {
				return a, nil
			}
		}
	}
	return Attr{}, Errorf("column %q is ambiguous: it could be any of %s", refName(ref), attrNames(found, true))
}

func refName(ref *ColumnRef) string {
	if ref.Qualifier != "" {
		return ref.Qualifier + "." + ref.Col
	}
	return ref.Col
}

func attrNames(as []Attr, qualified bool) string {
	s := make([]string, len(as))
	for i, a := range as {
		s[i] = a.Name
		if qualified && a.Qualifier != "" {
			s[i] = a.Qualifier + "." + a.Name
		}
	}
	return "(" + strings.Join(s, ", ") + ")"
}

func unknownColumn(ref *ColumnRef, input []Attr) error {
	name := refName(ref)
	msg := fmt.Sprintf("cannot resolve column %q among %s", name, attrNames(input, false))
	names := make([]string, len(input))
	for i, a := range input {
		names[i] = a.Name
	}
	if best, ok := fuzzy.Nearest(ref.Col, names, max(2, len(ref.Col)/2)); ok {
		msg += fmt.Sprintf("; did you mean %q?", best)
	}
	return &AnalysisError{Msg: msg}
}

// CastTo wraps e in a cast to t unless it already has type t.
func CastTo(e Expr, t arrow.DataType) Expr {
	if arrow.TypeEqual(e.Type(), t) {
		return e
	}
	if l, ok := e.(*Lit); ok && l.Val == nil {
		return &Lit{T: t}
	}
	return &Cast{X: e, T: t, Implicit: true}
}

var rankingFns = map[string]bool{"row_number": true, "rank": true, "dense_rank": true, "percent_rank": true,
	"cume_dist": true, "ntile": true, "lag": true, "lead": true}

// IsRanking reports whether fn is a window-only function.
func IsRanking(fn string) bool { return rankingFns[fn] }

// Resolve resolves names against input and types every node, inserting
// the casts Spark's implicit coercion would.
func Resolve(e Expr, input []Attr) (Expr, error) {
	switch x := e.(type) {
	case *ColumnRef:
		a, err := FindAttr(x, input)
		if err != nil {
			return nil, err
		}
		return &AttrRef{A: a}, nil
	case *AttrRef:
		for _, a := range input {
			if a.ID == x.A.ID {
				return &AttrRef{A: a}, nil
			}
		}
		return FindAttrByName(x.A, input)
	case *Lit, *OuterRef:
		return e, nil
	case *Subquery:
		out := *x
		if x.X != nil {
			r, err := Resolve(x.X, input)
			if err != nil {
				return nil, err
			}
			out.X = r
		}
		switch x.Kind {
		case ScalarSubquery:
			o := x.Plan.Output()
			if len(o) != 1 {
				return nil, Errorf("a scalar subquery must return one column, this one returns %d", len(o))
			}
			out.T = o[0].T
		default:
			out.T = exec.Boolean
			if x.Kind == InSubquery {
				o := x.Plan.Output()
				if len(o) != 1 {
					return nil, Errorf("the subquery of IN must return one column, this one returns %d", len(o))
				}
				t, ok := exec.CommonType(out.X.Type(), o[0].T)
				if !ok {
					return nil, Errorf("IN subquery: cannot compare %s with %s", exec.SimpleString(out.X.Type()), exec.SimpleString(o[0].T))
				}
				out.X = CastTo(out.X, t)
			}
		}
		return &out, nil
	case *Star:
		return nil, Errorf("invalid use of %s", x.Name())
	case *Alias:
		c, err := Resolve(x.X, input)
		if err != nil {
			return nil, err
		}
		id := x.ID
		if id == 0 {
			id = NewID()
		}
		return &Alias{X: c, Alias: x.Alias, ID: id}, nil
	case *Cast:
		c, err := Resolve(x.X, input)
		if err != nil {
			return nil, err
		}
		if arrow.TypeEqual(c.Type(), x.T) {
			return c, nil
		}
		return &Cast{X: c, T: x.T}, nil
	case *SortOrder:
		c, err := Resolve(x.X, input)
		if err != nil {
			return nil, err
		}
		return &SortOrder{X: c, Desc: x.Desc, NullsFirst: x.NullsFirst}, nil
	case *CaseWhen:
		return resolveCase(x, input)
	case *WindowExpr:
		return resolveWindow(x, input)
	case *Call:
		args := make([]Expr, 0, len(x.Args))
		for _, a := range x.Args {
			if s, ok := a.(*Star); ok && (x.Fn == "count") {
				_ = s
				continue // count(*)
			}
			r, err := Resolve(a, input)
			if err != nil {
				return nil, err
			}
			args = append(args, r)
		}
		return ResolveCall(x, args)
	}
	return nil, Errorf("cannot resolve %s", e)
}

// FindAttrByName re-resolves an attribute that is not in input by name
// (a column of a DataFrame used on another DataFrame derived from it).
func FindAttrByName(a Attr, input []Attr) (Expr, error) {
	at, err := FindAttr(&ColumnRef{Col: a.Name, Qualifier: a.Qualifier}, input)
	if err != nil {
		return nil, err
	}
	return &AttrRef{A: at}, nil
}

func resolveCase(x *CaseWhen, input []Attr) (Expr, error) {
	out := &CaseWhen{}
	var t arrow.DataType = exec.Null
	for i := range x.Conds {
		c, err := Resolve(x.Conds[i], input)
		if err != nil {
			return nil, err
		}
		if c.Type().ID() != arrow.BOOL && c.Type().ID() != arrow.NULL {
			return nil, Errorf("CASE WHEN condition %s is %s, not boolean", c.Name(), exec.SimpleString(c.Type()))
		}
		v, err := Resolve(x.Vals[i], input)
		if err != nil {
			return nil, err
		}
		out.Conds = append(out.Conds, c)
		out.Vals = append(out.Vals, v)
		if t, err = commonType(t, v.Type(), "CASE WHEN"); err != nil {
			return nil, err
		}
	}
	if x.Else != nil {
		v, err := Resolve(x.Else, input)
		if err != nil {
			return nil, err
		}
		if t, err = commonType(t, v.Type(), "CASE WHEN"); err != nil {
			return nil, err
		}
		out.Else = v
	}
	for i := range out.Vals {
		out.Vals[i] = CastTo(out.Vals[i], t)
	}
	if out.Else != nil {
		out.Else = CastTo(out.Else, t)
	}
	out.T = t
	return out, nil
}

func commonType(a, b arrow.DataType, what string) (arrow.DataType, error) {
	if t, ok := exec.CommonType(a, b); ok {
		return t, nil
	}
	if a.ID() == arrow.STRING || b.ID() == arrow.STRING {
		return exec.String, nil
	}
	return nil, Errorf("%s: cannot combine %s and %s", what, exec.SimpleString(a), exec.SimpleString(b))
}

func resolveWindow(x *WindowExpr, input []Attr) (Expr, error) {
	fn, err := Resolve(x.Fn, input)
	if err != nil {
		return nil, err
	}
	c, ok := fn.(*Call)
	if !ok || (c.Kind != KindAgg && c.Kind != KindRanking) {
		return nil, Errorf("%s is not a window or aggregate function", fn.Name())
	}
	out := &WindowExpr{Fn: fn, Frame: x.Frame}
	for _, p := range x.PartitionBy {
		r, err := Resolve(p, input)
		if err != nil {
			return nil, err
		}
		out.PartitionBy = append(out.PartitionBy, r)
	}
	for _, o := range x.OrderBy {
		r, err := Resolve(o, input)
		if err != nil {
			return nil, err
		}
		out.OrderBy = append(out.OrderBy, r.(*SortOrder))
	}
	if c.Kind == KindRanking && c.Fn != "lag" && c.Fn != "lead" && len(out.OrderBy) == 0 {
		return nil, Errorf("window function %s requires the window to be ordered: add orderBy to the window spec", c.Fn)
	}
	return out, nil
}
