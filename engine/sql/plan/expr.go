// Package plan holds the logical plan of the DataFrame/SQL path: logical
// expressions and operators, the analyzer that resolves names and types,
// the optimizer, and the physical planner that turns a logical plan into
// exec operators.
package plan

import (
	"fmt"
	"strings"
	"sync/atomic"

	"github.com/apache/arrow/go/v17/arrow"

	"gospark/engine/sql/exec"
)

var nextID atomic.Int64

// NewID returns a fresh attribute id (Spark's ExprId).
func NewID() int64 { return nextID.Add(1) }

// Attr is a resolved column: an output of some logical operator, known by
// its unique ID wherever it flows.
type Attr struct {
	ID        int64
	Name      string
	Qualifier string
	T         arrow.DataType
}

// String describes an Attr on one line, as Explain shows it.
func (a Attr) String() string { return fmt.Sprintf("%s#%d", a.Name, a.ID) }

// Expr is a logical expression. Before analysis it may contain unresolved
// names (ColumnRef, Star, Call without a type); after, every node has a
// type.
type Expr interface {
	// Type is the result type (nil while unresolved).
	Type() arrow.DataType
	// Children returns the sub-expressions.
	Children() []Expr
	// WithChildren returns a copy with the sub-expressions replaced.
	WithChildren(cs []Expr) Expr
	// String renders the expression with attribute ids, for Explain.
	String() string
	// Name is the column name Spark gives the expression when it is
	// selected without an alias, e.g. "sum(v1)", "(a + 1)".
	Name() string
}

// ColumnRef is an unresolved column name, optionally qualified
// ("t.name"); a DataFrame's Col also pins the id of the attribute.
type ColumnRef struct {
	Qualifier string
	Col       string
	// ID, when not zero, names the attribute exactly (df.Col("x")).
	ID int64
}

// Type is nil: unresolved.
func (c *ColumnRef) Type() arrow.DataType { return nil }

// Children returns none.
func (c *ColumnRef) Children() []Expr { return nil }

// WithChildren returns c.
func (c *ColumnRef) WithChildren([]Expr) Expr { return c }

// String describes a ColumnRef on one line, as Explain shows it.
func (c *ColumnRef) String() string {
	if c.Qualifier != "" {
		return "'" + c.Qualifier + "." + c.Col
	}
	return "'" + c.Col
}

// Name returns the column name.
func (c *ColumnRef) Name() string { return c.Col }

// Star is * or t.*.
type Star struct{ Qualifier string }

// Type is nil: unresolved.
func (s *Star) Type() arrow.DataType { return nil }

// Children returns the inputs of a Star.
func (s *Star) Children() []Expr { return nil }

// WithChildren returns a copy of a Star with the given sub-expressions.
func (s *Star) WithChildren([]Expr) Expr { return s }

// String describes a Star on one line, as Explain shows it.
func (s *Star) String() string { return s.Name() }

// Name returns the column name Spark gives a Star.
func (s *Star) Name() string {
	if s.Qualifier != "" {
		return s.Qualifier + ".*"
	}
	return "*"
}

// AttrRef is a resolved reference to an attribute.
type AttrRef struct{ A Attr }

// Type returns the attribute's type.
func (r *AttrRef) Type() arrow.DataType { return r.A.T }

// Children returns the inputs of an AttrRef.
func (r *AttrRef) Children() []Expr { return nil }

// WithChildren returns a copy of an AttrRef with the given sub-expressions.
func (r *AttrRef) WithChildren([]Expr) Expr { return r }

// String describes an AttrRef on one line, as Explain shows it.
func (r *AttrRef) String() string { return r.A.String() }

// Name returns the column name Spark gives an AttrRef.
func (r *AttrRef) Name() string { return r.A.Name }

// Lit is a literal; Val is a Go value of the kind exec.Literal expects.
type Lit struct {
	Val any
	T   arrow.DataType
}

// Type returns the literal's type.
func (l *Lit) Type() arrow.DataType { return l.T }

// Children returns the inputs of a Lit.
func (l *Lit) Children() []Expr { return nil }

// WithChildren returns a copy of a Lit with the given sub-expressions.
func (l *Lit) WithChildren([]Expr) Expr { return l }

// String describes a Lit on one line, as Explain shows it.
func (l *Lit) String() string {
	if s, ok := l.Val.(string); ok {
		return s
	}
	if l.Val == nil {
		return "NULL"
	}
	return exec.FormatValue(l.Val, l.T)
}

// Name returns the column name Spark gives a Lit.
func (l *Lit) Name() string { return l.String() }

// CallKind says what a resolved Call is.
type CallKind int

// The call kinds.
const (
	KindUnresolved CallKind = iota
	KindOperator            // arithmetic, comparison, boolean, null tests, IN
	KindScalar              // a function from exec.Scalars
	KindAgg                 // an aggregate function
	KindRanking             // row_number, rank, dense_rank, lag, lead… (window only)
	KindGenerator           // explode, explode_outer, posexplode: one row per element
)

