package exec

import (
	"fmt"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
)

// And is SQL AND with three-valued logic: false AND NULL is false.
type And struct{ L, R Expr }

// Or is SQL OR with three-valued logic: true OR NULL is true.
type Or struct{ L, R Expr }

// Not is SQL NOT; NOT NULL is NULL.
type Not struct{ X Expr }

// Type is boolean.
func (e *And) Type() arrow.DataType { return Boolean }

// Type is boolean.
func (e *Or) Type() arrow.DataType { return Boolean }

// Type is boolean.
func (e *Not) Type() arrow.DataType { return Boolean }

// String describes an And on one line, as Explain shows it.
func (e *And) String() string { return fmt.Sprintf("(%s AND %s)", e.L, e.R) }

// String describes an Or on one line, as Explain shows it.
func (e *Or) String() string { return fmt.Sprintf("(%s OR %s)", e.L, e.R) }

// String describes a Not on one line, as Explain shows it.
func (e *Not) String() string { return fmt.Sprintf("NOT %s", e.X) }

// Eval combines the two sides.
func (e *And) Eval(rec arrow.Record) (arrow.Array, error) { return kleene(rec, e.L, e.R, true) }

// Eval combines the two sides.
func (e *Or) Eval(rec arrow.Record) (arrow.Array, error) { return kleene(rec, e.L, e.R, false) }

func boolParts(a arrow.Array) (vals Bitmap, valid Bitmap) {
	n := a.Len()
	if b, ok := a.(*array.Boolean); ok && b.Data().Offset() == 0 {
		vals = Bitmap(b.Data().Buffers()[1].Bytes())
	} else {
		vals = NewBitmap(n)
		if b, ok := a.(*array.Boolean); ok {
			for i := 0; i < n; i++ {
				if b.Value(i) {
					vals.Set(i)
				}
			}
		}
	}
	return vals, validBitmapOf(a)
}

func kleene(rec arrow.Record, le, re Expr, and bool) (arrow.Array, error) {
	l, err := le.Eval(rec)
	if err != nil {
		return nil, err
	}
	defer l.Release()
	r, err := re.Eval(rec)
	if err != nil {
		return nil, err
	}
	defer r.Release()
	n := l.Len()
	lv, lm := boolParts(l)
	rv, rm := boolParts(r)
	nb := (n + 7) / 8
	out := NewBitmap(n)
	if lm == nil && rm == nil {
		for i := 0; i < nb; i++ {
			if and {
				out[i] = lv[i] & rv[i]
			} else {
				out[i] = lv[i] | rv[i]
			}
		}
		return BoolArray(out, nil, n), nil
	}
	if lm == nil {
		lm = NewValidBitmap(n)
	}
	if rm == nil {
		rm = NewValidBitmap(n)
	}
	valid := NewBitmap(n)
	for i := 0; i < nb; i++ {
		lt, lf := lv[i]&lm[i], ^lv[i]&lm[i] // known true / known false
		rt, rf := rv[i]&rm[i], ^rv[i]&rm[i]
		if and {
			t := lt & rt
			f := lf | rf
			out[i], valid[i] = t, t|f
		} else {
			t := lt | rt
			f := lf & rf
			out[i], valid[i] = t, t|f
		}
	}
	return BoolArray(out, valid, n), nil
}

// Eval negates the operand.
func (e *Not) Eval(rec arrow.Record) (arrow.Array, error) {
	x, err := e.X.Eval(rec)
	if err != nil {
		return nil, err
	}
	defer x.Release()
	n := x.Len()
	v, m := boolParts(x)
	out := NewBitmap(n)
	for i := range out {
		out[i] = ^v[i]
	}
	return BoolArray(out, m, n), nil
}

// IsNull tests for NULL (Negate=false) or NOT NULL (Negate=true); the
// result is never NULL.
type IsNull struct {
	X      Expr
	Negate bool
}

// Type is boolean.
func (e *IsNull) Type() arrow.DataType { return Boolean }

// String describes an IsNull on one line, as Explain shows it.
func (e *IsNull) String() string {
	if e.Negate {
		return fmt.Sprintf("isnotnull(%s)", e.X)
	}
	return fmt.Sprintf("isnull(%s)", e.X)
}

// Eval tests each row.
func (e *IsNull) Eval(rec arrow.Record) (arrow.Array, error) {
	x, err := e.X.Eval(rec)
	if err != nil {
		return nil, err
	}
	defer x.Release()
	n := x.Len()
	out := NewBitmap(n)
	for i := 0; i < n; i++ {
		if x.IsNull(i) != e.Negate {
			out.Set(i)
		}
	}
	return BoolArray(out, nil, n), nil
}

// Coalesce returns the first non-NULL argument per row.
type Coalesce struct {
	Args []Expr
	T    arrow.DataType
}

// Type is the common type of the arguments.
func (e *Coalesce) Type() arrow.DataType { return e.T }

// String describes a Coalesce on one line, as Explain shows it.
func (e *Coalesce) String() string { return "coalesce(" + joinExprs(e.Args) + ")" }

func joinExprs(es []Expr) string {
	s := make([]string, len(es))
	for i, x := range es {
		s[i] = x.String()
	}
	return strings.Join(s, ", ")
}

