package exec

import (
	"bytes"
	"fmt"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
)

// CmpOp is a comparison operator.
type CmpOp int

// The comparison operators.
const (
	EQ CmpOp = iota
	NE
	LT
	LE
	GT
	GE
	// EQNullSafe is <=>: NULL <=> NULL is true and never NULL.
	EQNullSafe
)

var cmpNames = [...]string{"=", "!=", "<", "<=", ">", ">=", "<=>"}

// String describes a CmpOp on one line, as Explain shows it.
func (o CmpOp) String() string { return cmpNames[o] }

// Compare compares two operands of the same type and gives a boolean; NULL
// on either side gives NULL (except for <=>).
type Compare struct {
	Op   CmpOp
	L, R Expr
}

// Type is boolean.
func (e *Compare) Type() arrow.DataType { return Boolean }

// String describes a Compare on one line, as Explain shows it.
func (e *Compare) String() string { return fmt.Sprintf("(%s %s %s)", e.L, e.Op, e.R) }

type ordered interface {
	~int32 | ~int64 | ~float64
}

// Eval compares row by row.
func (e *Compare) Eval(rec arrow.Record) (arrow.Array, error) {
	l, err := e.L.Eval(rec)
	if err != nil {
		return nil, err
	}
	defer l.Release()
	n := l.Len()
	op := e.Op
	if op == EQNullSafe {
		op = EQ
	}
	var out Bitmap
	if lit, ok := e.R.(*Literal); ok && lit.Val != nil && e.Op != EQNullSafe {
		out = NewBitmap(n)
		switch a := l.(type) {
		case *array.Int32:
			cmpScalar(op, a.Int32Values(), lit.Val.(int32), out)
		case *array.Int64:
			cmpScalar(op, a.Int64Values(), lit.Val.(int64), out)
		case *array.Float64:
			cmpScalar(op, a.Float64Values(), lit.Val.(float64), out)
		case *array.Date32:
			cmpScalar(op, a.Date32Values(), lit.Val.(arrow.Date32), out)
		case *array.Timestamp:
			cmpScalar(op, a.TimestampValues(), lit.Val.(arrow.Timestamp), out)
		case *array.String:
			s := []byte(lit.Val.(string))
			for i := 0; i < n; i++ {
				if cmpResult(op, bytes.Compare(strAt(a, i), s)) {
					out.Set(i)
				}
			}
		default:
			out = nil
		}
		if out != nil {
			return BoolArray(out, validBitmapOf(l), n), nil
		}
	}
	r, err := e.R.Eval(rec)
	if err != nil {
		return nil, err
	}
	defer r.Release()
	out = NewBitmap(n)
	switch a := l.(type) {
	case *array.Int32:
		cmpVec(op, a.Int32Values(), r.(*array.Int32).Int32Values(), out)
	case *array.Int64:
		cmpVec(op, a.Int64Values(), r.(*array.Int64).Int64Values(), out)
	case *array.Float64:
		cmpVec(op, a.Float64Values(), r.(*array.Float64).Float64Values(), out)
	case *array.Date32:
		cmpVec(op, a.Date32Values(), r.(*array.Date32).Date32Values(), out)
	case *array.Timestamp:
		cmpVec(op, a.TimestampValues(), r.(*array.Timestamp).TimestampValues(), out)
	case *array.String:
		b := r.(*array.String)
		for i := 0; i < n; i++ {
			if cmpResult(op, bytes.Compare(strAt(a, i), strAt(b, i))) {
				out.Set(i)
			}
		}
	case *array.Boolean:
		b := r.(*array.Boolean)
		for i := 0; i < n; i++ {
			x, y := 0, 0
			if a.Value(i) {
				x = 1
			}
			if b.Value(i) {
				y = 1
			}
			if cmpResult(op, x-y) {
				out.Set(i)
			}
		}
	case *array.Null:
	default:
		return nil, fmt.Errorf("cannot compare %s values", l.DataType())
	}
	if e.Op == EQNullSafe {
		for i := 0; i < n; i++ {
			ln, rn := l.IsNull(i), r.IsNull(i)
			switch {
			case ln && rn:
				out.Set(i)
			case ln || rn:
				out.Clear(i)
			}
		}
		return BoolArray(out, nil, n), nil
	}
	return BoolArray(out, andValid(l, r), n), nil
}

func cmpResult(op CmpOp, c int) bool {
	switch op {
	case EQ:
		return c == 0
	case NE:
		return c != 0
	case LT:
		return c < 0
	case LE:
		return c <= 0
	case GT:
		return c > 0
	default:
		return c >= 0
	}
}

func cmpVec[T ordered](op CmpOp, a, b []T, out Bitmap) {
	b = b[:len(a)]
	switch op {
	case EQ:
		for i := range a {
			if a[i] == b[i] {
				out.Set(i)
			}
		}
	case NE:
		for i := range a {
			if a[i] != b[i] {
				out.Set(i)
			}
		}
	case LT:
		for i := range a {
			if a[i] < b[i] {
				out.Set(i)
			}
		}
	case LE:
		for i := range a {
			if a[i] <= b[i] {
				out.Set(i)
			}
		}
	case GT:
		for i := range a {
			if a[i] > b[i] {
				out.Set(i)
			}
		}
	case GE:
		for i := range a {
			if a[i] >= b[i] {
				out.Set(i)
			}
		}
	}
}

func cmpScalar[T ordered](op CmpOp, a []T, s T, out Bitmap) {
	switch op {
	case EQ:
		for i := range a {
			if a[i] == s {
				out.Set(i)
			}
		}
	case NE:
		for i := range a {
			if a[i] != s {
				out.Set(i)
			}
		}
	case LT:
		for i := range a {
			if a[i] < s {
				out.Set(i)
			}
		}
	case LE:
		for i := range a {
			if a[i] <= s {
				out.Set(i)
			}
		}
	case GT:
		for i := range a {
			if a[i] > s {
				out.Set(i)
			}
		}
	case GE:
		for i := range a {
			if a[i] >= s {
				out.Set(i)
			}
		}
	}
}
