package rdd

import (
	"container/heap"
	"fmt"
	"reflect"
	"slices"
)

// runJob runs op on partitions of r and panics with the job's error, the
// action convention of the RDD API.
func (r *RDD) runJob(op ResultOp, partitions []int, handler func(int, any)) {
	if err := r.ctx.RunJob(r, op, partitions, handler); err != nil {
		panic(err)
	}
}

type collectOp struct{}

func (collectOp) Run(_ *TaskContext, it Iterator) any { return Drain(it) }

// Collect returns every element, in partition order.
func (r *RDD) Collect() []any {
	parts := make([][]any, r.numParts)
	r.runJob(collectOp{}, allPartitions(r), func(p int, v any) { parts[p] = v.([]any) })
	out := make([]any, 0)
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// CollectInto stores every element in the slice ptr points to, converting
// each to the slice's element type: var xs []int; r.CollectInto(&xs).
func (r *RDD) CollectInto(ptr any) {
	v := reflect.ValueOf(ptr)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Slice {
		panic(usagef("CollectInto", r.site(), "needs a pointer to a slice, got %T", ptr))
	}
	st := v.Elem().Type()
	xs := r.Collect()
	out := reflect.MakeSlice(st, len(xs), len(xs))
	for i, x := range xs {
		if x == nil {
			continue
		}
		xv := reflect.ValueOf(x)
		if !xv.Type().AssignableTo(st.Elem()) {
			panic(usagef("CollectInto", r.site(), "element %d has type %v, which does not fit in %v", i, xv.Type(), st))
		}
		out.Index(i).Set(xv)
	}
	v.Elem().Set(out)
}

type countOp struct{}

func (countOp) Run(_ *TaskContext, it Iterator) any {
	var n int64
	for _, ok := it(); ok; _, ok = it() {
		n++
	}
	return n
}

// Count returns the number of elements.
func (r *RDD) Count() int64 {
	var n int64
	r.runJob(countOp{}, allPartitions(r), func(_ int, v any) { n += v.(int64) })
	return n
}

type takeOp struct{ n int }

func (o takeOp) Run(_ *TaskContext, it Iterator) any {
	out := make([]any, 0, min(o.n, 1024))
	for x, ok := it(); ok && len(out) < o.n; x, ok = it() {
		out = append(out, x)
		if len(out) == o.n {
			break
		}
	}
	return out
}

// Take returns the first n elements. Like Spark's, it scans one partition
// first and then more at a time, so it rarely computes the whole RDD.
func (r *RDD) Take(n int) []any {
	out := make([]any, 0)
	if n <= 0 {
		return out
	}
	scanned := 0
	for len(out) < n && scanned < r.numParts {
		step := 1
		if scanned > 0 {
			// Spark's scale-up: estimate the partitions still needed from
			// the yield so far, at least doubling and at most 4x.
			if len(out) == 0 {
				step = scanned * 4
			} else {
				step = min(max(int(1.5*float64(n)*float64(scanned)/float64(len(out)))-scanned, 1), scanned*4)
			}
		}
		parts := make([]int, 0, step)
		for p := scanned; p < min(scanned+step, r.numParts); p++ {
			parts = append(parts, p)
		}
		res := make([][]any, len(parts))
		r.runJob(takeOp{n - len(out)}, parts, func(p int, v any) { res[p-scanned] = v.([]any) })
		for _, xs := range res {
			out = append(out, xs[:min(len(xs), n-len(out))]...)
		}
		scanned += len(parts)
	}
	return out
}

// First returns the first element. It panics on an empty RDD.
func (r *RDD) First() any {
	xs := r.Take(1)
	if len(xs) == 0 {
		panic(usagef("First", r.site(), "the RDD is empty"))
	}
	return xs[0]
}

// ordered keeps the n smallest elements by less, as a max-heap.
type ordered struct {
	xs   []any
	less func(a, b any) bool
}

func (h *ordered) Len() int           { return len(h.xs) }
func (h *ordered) Less(i, j int) bool { return h.less(h.xs[j], h.xs[i]) }
func (h *ordered) Swap(i, j int)      { h.xs[i], h.xs[j] = h.xs[j], h.xs[i] }
func (h *ordered) Push(x any)         { h.xs = append(h.xs, x) }
func (h *ordered) Pop() any {
	x := h.xs[len(h.xs)-1]
	h.xs = h.xs[:len(h.xs)-1]
	return x
}

type takeOrderedOp struct {
	n    int
	key  func(any) any
	desc bool
	f    *Func
}

func (o takeOrderedOp) less(a, b any) bool {
	if o.key != nil {
		a, b = o.key(a), o.key(b)
	}
	if o.desc {
		return Compare(a, b) > 0
	}
	return Compare(a, b) < 0
}

func (o takeOrderedOp) Run(_ *TaskContext, it Iterator) any {
	defer guard(o.f)
	h := &ordered{less: o.less}
	for x, ok := it(); ok; x, ok = it() {
		if h.Len() < o.n {
			heap.Push(h, x)
		} else if o.less(x, h.xs[0]) {
			h.xs[0] = x
			heap.Fix(h, 0)
		}
	}
	return h.xs
}

func (r *RDD) takeOrdered(op string, n int, desc bool, key []any) []any {
	o := takeOrderedOp{n: n, desc: desc}
	if len(key) > 0 {
		o.f = r.checkFunc(op, key[0], 1, 1)
		o.f.checkArg(r, 0, r.typ.Elem, "this RDD holds")
		o.key = o.f.fn1()
	}
	if n <= 0 {
		return []any{}
	}
	var all []any
	r.runJob(o, allPartitions(r), func(_ int, v any) { all = append(all, v.([]any)...) })
	slices.SortStableFunc(all, func(a, b any) int {
		switch {
		case o.less(a, b):
			return -1
		case o.less(b, a):
			return 1
		}
		return 0
	})
	return all[:min(n, len(all))]
}

// TakeOrdered returns the n smallest elements in ascending order, by the
// elements themselves or by the key the optional func returns for each.
func (r *RDD) TakeOrdered(n int, key ...any) []any {
	return r.takeOrdered("TakeOrdered", n, false, key)
}

// Top returns the n largest elements in descending order, by the elements
// themselves or by the key the optional func returns for each.
func (r *RDD) Top(n int, key ...any) []any { return r.takeOrdered("Top", n, true, key) }

// foldOp folds a partition with f starting from a copy of zero; with no
// zero it reduces, returning reduced{} for an empty partition.
type foldOp struct {
	f       *Func
	fn      func(a, b any) any
	zero    any
	hasZero bool
}

type reduced struct {
	v  any
	ok bool
}

func (o foldOp) Run(_ *TaskContext, it Iterator) any {
	defer guard(o.f)
	acc := reduced{}
	if o.hasZero {
		acc = reduced{Clone(o.zero), true}
	}
	for x, ok := it(); ok; x, ok = it() {
		if !acc.ok {
			acc = reduced{x, true}
			continue
		}
		acc.v = o.fn(acc.v, x)
	}
	return acc
}

func (r *RDD) fold(op string, zero any, hasZero bool, f any) (any, bool) {
	fn := r.checkFunc(op, f, 2, 1)
	fn.checkArg(r, 0, r.typ.Elem, "this RDD holds")
	fn.checkArg(r, 1, r.typ.Elem, "this RDD holds")
	o := foldOp{f: fn, fn: fn.fn2(), zero: zero, hasZero: hasZero}
	parts := make([]reduced, r.numParts)
	r.runJob(o, allPartitions(r), func(p int, v any) { parts[p] = v.(reduced) })
	acc := reduced{}
	if hasZero {
		acc = reduced{Clone(zero), true}
	}
	func() {
		defer func() {
			if e := recover(); e != nil {
				panic(classify(fn, e))
			}
		}()
		for _, p := range parts {
			switch {
			case !p.ok:
			case !acc.ok:
				acc = p
			default:
				acc.v = o.fn(acc.v, p.v)
			}
		}
	}()
	return acc.v, acc.ok
}

// Reduce merges the elements with f, a func(T, T) T that should be
// commutative and associative. It panics on an empty RDD.
func (r *RDD) Reduce(f any) any {
	v, ok := r.fold("Reduce", nil, false, f)
	if !ok {
		panic(usagef("Reduce", r.site(), "the RDD is empty (use Fold with a zero value for possibly empty RDDs)"))
	}
	return v
}

// Fold merges the elements with f, starting every partition and the final
// merge from a copy of zero.
func (r *RDD) Fold(zero any, f any) any {
	v, _ := r.fold("Fold", zero, true, f)
	return v
}

type aggregateOp struct {
	seq  *Func
	fn   func(a, b any) any
	zero any
}

func (o aggregateOp) Run(_ *TaskContext, it Iterator) any {
	defer guard(o.seq)
	acc := Clone(o.zero)
	for x, ok := it(); ok; x, ok = it() {
		acc = o.fn(acc, x)
	}
	return acc
}

// Aggregate folds each partition with seqOp(U, T) U from a copy of zero and
// merges the partition results with combOp(U, U) U.
func (r *RDD) Aggregate(zero any, seqOp, combOp any) any {
	so := r.checkFunc("Aggregate", seqOp, 2, 1)
	so.checkArg(r, 0, reflect.TypeOf(zero), "the zero value is")
	so.checkArg(r, 1, r.typ.Elem, "this RDD holds")
	co := r.checkFunc("Aggregate", combOp, 2, 1)
	comb := guarded2(co, co.fn2())
	parts := make([]any, r.numParts)
	r.runJob(aggregateOp{so, so.fn2(), zero}, allPartitions(r), func(p int, v any) { parts[p] = v })
	acc := Clone(zero)
	for _, p := range parts {
		acc = comb(acc, p)
	}
	return acc
}

type countByValueOp struct{ byKey bool }

func (o countByValueOp) Run(_ *TaskContext, it Iterator) any {
	defer unhashable()
	m := map[any]int64{}
	for x, ok := it(); ok; x, ok = it() {
		if o.byKey {
			x = asPair(x).Key
		}
		m[x]++
	}
	return m
}

func (r *RDD) countBy(byKey bool) map[any]int64 {
	out := map[any]int64{}
	r.runJob(countByValueOp{byKey}, allPartitions(r), func(_ int, v any) {
		for k, n := range v.(map[any]int64) {
			out[k] += n
		}
	})
	return out
}

// CountByValue returns how many times each distinct element occurs.
func (r *RDD) CountByValue() map[any]int64 { return r.countBy(false) }

// CountByKey returns how many Pairs each key has.
func (r *RDD) CountByKey() map[any]int64 {
	r.requirePairs("CountByKey")
	return r.countBy(true)
}

// CollectAsMap returns the Pairs as a map; when a key repeats, the last
// value in partition order wins.
func (r *RDD) CollectAsMap() map[any]any {
	r.requirePairs("CollectAsMap")
	out := map[any]any{}
	func() {
		defer unhashable()
		for _, x := range r.Collect() {
			p := asPair(x)
			out[p.Key] = p.Value
		}
	}()
	return out
}

type foreachOp struct {
	f  *Func
	fn func(any)
}

func (o foreachOp) Run(_ *TaskContext, it Iterator) any {
	defer guard(o.f)
	for x, ok := it(); ok; x, ok = it() {
		o.fn(x)
	}
	return nil
}

// Foreach calls f on every element, on the executors. Accumulators updated
// in f count each element exactly once, even when tasks are retried.
func (r *RDD) Foreach(f any) {
	fn := r.checkFunc("Foreach", f, 1, 0)
	fn.checkArg(r, 0, r.typ.Elem, "this RDD holds")
	r.runJob(foreachOp{fn, fn.fnVoid()}, allPartitions(r), func(int, any) {})
}

type foreachPartitionOp struct {
	f  *Func
	fn func(int, []any) []any
}

func (o foreachPartitionOp) Run(tc *TaskContext, it Iterator) any {
	xs := Drain(it)
	defer guard(o.f)
	o.fn(tc.PartitionID, xs)
	return nil
}

// ForeachPartition calls f once per partition with its elements as a slice
// of f's argument type: func([]T).
func (r *RDD) ForeachPartition(f any) {
	fn := r.checkFunc("ForeachPartition", f, 1, 0)
	in := fn.Type.In(0)
	if in.Kind() != reflect.Slice {
		panic(usagef("ForeachPartition", r.site(), "the func %v must take a slice of the elements, like func([]string)", fn.Type))
	}
	if r.typ.Elem != nil && !r.typ.Elem.AssignableTo(in.Elem()) {
		panic(usagef("ForeachPartition", r.site(), "the func %v takes %v but this RDD holds %v", fn.Type, in, r.typ.Elem))
	}
	call := func(_ int, xs []any) []any {
		s := reflect.MakeSlice(in, len(xs), len(xs))
		for i, x := range xs {
			s.Index(i).Set(fn.in0elem(in.Elem(), x))
		}
		fn.call(s)
		return nil
	}
	r.runJob(foreachPartitionOp{fn, call}, allPartitions(r), func(int, any) {})
}

func (o reduced) String() string { return fmt.Sprint(o.v) }