// Call is a function or operator application. Operators use their SQL
// spelling as Fn: "+", "-", "*", "/", "%", "=", "<=>", "!=", "<", "<=",
// ">", ">=", "and", "or", "not", "negative", "isnull", "isnotnull",
// "coalesce", "in".
type Call struct {
	Fn       string
	Args     []Expr
	Distinct bool
	Kind     CallKind
	T        arrow.DataType
	// Param is an extra constant of some aggregates (percentile p, rsd).
	Param float64
}

// Type returns the result type (nil while unresolved).
func (c *Call) Type() arrow.DataType { return c.T }

// Children returns the inputs of a Call.
func (c *Call) Children() []Expr { return c.Args }

// WithChildren returns a copy of a Call with the given sub-expressions.
func (c *Call) WithChildren(cs []Expr) Expr {
	n := *c
	n.Args = cs
	return &n
}

var infix = map[string]bool{"+": true, "-": true, "*": true, "/": true, "%": true, "=": true, "<=>": true,
	"!=": true, "<": true, "<=": true, ">": true, ">=": true, "and": true, "or": true}

func (c *Call) render(f func(Expr) string) string {
	switch {
	case infix[c.Fn] && len(c.Args) == 2:
		op := c.Fn
		if op == "and" || op == "or" {
			op = strings.ToUpper(op)
		}
		return "(" + f(c.Args[0]) + " " + op + " " + f(c.Args[1]) + ")"
	case c.Fn == "not":
		return "(NOT " + f(c.Args[0]) + ")"
	case c.Fn == "negative":
		return "(- " + f(c.Args[0]) + ")"
	case c.Fn == "isnull":
		return "(" + f(c.Args[0]) + " IS NULL)"
	case c.Fn == "isnotnull":
		return "(" + f(c.Args[0]) + " IS NOT NULL)"
	case c.Fn == "in":
		parts := make([]string, len(c.Args)-1)
		for i, a := range c.Args[1:] {
			parts[i] = f(a)
		}
		return "(" + f(c.Args[0]) + " IN (" + strings.Join(parts, ", ") + "))"
	}
	parts := make([]string, len(c.Args))
	for i, a := range c.Args {
		parts[i] = f(a)
	}
	name := c.Fn
	if c.Fn == "count" && len(c.Args) == 0 {
		return "count(1)"
	}
	if c.Fn == "count_distinct" {
		return "count(DISTINCT " + strings.Join(parts, ", ") + ")"
	}
	if c.Distinct {
		return name + "(DISTINCT " + strings.Join(parts, ", ") + ")"
	}
	return name + "(" + strings.Join(parts, ", ") + ")"
}

// String describes a Call on one line, as Explain shows it.
func (c *Call) String() string { return c.render(Expr.String) }

// Name returns the column name Spark gives a Call.
func (c *Call) Name() string { return c.render(Expr.Name) }

// Cast converts X to T. An Implicit cast is one the analyzer inserted for
// type coercion; it does not show in column names.
type Cast struct {
	X        Expr
	T        arrow.DataType
	Implicit bool
}

// Type returns the target type.
func (c *Cast) Type() arrow.DataType { return c.T }

// Children returns the inputs of a Cast.
func (c *Cast) Children() []Expr { return []Expr{c.X} }

// WithChildren returns a copy of a Cast with the given sub-expressions.
func (c *Cast) WithChildren(cs []Expr) Expr { return &Cast{X: cs[0], T: c.T, Implicit: c.Implicit} }

// String describes a Cast on one line, as Explain shows it.
func (c *Cast) String() string {
	return fmt.Sprintf("cast(%s as %s)", c.X, exec.SimpleString(c.T))
}

// Name returns the column name Spark gives a Cast.
func (c *Cast) Name() string {
	if c.Implicit {
		return c.X.Name()
	}
	return fmt.Sprintf("CAST(%s AS %s)", c.X.Name(), strings.ToUpper(exec.SimpleString(c.T)))
}

// Alias names an expression; ID is the attribute it defines.
type Alias struct {
	X     Expr
	Alias string
	ID    int64
}

// Type returns the operand's type.
func (a *Alias) Type() arrow.DataType { return a.X.Type() }

// Children returns the inputs of an Alias.
func (a *Alias) Children() []Expr { return []Expr{a.X} }

// WithChildren returns a copy of an Alias with the given sub-expressions.
func (a *Alias) WithChildren(cs []Expr) Expr { return &Alias{X: cs[0], Alias: a.Alias, ID: a.ID} }

// String describes an Alias on one line, as Explain shows it.
func (a *Alias) String() string { return fmt.Sprintf("%s AS %s#%d", a.X, a.Alias, a.ID) }

// Name returns the column name Spark gives an Alias.
func (a *Alias) Name() string { return a.Alias }

// CaseWhen is CASE WHEN … THEN … [ELSE …] END.
type CaseWhen struct {
	Conds, Vals []Expr
	Else        Expr
	T           arrow.DataType
}

// Type returns the common type of the branches.
func (c *CaseWhen) Type() arrow.DataType { return c.T }

