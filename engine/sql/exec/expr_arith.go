package exec

import (
	"fmt"
	"math"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
)

type number interface {
	~int32 | ~int64 | ~float64
}

// Arith is a binary arithmetic operator: + - * / %. Both operands have the
// result type T (the analyzer inserts casts); "/" is always on doubles.
// Division or remainder by zero gives NULL, as in Spark's default
// (non-ANSI) mode.
type Arith struct {
	Op   byte
	L, R Expr
}

// Type returns the operands' type.
func (e *Arith) Type() arrow.DataType { return e.L.Type() }

// String describes an Arith on one line, as Explain shows it.
func (e *Arith) String() string { return fmt.Sprintf("(%s %c %s)", e.L, e.Op, e.R) }

// Eval computes the operator over the batch.
func (e *Arith) Eval(rec arrow.Record) (arrow.Array, error) {
	l, err := e.L.Eval(rec)
	if err != nil {
		return nil, err
	}
	defer l.Release()
	if lit, ok := e.R.(*Literal); ok && lit.Val != nil {
		switch a := l.(type) {
		case *array.Int32:
			return arithScalar(e.Op, e.Type(), a.Int32Values(), lit.Val.(int32), validBitmapOf(l)), nil
		case *array.Int64:
			return arithScalar(e.Op, e.Type(), a.Int64Values(), lit.Val.(int64), validBitmapOf(l)), nil
		case *array.Float64:
			return arithScalar(e.Op, e.Type(), a.Float64Values(), lit.Val.(float64), validBitmapOf(l)), nil
		}
	}
	r, err := e.R.Eval(rec)
	if err != nil {
		return nil, err
	}
	defer r.Release()
	valid := andValid(l, r)
	switch a := l.(type) {
	case *array.Int32:
		return arithVec(e.Op, e.Type(), a.Int32Values(), r.(*array.Int32).Int32Values(), valid), nil
	case *array.Int64:
		return arithVec(e.Op, e.Type(), a.Int64Values(), r.(*array.Int64).Int64Values(), valid), nil
	case *array.Float64:
		return arithVec(e.Op, e.Type(), a.Float64Values(), r.(*array.Float64).Float64Values(), valid), nil
	case *array.Null:
		return NullArray(e.Type(), l.Len()), nil
	}
	return nil, fmt.Errorf("arithmetic %c on %s", e.Op, l.DataType())
}

func arithVec[T number](op byte, dt arrow.DataType, a, b []T, valid Bitmap) arrow.Array {
	out := make([]T, len(a))
	switch op {
	case '+':
		for i := range out {
			out[i] = a[i] + b[i]
		}
	case '-':
		for i := range out {
			out[i] = a[i] - b[i]
		}
	case '*':
		for i := range out {
			out[i] = a[i] * b[i]
		}
	case '/', '%':
		for i := range out {
			if b[i] == 0 {
				if valid == nil {
					valid = NewValidBitmap(len(a))
				}
				valid.Clear(i)
				continue
			}
			out[i] = divmod(op, a[i], b[i])
		}
	}
	return FixedArray(dt, out, valid)
}

func arithScalar[T number](op byte, dt arrow.DataType, a []T, s T, valid Bitmap) arrow.Array {
	out := make([]T, len(a))
	switch op {
	case '+':
		for i := range out {
			out[i] = a[i] + s
		}
	case '-':
		for i := range out {
			out[i] = a[i] - s
		}
	case '*':
		for i := range out {
			out[i] = a[i] * s
		}
	case '/', '%':
		if s == 0 {
			return NullArray(dt, len(a))
		}
		for i := range out {
			out[i] = divmod(op, a[i], s)
		}
	}
	return FixedArray(dt, out, valid)
}

func divmod[T number](op byte, a, b T) T {
	if op == '/' {
		return a / b
	}
	switch any(a).(type) {
	case float64:
		return T(math.Mod(float64(a), float64(b)))
	case int32:
		return T(int32(a) % int32(b))
	default:
		return T(int64(a) % int64(b))
	}
}

// Negate is unary minus.
type Negate struct{ X Expr }

// Type returns the operand's type.
func (e *Negate) Type() arrow.DataType { return e.X.Type() }

// String describes a Negate on one line, as Explain shows it.
func (e *Negate) String() string { return fmt.Sprintf("(- %s)", e.X) }

// Eval negates every value.
func (e *Negate) Eval(rec arrow.Record) (arrow.Array, error) {
	x, err := e.X.Eval(rec)
	if err != nil {
		return nil, err
	}
	defer x.Release()
	switch a := x.(type) {
	case *array.Int32:
		return arithScalar('*', e.Type(), a.Int32Values(), -1, validBitmapOf(x)), nil
	case *array.Int64:
		return arithScalar('*', e.Type(), a.Int64Values(), -1, validBitmapOf(x)), nil
	case *array.Float64:
		return arithScalar('*', e.Type(), a.Float64Values(), -1, validBitmapOf(x)), nil
	}
	return nil, fmt.Errorf("cannot negate %s", x.DataType())
}

// Pow is pow(x, y) on doubles.
type Pow struct{ X, Y Expr }

// Type is double.
func (e *Pow) Type() arrow.DataType { return Float64 }

// String describes a Pow on one line, as Explain shows it.
func (e *Pow) String() string { return fmt.Sprintf("power(%s, %s)", e.X, e.Y) }

// Eval computes x^y.
func (e *Pow) Eval(rec arrow.Record) (arrow.Array, error) {
	x, err := e.X.Eval(rec)
	if err != nil {
		return nil, err
	}
	defer x.Release()
	y, err := e.Y.Eval(rec)
	if err != nil {
		return nil, err
	}
	defer y.Release()
	a, b := x.(*array.Float64).Float64Values(), y.(*array.Float64).Float64Values()
	out := make([]float64, len(a))
	for i := range out {
		out[i] = math.Pow(a[i], b[i])
	}
	return FixedArray(Float64, out, andValid(x, y)), nil
}

// Round rounds a double half-up to Scale decimal places, like Spark's round.
type Round struct {
	X     Expr
	Scale int
}

// Type is the operand's type.
func (e *Round) Type() arrow.DataType { return e.X.Type() }

// String describes a Round on one line, as Explain shows it.
func (e *Round) String() string { return fmt.Sprintf("round(%s, %d)", e.X, e.Scale) }

// Eval rounds every value.
func (e *Round) Eval(rec arrow.Record) (arrow.Array, error) {
	x, err := e.X.Eval(rec)
	if err != nil {
		return nil, err
	}
	f, ok := x.(*array.Float64)
	if !ok {
		return x, nil
	}
	defer x.Release()
	p := math.Pow(10, float64(e.Scale))
	in := f.Float64Values()
	out := make([]float64, len(in))
	for i, v := range in {
		r := math.Round(v*p) / p
		if math.IsInf(r, 0) || math.IsNaN(r) {
			r = v
		}
		out[i] = r
	}
	return FixedArray(Float64, out, validBitmapOf(x)), nil
}
