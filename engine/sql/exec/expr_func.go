package exec

import (
	"fmt"

	"github.com/apache/arrow/go/v17/arrow"
)

// Kernel computes a function's result column from its argument columns,
// all of n rows. Kernels loop over typed Arrow buffers.
type Kernel func(args []arrow.Array, n int) (arrow.Array, error)

// Func is a scalar function call evaluated by a Kernel: the string, date
// and miscellaneous functions are all Funcs.
type Func struct {
	Name   string
	Args   []Expr
	T      arrow.DataType
	Kernel Kernel
}

// Type returns the result type.
func (f *Func) Type() arrow.DataType { return f.T }

// String describes a Func on one line, as Explain shows it.
func (f *Func) String() string { return fmt.Sprintf("%s(%s)", f.Name, joinExprs(f.Args)) }

// Eval evaluates the arguments and runs the kernel.
func (f *Func) Eval(rec arrow.Record) (arrow.Array, error) {
	args := make([]arrow.Array, len(f.Args))
	defer func() {
		for _, a := range args {
			if a != nil {
				a.Release()
			}
		}
	}()
	for i, e := range f.Args {
		a, err := e.Eval(rec)
		if err != nil {
			return nil, err
		}
		args[i] = a
	}
	return f.Kernel(args, int(rec.NumRows()))
}

// Cast converts its operand to T with Spark's non-ANSI rules: a string
// that does not parse becomes NULL.
type Cast struct {
	X Expr
	T arrow.DataType
}

// Type returns the target type.
func (c *Cast) Type() arrow.DataType { return c.T }

// String describes a Cast on one line, as Explain shows it.
func (c *Cast) String() string { return fmt.Sprintf("cast(%s as %s)", c.X, SimpleString(c.T)) }

// Eval converts the operand's column.
func (c *Cast) Eval(rec arrow.Record) (arrow.Array, error) {
	x, err := c.X.Eval(rec)
	if err != nil {
		return nil, err
	}
	defer x.Release()
	return CastArray(x, c.T)
}