// Children returns the inputs of a CaseWhen.
func (c *CaseWhen) Children() []Expr {
	out := append(append([]Expr{}, c.Conds...), c.Vals...)
	if c.Else != nil {
		out = append(out, c.Else)
	}
	return out
}

// WithChildren returns a copy of a CaseWhen with the given sub-expressions.
func (c *CaseWhen) WithChildren(cs []Expr) Expr {
	n := len(c.Conds)
	out := &CaseWhen{Conds: cs[:n:n], Vals: cs[n : 2*n : 2*n], T: c.T}
	if c.Else != nil {
		out.Else = cs[2*n]
	}
	return out
}
func (c *CaseWhen) render(f func(Expr) string) string {
	var b strings.Builder
	b.WriteString("CASE")
	for i := range c.Conds {
		fmt.Fprintf(&b, " WHEN %s THEN %s", f(c.Conds[i]), f(c.Vals[i]))
	}
	if c.Else != nil {
		fmt.Fprintf(&b, " ELSE %s", f(c.Else))
	}
	b.WriteString(" END")
	return b.String()
}

// String describes a CaseWhen on one line, as Explain shows it.
func (c *CaseWhen) String() string { return c.render(Expr.String) }

// Name returns the column name Spark gives a CaseWhen.
func (c *CaseWhen) Name() string { return c.render(Expr.Name) }

// SortOrder is an ORDER BY term.
type SortOrder struct {
	X          Expr
	Desc       bool
	NullsFirst bool
}

// Type returns the operand's type.
func (s *SortOrder) Type() arrow.DataType { return s.X.Type() }

// Children returns the inputs of a SortOrder.
func (s *SortOrder) Children() []Expr { return []Expr{s.X} }

// WithChildren returns a copy of a SortOrder with the given sub-expressions.
func (s *SortOrder) WithChildren(cs []Expr) Expr {
	return &SortOrder{X: cs[0], Desc: s.Desc, NullsFirst: s.NullsFirst}
}
func (s *SortOrder) render(f func(Expr) string) string {
	d := " ASC"
	if s.Desc {
		d = " DESC"
	}
	n := " NULLS LAST"
	if s.NullsFirst {
		n = " NULLS FIRST"
	}
	return f(s.X) + d + n
}

// String describes a SortOrder on one line, as Explain shows it.
func (s *SortOrder) String() string { return s.render(Expr.String) }

// Name returns the column name Spark gives a SortOrder.
func (s *SortOrder) Name() string { return s.render(Expr.Name) }

// Asc returns an ascending order (NULLs first, Spark's default).
func Asc(x Expr) *SortOrder { return &SortOrder{X: x, NullsFirst: true} }

// Desc returns a descending order (NULLs last, Spark's default).
func Desc(x Expr) *SortOrder { return &SortOrder{X: x, Desc: true} }

// Transform rewrites e bottom-up with f.
func Transform(e Expr, f func(Expr) Expr) Expr {
	cs := e.Children()
	if len(cs) > 0 {
		n := make([]Expr, len(cs))
		changed := false
		for i, c := range cs {
			n[i] = Transform(c, f)
			if n[i] != c {
				changed = true
			}
		}
		if changed {
			e = e.WithChildren(n)
		}
	}
	return f(e)
}

// Walk calls f on e and its sub-expressions, pre-order, until f returns
// false.
func Walk(e Expr, f func(Expr) bool) {
	if !f(e) {
		return
	}
	for _, c := range e.Children() {
		Walk(c, f)
	}
}

// References returns the ids of the attributes e reads.
func References(e Expr) map[int64]bool {
	out := map[int64]bool{}
	Walk(e, func(x Expr) bool {
		if r, ok := x.(*AttrRef); ok {
			out[r.A.ID] = true
		}
		return true
	})
	return out
}

// Contains reports whether any sub-expression satisfies f.
func Contains(e Expr, f func(Expr) bool) bool {
	found := false
	Walk(e, func(x Expr) bool {
		if found || f(x) {
			found = true
			return false
		}
		return true
	})
	return found
}

// IsAgg reports whether e is an aggregate call.
func IsAgg(e Expr) bool {
	c, ok := e.(*Call)
	return ok && c.Kind == KindAgg
}

// Strip removes an Alias.
func Strip(e Expr) Expr {
	if a, ok := e.(*Alias); ok {
		return a.X
	}
	return e
}

// OuterRef is a column of an enclosing query used inside a correlated
// subquery; the planner turns the predicates that hold it into the
// condition of a semi or anti join.
type OuterRef struct{ A Attr }

// Type returns the attribute's type.
func (o *OuterRef) Type() arrow.DataType { return o.A.T }

// Children returns the inputs of an OuterRef.
func (o *OuterRef) Children() []Expr { return nil }

// WithChildren returns a copy of an OuterRef with the given sub-expressions.
func (o *OuterRef) WithChildren([]Expr) Expr { return o }

// String describes an OuterRef on one line, as Explain shows it.
func (o *OuterRef) String() string { return "outer(" + o.A.String() + ")" }

// Name returns the column name Spark gives an OuterRef.
func (o *OuterRef) Name() string { return o.A.Name }
