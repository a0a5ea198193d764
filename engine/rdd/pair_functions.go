package rdd

import (
	"fmt"
	"reflect"
	"runtime"
	"strings"

	"gospark/engine/codec"
)

// requirePairs panics unless r's elements may be Pairs.
func (r *RDD) requirePairs(op string) {
	if r.typ.Elem != nil && r.typ.Elem != pairType {
		panic(usagef(op, r.site(), "needs an RDD of Pairs, but this RDD holds %v; make pairs first with MapPairs(func(x %v) (K, V) {...})", r.typ.Elem, r.typ.Elem))
	}
}

// partitionsFor returns the partition count of a shuffle whose parents are
// rdds: the count given by the caller, else spark.default.parallelism when
// set, else the largest parent count, as Spark's defaultPartitioner does.
func partitionsFor(op string, given []int, rdds ...*RDD) int {
	if len(given) > 0 {
		if given[0] < 1 {
			panic(usagef(op, rdds[0].site(), "numPartitions must be at least 1, got %d", given[0]))
		}
		return given[0]
	}
	if n := rdds[0].ctx.DefaultParallelism(); configured(rdds[0].ctx) {
		return n
	}
	n := 1
	for _, r := range rdds {
		n = max(n, r.numParts)
	}
	return n
}

// ConfiguredParallelism is implemented by contexts that know whether
// spark.default.parallelism was set explicitly.
type ConfiguredParallelism interface {
	ParallelismConfigured() bool
}

func configured(ctx Context) bool {
	c, ok := ctx.(ConfiguredParallelism)
	return ok && c.ParallelismConfigured()
}

// shuffledOp reads its reduce partition and, with an aggregator, combines
// the values of equal keys.
type shuffledOp struct {
	dep *ShuffleDependency
}

func (o *shuffledOp) Compute(tc *TaskContext, r *RDD, split int) Iterator {
	in := tc.ShuffleRead(o.dep, split)
	agg := o.dep.Aggregator
	if agg == nil {
		return in
	}
	if o.dep.MapSideCombine {
		return agg.CombineCombiners(in)
	}
	return agg.CombineValues(in)
}

// shuffle makes the ShuffledRDD that redistributes r by p.
func (r *RDD) shuffle(op string, p Partitioner, agg *Aggregator, mapSideCombine bool) *RDD {
	dep := NewShuffleDependency(r, p, agg, mapSideCombine)
	c := New(r.ctx, Spec{Kind: "ShuffledRDD", OpName: op, NumPartitions: p.NumPartitions(),
		Op: &shuffledOp{dep: dep}, Deps: []Dependency{dep}, Partitioner: p, Elem: pairType})
	c.typ.Key = r.typ.Key
	return c
}

// unhashable turns Go's "hash of unhashable type" panic into a UsageError
// that says what to do.
func unhashable() {
	if r := recover(); r != nil {
		if e, ok := r.(runtime.Error); ok && strings.Contains(e.Error(), "unhashable") {
			panic(&UsageError{Op: "shuffle", Msg: fmt.Sprintf("%v: keys must be comparable (numbers, strings, structs of those), not slices or maps", e)})
		}
		panic(r)
	}
}

// CombineValues combines an iterator of (key, value) Pairs into (key,
// combiner) Pairs, in order of first appearance.
func (a *Aggregator) CombineValues(in Iterator) Iterator {
	c := a.NewCombiner()
	for x, ok := in(); ok; x, ok = in() {
		p := asPair(x)
		c.AddValue(p.Key, p.Value)
	}
	return Pairs(c)
}

// CombineCombiners merges an iterator of (key, combiner) Pairs.
func (a *Aggregator) CombineCombiners(in Iterator) Iterator {
	c := a.NewCombiner()
	for x, ok := in(); ok; x, ok = in() {
		p := asPair(x)
		c.AddCombiner(p.Key, p.Value)
	}
	return Pairs(c)
}

func asPair(x any) Pair {
	p, ok := x.(Pair)
	if !ok {
		panic(&UsageError{Op: "shuffle", Msg: fmt.Sprintf("a pair operation met an element of type %T (%v); its RDD must hold Pairs — make them with MapPairs", x, x)})
	}
	return p
}

// guarded wraps a user func of two arguments so that its panics name it.
func guarded2(f *Func, fn func(a, b any) any) func(a, b any) any {
	return func(a, b any) any {
		defer guard(f)
		return fn(a, b)
	}
}

func guarded1(f *Func, fn func(a any) any) func(a any) any {
	return func(a any) any {
		defer guard(f)
		return fn(a)
	}
}

