package sql

import (
	"fmt"
	"math"
	"time"

	"github.com/apache/arrow/go/v17/arrow"

	"gospark/engine/sql/exec"
	"gospark/engine/sql/plan"
)

// Column is an expression over a DataFrame's columns: a name, a literal,
// or operators and functions applied to others. Columns are values; every
// method returns a new Column.
type Column struct{ e plan.Expr }

// Expr returns the column's logical expression.
func (c Column) Expr() plan.Expr { return c.e }

// String describes a Column on one line, as Explain shows it.
func (c Column) String() string { return c.e.Name() }

// Col refers to a column by name; "t.name" qualifies it with a table
// alias, and "*" selects every column.
func Col(name string) Column {
	if name == "*" {
		return Column{&plan.Star{}}
	}
	if q, n, ok := splitQualified(name); ok {
		if n == "*" {
			return Column{&plan.Star{Qualifier: q}}
		}
		return Column{&plan.ColumnRef{Qualifier: q, Col: n}}
	}
	return Column{&plan.ColumnRef{Col: name}}
}

func splitQualified(name string) (string, string, bool) {
	if len(name) > 0 && name[0] == '`' {
		return "", "", false
	}
	for i := len(name) - 1; i > 0; i-- {
		if name[i] == '.' {
			return name[:i], name[i+1:], true
		}
	}
	return "", "", false
}

// Lit makes a literal column from a Go value: bool, integers (int is int
// when it fits, else bigint), floats, string, time.Time (a timestamp),
// arrow.Date32, nil (NULL) or a Column (returned as is).
func Lit(v any) Column {
	if c, ok := v.(Column); ok {
		return c
	}
	l, err := literal(v)
	if err != nil {
		panic(&AnalysisError{Msg: err.Error()})
	}
	return Column{l}
}

func literal(v any) (*plan.Lit, error) {
	switch x := v.(type) {
	case nil:
		return &plan.Lit{T: exec.Null}, nil
	case bool:
		return &plan.Lit{Val: x, T: exec.Boolean}, nil
	case int:
		if x >= math.MinInt32 && x <= math.MaxInt32 {
			return &plan.Lit{Val: int32(x), T: exec.Int32}, nil
		}
		return &plan.Lit{Val: int64(x), T: exec.Int64}, nil
	case int8:
		return &plan.Lit{Val: int32(x), T: exec.Int32}, nil
	case int16:
		return &plan.Lit{Val: int32(x), T: exec.Int32}, nil
	case int32:
		return &plan.Lit{Val: x, T: exec.Int32}, nil
	case int64:
		return &plan.Lit{Val: x, T: exec.Int64}, nil
	case uint8:
		return &plan.Lit{Val: int32(x), T: exec.Int32}, nil
	case uint16:
		return &plan.Lit{Val: int32(x), T: exec.Int32}, nil
	case uint32:
		return &plan.Lit{Val: int64(x), T: exec.Int64}, nil
	case uint:
		return &plan.Lit{Val: int64(x), T: exec.Int64}, nil
	case uint64:
		return &plan.Lit{Val: int64(x), T: exec.Int64}, nil
	case float32:
		return &plan.Lit{Val: float64(x), T: exec.Float64}, nil
	case float64:
		return &plan.Lit{Val: x, T: exec.Float64}, nil
	case string:
		return &plan.Lit{Val: x, T: exec.String}, nil
	case time.Time:
		return &plan.Lit{Val: arrow.Timestamp(x.UnixMicro()), T: exec.Timestamp}, nil
	case arrow.Date32:
		return &plan.Lit{Val: x, T: exec.Date32}, nil
	case arrow.Timestamp:
		return &plan.Lit{Val: x, T: exec.Timestamp}, nil
	}
	return nil, fmt.Errorf("unsupported literal %v of type %T", v, v)
}

// toCol turns a method argument into a Column: a Column as is, anything
// else as a literal.
func toCol(v any) Column {
	if c, ok := v.(Column); ok {
		return c
	}
	return Lit(v)
}

// nameOrCol turns a function argument into a Column: a string is a column
// name, anything else as toCol.
func nameOrCol(v any) Column {
	if s, ok := v.(string); ok {
		return Col(s)
	}
	return toCol(v)
}

func call(fn string, args ...Column) Column {
	es := make([]plan.Expr, len(args))
	for i, a := range args {
		es[i] = a.e
	}
	return Column{&plan.Call{Fn: fn, Args: es}}
}

func (c Column) op(fn string, other any) Column { return call(fn, c, toCol(other)) }

// Plus is c + other.
func (c Column) Plus(other any) Column { return c.op("+", other) }

// Minus is c - other.
func (c Column) Minus(other any) Column { return c.op("-", other) }

// Multiply is c * other.
func (c Column) Multiply(other any) Column { return c.op("*", other) }

// Divide is c / other (always a double, NULL on division by zero).
func (c Column) Divide(other any) Column { return c.op("/", other) }

// Mod is c % other.
func (c Column) Mod(other any) Column { return c.op("%", other) }

// Negate is -c.
func (c Column) Negate() Column { return call("negative", c) }

// EqualTo is c = other (alias Eq).
func (c Column) EqualTo(other any) Column { return c.op("=", other) }

// Eq is c = other.
func (c Column) Eq(other any) Column { return c.op("=", other) }

