package exec

import (
	"fmt"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
)

// AggFunc is an aggregate function call in a physical plan: its name, the
// expressions that compute its inputs from the aggregate's input batch, and
// its result type.
//
// An aggregate runs in one of three modes. Complete: raw rows in, final
// values out. Partial: raw rows in, intermediate state out (StateTypes, one
// or more columns). Final: states in, final values out. Partial and Final
// bracket a shuffle, so that only one state row per group and input
// partition crosses it.
type AggFunc struct {
	Name string
	Args []Expr
	T    arrow.DataType
	// Param is an extra constant (the percentile of percentile, the rsd of
	// approx_count_distinct).
	Param float64
}

// String describes an AggFunc on one line, as Explain shows it.
func (f *AggFunc) String() string {
	return fmt.Sprintf("%s(%s)", f.Name, joinExprs(f.Args))
}

// Accumulator keeps the running state of one aggregate for every group,
// in slices indexed by group id.
type Accumulator interface {
	// Grow makes room for n groups.
	Grow(n int)
	// Update folds raw input rows into their groups.
	Update(gids []int32, args []arrow.Array)
	// Merge folds intermediate state rows (from a Partial aggregate) into
	// their groups.
	Merge(gids []int32, state []arrow.Array)
	// State returns the intermediate state of every group.
	State() []arrow.Array
	// Final returns the final value of every group.
	Final() arrow.Array
}

// AggResultType returns the result type of aggregate name over args of the
// given types, and the types the arguments are cast to.
func AggResultType(name string, args []arrow.DataType) (ret arrow.DataType, argTypes []arrow.DataType, err error) {
	name = strings.ToLower(name)
	argTypes = append([]arrow.DataType(nil), args...)
	need := func(n int) error {
		if len(args) != n {
			return fmt.Errorf("function %s takes %d argument(s), got %d", name, n, len(args))
		}
		return nil
	}
	switch name {
	case "count", "count_distinct", "approx_count_distinct":
		return Int64, argTypes, nil
	case "sum":
		if err := need(1); err != nil {
			return nil, nil, err
		}
		switch args[0].ID() {
		case arrow.INT32, arrow.INT64:
			// Summed without a cast: the accumulator widens as it adds.
			return Int64, argTypes, nil
		case arrow.BOOL:
			return Int64, []arrow.DataType{Int64}, nil
		}
		return Float64, []arrow.DataType{Float64}, nil
	case "avg", "mean":
		if len(args) != 1 {
			return nil, nil, need(1)
		}
		if args[0].ID() == arrow.INT32 || args[0].ID() == arrow.INT64 {
			return Float64, argTypes, nil
		}
		return Float64, []arrow.DataType{Float64}, nil
	case "stddev", "stddev_samp", "std", "stddev_pop", "variance", "var_samp", "var_pop":
		if len(args) < 1 {
			return nil, nil, need(1)
		}
		return Float64, []arrow.DataType{numericArg(args[0])}, nil
	case "median", "percentile", "skewness":
		if len(args) < 1 {
			return nil, nil, need(1)
		}
		return Float64, []arrow.DataType{Float64}, nil
	case "corr", "covar_samp", "covar_pop":
		if err := need(2); err != nil {
			return nil, nil, err
		}
		// int and bigint columns are read as they are (see floatsOf).
		return Float64, []arrow.DataType{numericArg(args[0]), numericArg(args[1])}, nil
	case "min", "max", "first", "last", "first_value", "last_value", "any_value":
		if len(args) < 1 {
			return nil, nil, need(1)
		}
		return args[0], argTypes[:1], nil
	case "collect_list", "collect_set":
		if err := need(1); err != nil {
			return nil, nil, err
		}
		return arrow.ListOf(args[0]), argTypes, nil
	}
	return nil, nil, fmt.Errorf("undefined aggregate function %s", name)
}