// ReduceByKey merges the values of each key with f, a func(V, V) V, first
// within each map partition and then across them.
func (r *RDD) ReduceByKey(f any, numPartitions ...int) *RDD {
	r.requirePairs("ReduceByKey")
	fn := r.checkFunc("ReduceByKey", f, 2, 1)
	fn.checkArg(r, 0, r.typ.Value, "the values are")
	fn.checkArg(r, 1, r.typ.Value, "the values are")
	if fn.Type.In(0) != fn.Type.In(1) {
		panic(usagef("ReduceByKey", r.site(), "the func %v must take two values of the same type", fn.Type))
	}
	fn.checkResult(r, 0, fn.Type.In(0), "it must return its argument type")
	merge := guarded2(fn, fn.fn2())
	agg := &Aggregator{CreateCombiner: func(v any) any { return v }, MergeValue: merge, MergeCombiners: merge,
		typed: typedReduce(fn, r.typ.Key)}
	c := r.shuffle("ReduceByKey", NewHashPartitioner(partitionsFor("ReduceByKey", numPartitions, r)), agg, true)
	c.typ.Value = known(fn.Type.Out(0))
	return c
}

// GroupByKey gathers the values of each key into a []any. Prefer
// ReduceByKey or AggregateByKey when the values are to be combined: they
// combine before the shuffle.
func (r *RDD) GroupByKey(numPartitions ...int) *RDD {
	r.requirePairs("GroupByKey")
	agg := &Aggregator{
		CreateCombiner: func(v any) any { return []any{v} },
		MergeValue:     func(c, v any) any { return append(c.([]any), v) },
		MergeCombiners: func(a, b any) any { return append(a.([]any), b.([]any)...) },
	}
	c := r.shuffle("GroupByKey", NewHashPartitioner(partitionsFor("GroupByKey", numPartitions, r)), agg, false)
	c.typ.Value = reflect.TypeFor[[]any]()
	return c
}

// CombineByKey is the general per-key aggregation: createCombiner(V) C,
// mergeValue(C, V) C and mergeCombiners(C, C) C.
func (r *RDD) CombineByKey(createCombiner, mergeValue, mergeCombiners any, numPartitions ...int) *RDD {
	r.requirePairs("CombineByKey")
	cf := r.checkFunc("CombineByKey", createCombiner, 1, 1)
	cf.checkArg(r, 0, r.typ.Value, "the values are")
	mv := r.checkFunc("CombineByKey", mergeValue, 2, 1)
	mv.checkArg(r, 1, r.typ.Value, "the values are")
	mc := r.checkFunc("CombineByKey", mergeCombiners, 2, 1)
	agg := &Aggregator{
		CreateCombiner: guarded1(cf, cf.fn1()),
		MergeValue:     guarded2(mv, mv.fn2()),
		MergeCombiners: guarded2(mc, mc.fn2()),
	}
	c := r.shuffle("CombineByKey", NewHashPartitioner(partitionsFor("CombineByKey", numPartitions, r)), agg, true)
	c.typ.Value = known(cf.Type.Out(0))
	return c
}

// AggregateByKey aggregates the values of each key, starting from a copy of
// zero: seqOp(U, V) U folds a value in, combOp(U, U) U merges two partial
// results.
func (r *RDD) AggregateByKey(zero any, seqOp, combOp any, numPartitions ...int) *RDD {
	r.requirePairs("AggregateByKey")
	so := r.checkFunc("AggregateByKey", seqOp, 2, 1)
	so.checkArg(r, 0, reflect.TypeOf(zero), "the zero value is")
	so.checkArg(r, 1, r.typ.Value, "the values are")
	co := r.checkFunc("AggregateByKey", combOp, 2, 1)
	seq, comb := guarded2(so, so.fn2()), guarded2(co, co.fn2())
	agg := &Aggregator{
		CreateCombiner: func(v any) any { return seq(Clone(zero), v) },
		MergeValue:     seq,
		MergeCombiners: comb,
	}
	c := r.shuffle("AggregateByKey", NewHashPartitioner(partitionsFor("AggregateByKey", numPartitions, r)), agg, true)
	c.typ.Value = known(so.Type.Out(0))
	return c
}

// FoldByKey merges the values of each key with f, starting each key of each
// partition from a copy of zero.
func (r *RDD) FoldByKey(zero any, f any, numPartitions ...int) *RDD {
	r.requirePairs("FoldByKey")
	fn := r.checkFunc("FoldByKey", f, 2, 1)
	fn.checkArg(r, 0, reflect.TypeOf(zero), "the zero value is")
	fn.checkArg(r, 1, r.typ.Value, "the values are")
	merge := guarded2(fn, fn.fn2())
	agg := &Aggregator{
		CreateCombiner: func(v any) any { return merge(Clone(zero), v) },
		MergeValue:     merge,
		MergeCombiners: merge,
	}
	c := r.shuffle("FoldByKey", NewHashPartitioner(partitionsFor("FoldByKey", numPartitions, r)), agg, true)
	c.typ.Value = known(fn.Type.Out(0))
	return c
}

