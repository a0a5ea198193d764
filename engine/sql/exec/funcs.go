package exec

import (
	"fmt"
	"math"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
)

// ScalarDef defines a scalar function for the analyzer and the planner.
type ScalarDef struct {
	// MinArgs and MaxArgs bound the argument count (MaxArgs < 0: any).
	MinArgs, MaxArgs int
	// Resolve returns the types the arguments are cast to and the result
	// type, given the arguments' types.
	Resolve func(args []arrow.DataType) ([]arrow.DataType, arrow.DataType, error)
	// Build returns the kernel; lits holds the value of each argument that
	// is a literal (nil otherwise), so patterns compile once.
	Build func(lits []any, ret arrow.DataType) (Kernel, error)
}

// Scalars is the registry of scalar functions by lower-case name.
var Scalars = map[string]*ScalarDef{}

func register(names string, d *ScalarDef) {
	for _, n := range strings.Split(names, ",") {
		Scalars[n] = d
	}
}

// fixed returns a Resolve that casts every argument to the given types
// (the last one repeats for variadic functions) and returns ret.
func fixed(ret arrow.DataType, args ...arrow.DataType) func([]arrow.DataType) ([]arrow.DataType, arrow.DataType, error) {
	return func(in []arrow.DataType) ([]arrow.DataType, arrow.DataType, error) {
		out := make([]arrow.DataType, len(in))
		for i := range in {
			if i < len(args) {
				out[i] = args[i]
			} else {
				out[i] = args[len(args)-1]
			}
		}
		return out, ret, nil
	}
}

func kernel(k Kernel) func([]any, arrow.DataType) (Kernel, error) {
	return func([]any, arrow.DataType) (Kernel, error) { return k, nil }
}

// mapStrings applies f to every non-null string of a.
func mapStrings(a arrow.Array, f func(dst, s []byte) []byte) arrow.Array {
	sa := a.(*array.String)
	n := sa.Len()
	b := NewStringBuilder(n, len(sa.ValueBytes()))
	var buf []byte
	for i := 0; i < n; i++ {
		if sa.IsNull(i) {
			b.AppendNull()
			continue
		}
		buf = f(buf[:0], strAt(sa, i))
		b.Append(buf)
	}
	return b.Finish()
}

// stringsTo applies f to every non-null string; ok=false gives NULL.
func stringsTo[T any](a arrow.Array, dt arrow.DataType, f func(s []byte) (T, bool)) arrow.Array {
	sa := a.(*array.String)
	n := sa.Len()
	out := make([]T, n)
	valid := NewValidBitmap(n)
	for i := 0; i < n; i++ {
		if sa.IsNull(i) {
			valid.Clear(i)
			continue
		}
		v, ok := f(strAt(sa, i))
		if !ok {
			valid.Clear(i)
		}
		out[i] = v
	}
	return FixedArray(dt, out, valid)
}

func init() {
	mathFn := func(name string, f func(float64) float64) {
		register(name, &ScalarDef{MinArgs: 1, MaxArgs: 1, Resolve: fixed(Float64, Float64),
			Build: func([]any, arrow.DataType) (Kernel, error) {
				return func(args []arrow.Array, n int) (arrow.Array, error) {
					in := args[0].(*array.Float64).Float64Values()
					out := make([]float64, n)
					valid := validBitmapOf(args[0])
					for i, v := range in {
						r := f(v)
						if math.IsNaN(r) && !math.IsNaN(v) {
							if valid == nil {
								valid = NewValidBitmap(n)
							}
							valid.Clear(i)
						}
						out[i] = r
					}
					return FixedArray(Float64, out, valid), nil
				}, nil
			}})
	}
	mathFn("sqrt", math.Sqrt)
	mathFn("exp", math.Exp)
	mathFn("ln", func(x float64) float64 {
		if x <= 0 {
			return math.NaN()
		}
		return math.Log(x)
	})
	mathFn("log10", func(x float64) float64 {
		if x <= 0 {
			return math.NaN()
		}
		return math.Log10(x)
	})
	mathFn("sin", math.Sin)
	mathFn("cos", math.Cos)
	register("abs", &ScalarDef{MinArgs: 1, MaxArgs: 1,
		Resolve: func(in []arrow.DataType) ([]arrow.DataType, arrow.DataType, error) {
			if !IsNumeric(in[0]) {
				return []arrow.DataType{Float64}, Float64, nil
			}
			return in, in[0], nil
		},
		Build: kernel(func(args []arrow.Array, n int) (arrow.Array, error) {
			valid := validBitmapOf(args[0])
			switch a := args[0].(type) {
			case *array.Int32:
				return FixedArray(Int32, absOf(a.Int32Values()), valid), nil
			case *array.Int64:
				return FixedArray(Int64, absOf(a.Int64Values()), valid), nil
			default:
				return FixedArray(Float64, absOf(args[0].(*array.Float64).Float64Values()), valid), nil
			}
		})})
	roundFn := func(name string, f func(float64) float64) {
		register(name, &ScalarDef{MinArgs: 1, MaxArgs: 1, Resolve: fixed(Int64, Float64),
			Build: kernel(func(args []arrow.Array, n int) (arrow.Array, error) {
				in := args[0].(*array.Float64).Float64Values()
				out := make([]int64, n)
				for i, v := range in {
					out[i] = int64(f(v))
				}
				return FixedArray(Int64, out, validBitmapOf(args[0])), nil
			})})
	}
	roundFn("floor", math.Floor)
	roundFn("ceil,ceiling", math.Ceil)
	register("isnan", &ScalarDef{MinArgs: 1, MaxArgs: 1, Resolve: fixed(Boolean, Float64),
		Build: kernel(func(args []arrow.Array, n int) (arrow.Array, error) {
			out := NewBitmap(n)
			for i, v := range args[0].(*array.Float64).Float64Values() {
				if math.IsNaN(v) && args[0].IsValid(i) {
					out.Set(i)
				}
			}
			return BoolArray(out, nil, n), nil
		})})
	registerStrings()
	registerDates()
}

func absOf[T number](in []T) []T {
	out := make([]T, len(in))
	for i, v := range in {
		if v < 0 {
			v = -v
		}
		out[i] = v
	}
	return out
}

// LookupScalar returns the definition of a scalar function, checking the
// argument count.
func LookupScalar(name string, nargs int) (*ScalarDef, error) {
	d, ok := Scalars[strings.ToLower(name)]
	if !ok {
		return nil, fmt.Errorf("undefined function %s", name)
	}
	if nargs < d.MinArgs || (d.MaxArgs >= 0 && nargs > d.MaxArgs) {
		return nil, fmt.Errorf("function %s takes %s arguments, got %d", name, argRange(d), nargs)
	}
	return d, nil
}

func argRange(d *ScalarDef) string {
	switch {
	case d.MaxArgs < 0:
		return fmt.Sprintf("at least %d", d.MinArgs)
	case d.MinArgs == d.MaxArgs:
		return fmt.Sprint(d.MinArgs)
	}
	return fmt.Sprintf("%d to %d", d.MinArgs, d.MaxArgs)
}
