package plan

import (
	"fmt"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"
)

// Frame bounds for ROWS BETWEEN: offsets relative to the current row;
// Unbounded marks an open side.
const Unbounded = int64(1) << 62

// Frame is a window frame, in rows or range.
type Frame struct {
	Rows        bool
	Start, End  int64
	Unspecified bool
}

// WindowExpr is fn OVER (PARTITION BY … ORDER BY … frame).
type WindowExpr struct {
	Fn          Expr
	PartitionBy []Expr
	OrderBy     []*SortOrder
	Frame       Frame
}

// Type returns the function's type.
func (w *WindowExpr) Type() arrow.DataType { return w.Fn.Type() }

// Children returns the inputs of a WindowExpr.
func (w *WindowExpr) Children() []Expr {
	out := []Expr{w.Fn}
	out = append(out, w.PartitionBy...)
	for _, o := range w.OrderBy {
		out = append(out, o)
	}
	return out
}

// WithChildren returns a copy of a WindowExpr with the given sub-expressions.
func (w *WindowExpr) WithChildren(cs []Expr) Expr {
	n := &WindowExpr{Fn: cs[0], Frame: w.Frame}
	np := len(w.PartitionBy)
	n.PartitionBy = append([]Expr{}, cs[1:1+np]...)
	for _, o := range cs[1+np:] {
		n.OrderBy = append(n.OrderBy, o.(*SortOrder))
	}
	return n
}
func (w *WindowExpr) render(f func(Expr) string) string {
	var parts []string
	if len(w.PartitionBy) > 0 {
		ps := make([]string, len(w.PartitionBy))
		for i, p := range w.PartitionBy {
			ps[i] = f(p)
		}
		parts = append(parts, "PARTITION BY "+strings.Join(ps, ", "))
	}
	if len(w.OrderBy) > 0 {
		os := make([]string, len(w.OrderBy))
		for i, o := range w.OrderBy {
			os[i] = f(o)
		}
		parts = append(parts, "ORDER BY "+strings.Join(os, ", "))
	}
	if !w.Frame.Unspecified {
		parts = append(parts, w.Frame.String())
	}
	return f(w.Fn) + " OVER (" + strings.Join(parts, " ") + ")"
}

// String describes a WindowExpr on one line, as Explain shows it.
func (w *WindowExpr) String() string { return w.render(Expr.String) }

// Name returns the column name Spark gives a WindowExpr.
func (w *WindowExpr) Name() string { return w.render(Expr.Name) }

// String describes a Frame on one line, as Explain shows it.
func (f Frame) String() string {
	kind := "RANGE"
	if f.Rows {
		kind = "ROWS"
	}
	b := func(v int64, start bool) string {
		switch {
		case v <= -Unbounded:
			return "UNBOUNDED PRECEDING"
		case v >= Unbounded:
			return "UNBOUNDED FOLLOWING"
		case v == 0:
			return "CURRENT ROW"
		case v < 0:
			return fmt.Sprintf("%d PRECEDING", -v)
		}
		return fmt.Sprintf("%d FOLLOWING", v)
	}
	return fmt.Sprintf("%s BETWEEN %s AND %s", kind, b(f.Start, true), b(f.End, false))
}

// SubqueryKind says what a subquery expression is.
type SubqueryKind int

// The subquery kinds.
const (
	ScalarSubquery SubqueryKind = iota
	InSubquery
	ExistsSubquery
)

// Subquery is a subquery used as an expression: scalar, x IN (SELECT …)
// or EXISTS (SELECT …). The planner turns IN and EXISTS into semi/anti
// joins and runs scalar subqueries first.
type Subquery struct {
	Kind SubqueryKind
	Plan Node
	X    Expr // IN's left side
	Not  bool
	T    arrow.DataType
}

// Type returns the subquery's type.
func (s *Subquery) Type() arrow.DataType { return s.T }

// Children returns the inputs of a Subquery.
func (s *Subquery) Children() []Expr {
	if s.X != nil {
		return []Expr{s.X}
	}
	return nil
}

// WithChildren returns a copy of a Subquery with the given sub-expressions.
func (s *Subquery) WithChildren(cs []Expr) Expr {
	n := *s
	if len(cs) > 0 {
		n.X = cs[0]
	}
	return &n
}

// String describes a Subquery on one line, as Explain shows it.
func (s *Subquery) String() string {
	switch s.Kind {
	case InSubquery:
		return fmt.Sprintf("%s IN (subquery)", s.X)
	case ExistsSubquery:
		return "exists(subquery)"
	}
	return "scalar-subquery"
}

// Name returns the column name Spark gives a Subquery.
func (s *Subquery) Name() string { return s.String() }