// Clone returns a deep copy of v (through the codec), or v itself when it
// holds no references: zero values of aggregations are cloned so that a
// mutable zero (a slice, a map) is never shared between keys.
func Clone(v any) any {
	if v == nil {
		return nil
	}
	switch reflect.TypeOf(v).Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64, reflect.String, reflect.Complex64, reflect.Complex128:
		return v
	}
	var b strings.Builder
	enc := codec.NewEncoder(&b)
	if err := enc.Encode(v); err != nil {
		panic(&UsageError{Op: "Clone", Msg: err.Error()})
	}
	enc.Flush()
	out, err := codec.NewDecoder(strings.NewReader(b.String())).Decode()
	if err != nil {
		panic(&UsageError{Op: "Clone", Msg: err.Error()})
	}
	return out
}

// PartitionBy redistributes a pair RDD with p. It returns r itself when r
// is already partitioned that way.
func (r *RDD) PartitionBy(p Partitioner) *RDD {
	r.requirePairs("PartitionBy")
	if p == nil {
		panic(usagef("PartitionBy", r.site(), "the partitioner is nil"))
	}
	if samePartitioning(r.partitioner, p) {
		return r
	}
	c := r.shuffle("PartitionBy", p, nil, false)
	c.typ.Value = r.typ.Value
	return c
}

type pairMapOp struct {
	f    *Func
	emit func(p Pair, out func(any))
}

func (o *pairMapOp) Compute(tc *TaskContext, r *RDD, split int) Iterator {
	in, f := r.parent(tc, split), o.f
	var buf []any
	i := 0
	push := func(x any) { buf = append(buf, x) }
	return func() (any, bool) {
		defer guard(f)
		for i >= len(buf) {
			clear(buf)
			buf, i = buf[:0], 0
			x, ok := in()
			if !ok {
				return nil, false
			}
			o.emit(asPair(x), push)
		}
		i++
		return buf[i-1], true
	}
}

// pairMap makes a child that maps each Pair to zero or more elements,
// keeping the partitioner when keepPartitioner is set (the keys are kept).
func (r *RDD) pairMap(op string, f *Func, emit func(Pair, func(any)), elem reflect.Type, keepPartitioner bool) *RDD {
	c := r.derive("MapPartitionsRDD", op, &pairMapOp{f, emit}, elem)
	if keepPartitioner {
		c.partitioner = r.partitioner
		c.typ.Key = r.typ.Key
	}
	return c
}

// MapValues applies f to each value, keeping the keys and the partitioning.
func (r *RDD) MapValues(f any) *RDD {
	r.requirePairs("MapValues")
	fn := r.checkFunc("MapValues", f, 1, 1)
	fn.checkArg(r, 0, r.typ.Value, "the values are")
	call := fn.fn1()
	c := r.pairMap("MapValues", fn, func(p Pair, out func(any)) { out(Pair{p.Key, call(p.Value)}) }, pairType, true)
	c.typ.Value = known(fn.Type.Out(0))
	return c
}

// FlatMapValues emits a Pair of the key and each element of the slice f
// returns for the value, keeping the partitioning.
func (r *RDD) FlatMapValues(f any) *RDD {
	r.requirePairs("FlatMapValues")
	fn := r.checkFunc("FlatMapValues", f, 1, 1)
	fn.checkArg(r, 0, r.typ.Value, "the values are")
	if fn.Type.Out(0).Kind() != reflect.Slice {
		panic(usagef("FlatMapValues", r.site(), "the func %v must return a slice", fn.Type))
	}
	call := fn.fnSlice()
	c := r.pairMap("FlatMapValues", fn, func(p Pair, out func(any)) {
		call(p.Value, func(v any) { out(Pair{p.Key, v}) })
	}, pairType, true)
	c.typ.Value = known(fn.Type.Out(0).Elem())
	return c
}

// Keys returns the key of each Pair.
func (r *RDD) Keys() *RDD {
	r.requirePairs("Keys")
	return r.pairMap("Keys", nil, func(p Pair, out func(any)) { out(p.Key) }, r.typ.Key, false)
}

// Values returns the value of each Pair.
func (r *RDD) Values() *RDD { return r.values("Values", r.typ.Value) }

func (r *RDD) values(op string, elem reflect.Type) *RDD {
	r.requirePairs(op)
	return r.pairMap(op, nil, func(p Pair, out func(any)) { out(p.Value) }, elem, false)
}

// Distinct returns the distinct elements, through a shuffle.
func (r *RDD) Distinct(numPartitions ...int) *RDD {
	keyed := r.derive("MapPartitionsRDD", "Distinct", &mapOp{nil, func(x any) any { return Pair{x, nil} }, false}, pairType)
	first := func(a, _ any) any { return a }
	agg := &Aggregator{CreateCombiner: func(v any) any { return v }, MergeValue: first, MergeCombiners: first}
	n := partitionsFor("Distinct", numPartitions, r)
	return keyed.shuffle("Distinct", NewHashPartitioner(n), agg, true).keysOf("Distinct", r.typ.Elem)
}

func (r *RDD) keysOf(op string, elem reflect.Type) *RDD {
	return r.pairMap(op, nil, func(p Pair, out func(any)) { out(p.Key) }, elem, false)
}