// Eval picks per row.
func (e *Coalesce) Eval(rec arrow.Record) (arrow.Array, error) {
	cols := make([]arrow.Array, len(e.Args))
	defer func() {
		for _, c := range cols {
			if c != nil {
				c.Release()
			}
		}
	}()
	for i, a := range e.Args {
		c, err := a.Eval(rec)
		if err != nil {
			return nil, err
		}
		cols[i] = c
	}
	if cols[0].NullN() == 0 {
		cols[0].Retain()
		return cols[0], nil
	}
	n := int(rec.NumRows())
	app := NewAppender(e.T)
	for i := 0; i < n; i++ {
		done := false
		for _, c := range cols {
			if c.IsValid(i) {
				app.AppendFrom(c, i)
				done = true
				break
			}
		}
		if !done {
			app.AppendNull()
		}
	}
	return app.Finish(), nil
}

// CaseWhen is CASE WHEN c1 THEN v1 … ELSE e END; a missing ELSE is NULL.
type CaseWhen struct {
	Conds, Vals []Expr
	Else        Expr
	T           arrow.DataType
}

// Type is the common type of the branches.
func (e *CaseWhen) Type() arrow.DataType { return e.T }

// String describes a CaseWhen on one line, as Explain shows it.
func (e *CaseWhen) String() string {
	var b strings.Builder
	b.WriteString("CASE")
	for i := range e.Conds {
		fmt.Fprintf(&b, " WHEN %s THEN %s", e.Conds[i], e.Vals[i])
	}
	if e.Else != nil {
		fmt.Fprintf(&b, " ELSE %s", e.Else)
	}
	b.WriteString(" END")
	return b.String()
}

// Eval evaluates every branch over the batch and picks per row.
func (e *CaseWhen) Eval(rec arrow.Record) (arrow.Array, error) {
	n := int(rec.NumRows())
	var held []arrow.Array
	defer func() {
		for _, c := range held {
			c.Release()
		}
	}()
	conds := make([]*array.Boolean, len(e.Conds))
	vals := make([]arrow.Array, len(e.Vals))
	for i := range e.Conds {
		c, err := e.Conds[i].Eval(rec)
		if err != nil {
			return nil, err
		}
		held = append(held, c)
		if b, ok := c.(*array.Boolean); ok {
			conds[i] = b
		} else {
			conds[i] = NullArray(Boolean, n).(*array.Boolean)
		}
		v, err := e.Vals[i].Eval(rec)
		if err != nil {
			return nil, err
		}
		held = append(held, v)
		vals[i] = v
	}
	var els arrow.Array
	if e.Else != nil {
		v, err := e.Else.Eval(rec)
		if err != nil {
			return nil, err
		}
		held = append(held, v)
		els = v
	}
	app := NewAppender(e.T)
	for r := 0; r < n; r++ {
		done := false
		for i, c := range conds {
			if c.IsValid(r) && c.Value(r) {
				app.AppendFrom(vals[i], r)
				done = true
				break
			}
		}
		if !done {
			if els != nil {
				app.AppendFrom(els, r)
			} else {
				app.AppendNull()
			}
		}
	}
	return app.Finish(), nil
}

// In is x IN (v1, v2, …) over literal values of x's type, with SQL's NULL
// rules: no match and a NULL in the list gives NULL.
type In struct {
	X    Expr
	List []*Literal
}

// Type is boolean.
func (e *In) Type() arrow.DataType { return Boolean }

// String describes an In on one line, as Explain shows it.
func (e *In) String() string {
	s := make([]string, len(e.List))
	for i, l := range e.List {
		s[i] = l.String()
	}
	return fmt.Sprintf("%s IN (%s)", e.X, strings.Join(s, ", "))
}

// Eval tests membership.
func (e *In) Eval(rec arrow.Record) (arrow.Array, error) {
	x, err := e.X.Eval(rec)
	if err != nil {
		return nil, err
	}
	defer x.Release()
	n := x.Len()
	set := make(map[any]bool, len(e.List))
	hasNull := false
	for _, l := range e.List {
		if l.Val == nil {
			hasNull = true
		} else {
			set[l.Val] = true
		}
	}
	out := NewBitmap(n)
	valid := NewValidBitmap(n)
	switch a := x.(type) {
	case *array.String:
		ss := make(map[string]bool, len(set))
		for k := range set {
			ss[k.(string)] = true
		}
		for i := 0; i < n; i++ {
			if a.IsNull(i) {
				valid.Clear(i)
			} else if ss[unsafeString(strAt(a, i))] {
				out.Set(i)
			} else if hasNull {
				valid.Clear(i)
			}
		}
	case *array.Int32:
		inSet(a.Int32Values(), x, set, hasNull, out, valid)
	case *array.Int64:
		inSet(a.Int64Values(), x, set, hasNull, out, valid)
	case *array.Float64:
		inSet(a.Float64Values(), x, set, hasNull, out, valid)
	case *array.Date32:
		inSet(a.Date32Values(), x, set, hasNull, out, valid)
	case *array.Timestamp:
		inSet(a.TimestampValues(), x, set, hasNull, out, valid)
	default:
		for i := 0; i < n; i++ {
			v := ValueAt(x, i)
			if v == nil {
				valid.Clear(i)
			} else if set[v] {
				out.Set(i)
			} else if hasNull {
				valid.Clear(i)
			}
		}
	}
	return BoolArray(out, valid, n), nil
}

// inSet tests membership with a typed set, so no row is boxed.
func inSet[T comparable](vals []T, x arrow.Array, set map[any]bool, hasNull bool, out, valid Bitmap) {
	typed := make(map[T]bool, len(set))
	for k := range set {
		if v, ok := k.(T); ok {
			typed[v] = true
		}
	}
	nulls := x.NullN() > 0
	for i, v := range vals {
		switch {
		case nulls && x.IsNull(i):
			valid.Clear(i)
		case typed[v]:
			out.Set(i)
		case hasNull:
			valid.Clear(i)
		}
	}
}