// IsAggregate reports whether name is an aggregate function.
func IsAggregate(name string) bool {
	_, _, err := AggResultType(name, []arrow.DataType{Float64, Float64})
	return err == nil || !strings.HasPrefix(err.Error(), "undefined")
}

// Holistic reports whether the aggregate needs all of a group's values at
// once (median, percentile, collect_list, collect_set, count DISTINCT):
// its partial state is as big as its input, so a plan aggregates it in one
// phase after the exchange.
func (f *AggFunc) Holistic() bool {
	switch f.Name {
	case "median", "percentile", "collect_list", "collect_set", "count_distinct":
		return true
	}
	return false
}

// StateTypes returns the intermediate state columns of the aggregate.
func (f *AggFunc) StateTypes() []arrow.DataType {
	switch f.Name {
	case "count":
		return []arrow.DataType{Int64}
	case "sum":
		return []arrow.DataType{f.T}
	case "avg", "mean":
		return []arrow.DataType{Float64, Int64}
	case "stddev", "stddev_samp", "std", "stddev_pop", "variance", "var_samp", "var_pop":
		return []arrow.DataType{Float64, Float64, Float64}
	case "corr", "covar_samp", "covar_pop":
		return []arrow.DataType{Float64, Float64, Float64, Float64, Float64, Float64}
	case "min", "max":
		return []arrow.DataType{f.T}
	case "first", "last", "first_value", "last_value", "any_value":
		return []arrow.DataType{f.T, Boolean}
	case "approx_count_distinct":
		return []arrow.DataType{arrow.BinaryTypes.Binary}
	case "collect_list", "collect_set":
		return []arrow.DataType{f.T}
	}
	// median, percentile, count_distinct: the values themselves.
	return []arrow.DataType{arrow.ListOf(f.Args[0].Type())}
}

// NewAccumulator returns an empty accumulator for the aggregate.
func (f *AggFunc) NewAccumulator() Accumulator {
	switch f.Name {
	case "count":
		return &countAcc{star: len(f.Args) == 0}
	case "sum":
		if f.T.ID() == arrow.INT64 {
			return &sumAcc[int64]{dt: Int64}
		}
		return &sumAcc[float64]{dt: Float64}
	case "avg", "mean":
		return &avgAcc{}
	case "stddev", "stddev_samp", "std":
		return &momentAcc{kind: "stddev_samp"}
	case "stddev_pop", "var_pop", "var_samp":
		return &momentAcc{kind: f.Name}
	case "variance":
		return &momentAcc{kind: "var_samp"}
	case "corr", "covar_samp", "covar_pop":
		return &corrAcc{kind: f.Name}
	case "min", "max":
		return newMinMax(f.T, f.Name == "max")
	case "first", "first_value", "any_value":
		return newFirstLast(f.T, false)
	case "last", "last_value":
		return newFirstLast(f.T, true)
	case "approx_count_distinct":
		return newHLL(f.Param)
	}
	return newHolistic(f)
}

// numericArg keeps int and bigint argument types (accumulators convert as
// they read) and casts anything else to double.
func numericArg(t arrow.DataType) arrow.DataType {
	if t.ID() == arrow.INT32 || t.ID() == arrow.INT64 {
		return t
	}
	return Float64
}

// floatsOf returns a numeric column's values as doubles, converting int
// and bigint columns into buf.
func floatsOf(a arrow.Array, buf *[]float64) []float64 {
	switch x := a.(type) {
	case *array.Float64:
		return x.Float64Values()
	case *array.Int32:
		out := growTo((*buf)[:0], x.Len())
		for i, v := range x.Int32Values() {
			out[i] = float64(v)
		}
		*buf = out
		return out
	case *array.Int64:
		out := growTo((*buf)[:0], x.Len())
		for i, v := range x.Int64Values() {
			out[i] = float64(v)
		}
		*buf = out
		return out
	}
	panic("exec: floatsOf " + a.DataType().String())
}