// EqNullSafe is c <=> other: NULLs are equal to each other.
func (c Column) EqNullSafe(other any) Column { return c.op("<=>", other) }

// NotEqual is c != other (alias Ne).
func (c Column) NotEqual(other any) Column { return c.op("!=", other) }

// Ne is c != other.
func (c Column) Ne(other any) Column { return c.op("!=", other) }

// Gt is c > other.
func (c Column) Gt(other any) Column { return c.op(">", other) }

// Geq is c >= other.
func (c Column) Geq(other any) Column { return c.op(">=", other) }

// Lt is c < other.
func (c Column) Lt(other any) Column { return c.op("<", other) }

// Leq is c <= other.
func (c Column) Leq(other any) Column { return c.op("<=", other) }

// And is c AND other.
func (c Column) And(other any) Column { return c.op("and", other) }

// Or is c OR other.
func (c Column) Or(other any) Column { return c.op("or", other) }

// Not is NOT c.
func Not(c Column) Column { return call("not", c) }

// IsNull is c IS NULL.
func (c Column) IsNull() Column { return call("isnull", c) }

// IsNotNull is c IS NOT NULL.
func (c Column) IsNotNull() Column { return call("isnotnull", c) }

// IsIn is c IN (values…).
func (c Column) IsIn(values ...any) Column {
	args := []Column{c}
	for _, v := range values {
		args = append(args, toCol(v))
	}
	return call("in", args...)
}

// Between is lower <= c AND c <= upper.
func (c Column) Between(lower, upper any) Column {
	return c.Geq(lower).And(c.Leq(upper))
}

// Like is SQL LIKE with % and _.
func (c Column) Like(pattern string) Column { return call("like", c, Lit(pattern)) }

// RLike matches a regular expression anywhere in the string.
func (c Column) RLike(pattern string) Column { return call("rlike", c, Lit(pattern)) }

// Contains reports whether the string contains substr.
func (c Column) Contains(substr any) Column { return call("contains", c, toCol(substr)) }

// StartsWith reports whether the string starts with prefix.
func (c Column) StartsWith(prefix any) Column { return call("startswith", c, toCol(prefix)) }

// EndsWith reports whether the string ends with suffix.
func (c Column) EndsWith(suffix any) Column { return call("endswith", c, toCol(suffix)) }

// Substr is substring(c, pos, length), 1-based.
func (c Column) Substr(pos, length int) Column {
	return call("substring", c, Lit(pos), Lit(length))
}

// Alias names the column.
func (c Column) Alias(name string) Column {
	return Column{&plan.Alias{X: c.e, Alias: name}}
}

// As names the column (alias of Alias).
func (c Column) As(name string) Column { return c.Alias(name) }

// Name names the column (alias of Alias).
func (c Column) Name(name string) Column { return c.Alias(name) }

// Cast converts the column to a type given by name ("int", "double",
// "string", "date", …).
func (c Column) Cast(typeName string) Column {
	t, err := exec.ParseType(typeName)
	if err != nil {
		panic(&AnalysisError{Msg: err.Error()})
	}
	return Column{&plan.Cast{X: c.e, T: t}}
}

// Asc sorts ascending, NULLs first.
func (c Column) Asc() Column { return Column{&plan.SortOrder{X: c.e, NullsFirst: true}} }

// AscNullsFirst sorts ascending, NULLs first.
func (c Column) AscNullsFirst() Column { return c.Asc() }

// AscNullsLast sorts ascending, NULLs last.
func (c Column) AscNullsLast() Column { return Column{&plan.SortOrder{X: c.e}} }

// Desc sorts descending, NULLs last.
func (c Column) Desc() Column { return Column{&plan.SortOrder{X: c.e, Desc: true}} }

// DescNullsFirst sorts descending, NULLs first.
func (c Column) DescNullsFirst() Column {
	return Column{&plan.SortOrder{X: c.e, Desc: true, NullsFirst: true}}
}

// DescNullsLast sorts descending, NULLs last.
func (c Column) DescNullsLast() Column { return c.Desc() }

// When adds a branch to a When(...) chain.
func (c Column) When(cond Column, value any) Column {
	cw, ok := c.e.(*plan.CaseWhen)
	if !ok {
		panic(&AnalysisError{Msg: "When() can only be applied on a Column previously generated by When()"})
	}
	n := &plan.CaseWhen{Conds: append(append([]plan.Expr{}, cw.Conds...), cond.e), Vals: append(append([]plan.Expr{}, cw.Vals...), toCol(value).e), Else: cw.Else}
	return Column{n}
}

// Otherwise sets the value of a When(...) chain when no branch matches.
func (c Column) Otherwise(value any) Column {
	cw, ok := c.e.(*plan.CaseWhen)
	if !ok {
		panic(&AnalysisError{Msg: "Otherwise() can only be applied on a Column previously generated by When()"})
	}
	n := &plan.CaseWhen{Conds: cw.Conds, Vals: cw.Vals, Else: toCol(value).e}
	return Column{n}
}

// Over evaluates a ranking or aggregate function over a window.
func (c Column) Over(w WindowSpec) Column {
	we := &plan.WindowExpr{Fn: c.e, PartitionBy: w.partitionBy, OrderBy: w.orderBy, Frame: w.frame}
	if !w.frameSet {
		we.Frame = plan.Frame{Unspecified: true}
	}
	return Column{we}
}
