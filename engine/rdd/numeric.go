package rdd

import (
	"fmt"
	"math"
	"reflect"
)

// StatCounter holds the count, mean, variance, min and max of numbers,
// merged across partitions with Welford's method, like Spark's.
type StatCounter struct {
	N        int64
	Mu       float64
	M2       float64
	MaxValue float64
	MinValue float64
}

// Add folds one value in.
func (s *StatCounter) Add(x float64) {
	if s.N == 0 {
		s.MaxValue, s.MinValue = x, x
	}
	s.N++
	d := x - s.Mu
	s.Mu += d / float64(s.N)
	s.M2 += d * (x - s.Mu)
	s.MaxValue = math.Max(s.MaxValue, x)
	s.MinValue = math.Min(s.MinValue, x)
}

// Merge folds another counter in.
func (s *StatCounter) Merge(o StatCounter) {
	switch {
	case o.N == 0:
		return
	case s.N == 0:
		*s = o
		return
	}
	d := o.Mu - s.Mu
	n := s.N + o.N
	s.Mu += d * float64(o.N) / float64(n)
	s.M2 += o.M2 + d*d*float64(s.N)*float64(o.N)/float64(n)
	s.N = n
	s.MaxValue = math.Max(s.MaxValue, o.MaxValue)
	s.MinValue = math.Min(s.MinValue, o.MinValue)
}

// Count returns the number of values.
func (s StatCounter) Count() int64 { return s.N }

// Mean returns the mean, NaN when there are no values.
func (s StatCounter) Mean() float64 {
	if s.N == 0 {
		return math.NaN()
	}
	return s.Mu
}

// Sum returns the sum.
func (s StatCounter) Sum() float64 { return s.Mu * float64(s.N) }

// Variance returns the population variance.
func (s StatCounter) Variance() float64 {
	if s.N == 0 {
		return math.NaN()
	}
	return s.M2 / float64(s.N)
}

// SampleVariance returns the sample variance (divided by N-1).
func (s StatCounter) SampleVariance() float64 {
	if s.N <= 1 {
		return math.NaN()
	}
	return s.M2 / float64(s.N-1)
}

// Stdev returns the population standard deviation.
func (s StatCounter) Stdev() float64 { return math.Sqrt(s.Variance()) }

// SampleStdev returns the sample standard deviation.
func (s StatCounter) SampleStdev() float64 { return math.Sqrt(s.SampleVariance()) }

// Max returns the largest value.
func (s StatCounter) Max() float64 { return s.MaxValue }

// Min returns the smallest value.
func (s StatCounter) Min() float64 { return s.MinValue }

func (s StatCounter) String() string {
	return fmt.Sprintf("(count: %d, mean: %g, stdev: %g, max: %g, min: %g)", s.N, s.Mean(), s.Stdev(), s.MaxValue, s.MinValue)
}

// ToFloat converts a number of any Go numeric type to float64.
func ToFloat(x any) (float64, bool) {
	switch v := x.(type) {
	case float64:
		return v, true
	case int:
		return float64(v), true
	case int64:
		return float64(v), true
	}
	rv := reflect.ValueOf(x)
	switch kindOf(rv) {
	case signed:
		return float64(rv.Int()), true
	case unsigned:
		return float64(rv.Uint()), true
	case float:
		return rv.Float(), true
	}
	return 0, false
}

type statsOp struct{}

func (statsOp) Run(_ *TaskContext, it Iterator) any {
	var s StatCounter
	for x, ok := it(); ok; x, ok = it() {
		f, ok := ToFloat(x)
		if !ok {
			panic(&UsageError{Op: "Stats", Msg: fmt.Sprintf("the RDD holds a non-number of type %T (%v); Sum, Mean and Stats need numbers", x, x)})
		}
		s.Add(f)
	}
	return s
}

func (r *RDD) requireNumbers(op string) {
	if t := r.typ.Elem; t != nil {
		if k := kindOf(reflect.New(t).Elem()); k == notNum {
			panic(usagef(op, r.site(), "needs an RDD of numbers, but this RDD holds %v", t))
		}
	}
}

// Stats returns the count, mean, variance, max and min of an RDD of
// numbers, computed in one pass.
func (r *RDD) Stats() StatCounter {
	r.requireNumbers("Stats")
	var s StatCounter
	r.runJob(statsOp{}, allPartitions(r), func(_ int, v any) { s.Merge(v.(StatCounter)) })
	return s
}

type sumOp struct{}

func (sumOp) Run(_ *TaskContext, it Iterator) any {
	var s float64
	for x, ok := it(); ok; x, ok = it() {
		f, ok := ToFloat(x)
		if !ok {
			panic(&UsageError{Op: "Sum", Msg: fmt.Sprintf("the RDD holds a non-number of type %T (%v)", x, x)})
		}
		s += f
	}
	return s
}

// Sum returns the sum of an RDD of numbers, added in partition order.
func (r *RDD) Sum() float64 {
	r.requireNumbers("Sum")
	parts := make([]float64, r.numParts)
	r.runJob(sumOp{}, allPartitions(r), func(p int, v any) { parts[p] = v.(float64) })
	var s float64
	for _, x := range parts {
		s += x
	}
	return s
}

// Mean returns the mean of an RDD of numbers, NaN when it is empty.
func (r *RDD) Mean() float64 {
	r.requireNumbers("Mean")
	return r.Stats().Mean()
}

// Max returns the largest element, by Compare. It panics on an empty RDD.
func (r *RDD) Max() any {
	xs := r.Top(1)
	if len(xs) == 0 {
		panic(usagef("Max", r.site(), "the RDD is empty"))
	}
	return xs[0]
}

// Min returns the smallest element, by Compare. It panics on an empty RDD.
func (r *RDD) Min() any {
	xs := r.TakeOrdered(1)
	if len(xs) == 0 {
		panic(usagef("Min", r.site(), "the RDD is empty"))
	}
	return xs[0]
}
