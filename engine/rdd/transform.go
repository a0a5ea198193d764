package rdd

import (
	"math"
	"math/rand/v2"
	"reflect"
)

// known returns t, or nil when t is an interface type (which says nothing
// about the elements).
func known(t reflect.Type) reflect.Type {
	if t == nil || t.Kind() == reflect.Interface {
		return nil
	}
	return t
}

func (r *RDD) parent(tc *TaskContext, split int) Iterator {
	return tc.Iterator(r.deps[0].RDD(), split)
}

// mapOp applies fn to each element. direct is set when fn is the user's
// func itself (Map, MapPairs), not a wrapper around it (KeyBy, SortBy), so
// typed lanes may call the user's func in its place.
type mapOp struct {
	f      *Func
	fn     func(any) any
	direct bool
}

func (o *mapOp) Compute(tc *TaskContext, r *RDD, split int) Iterator {
	in, f, fn := r.parent(tc, split), o.f, o.fn
	return func() (x any, ok bool) {
		defer guard(f)
		if x, ok = in(); ok {
			x = fn(x)
		}
		return
	}
}

// Map returns the RDD of f applied to each element. f is a func of one
// argument; a func with two results makes Pairs.
func (r *RDD) Map(f any) *RDD {
	fn := r.checkFunc("Map", f, 1, 1, 2)
	fn.checkArg(r, 0, r.typ.Elem, "this RDD holds")
	if fn.Type.NumOut() == 2 {
		return r.pairsOf("Map", fn)
	}
	return r.derive("MapPartitionsRDD", "Map", &mapOp{fn, fn.fn1(), true}, known(fn.Type.Out(0)))
}

// MapPairs returns the RDD of Pairs made by f, a func of one argument and
// two results: the key and the value.
func (r *RDD) MapPairs(f any) *RDD {
	fn := r.checkFunc("MapPairs", f, 1, 2)
	fn.checkArg(r, 0, r.typ.Elem, "this RDD holds")
	return r.pairsOf("MapPairs", fn)
}

func (r *RDD) pairsOf(opName string, fn *Func) *RDD {
	c := r.derive("MapPartitionsRDD", opName, &mapOp{fn, fn.fn1Pair(), true}, pairType)
	c.typ.Key, c.typ.Value = known(fn.Type.Out(0)), known(fn.Type.Out(1))
	return c
}

// KeyBy returns Pairs of f(x) and x.
func (r *RDD) KeyBy(f any) *RDD {
	fn := r.checkFunc("KeyBy", f, 1, 1)
	fn.checkArg(r, 0, r.typ.Elem, "this RDD holds")
	call := fn.fn1()
	c := r.derive("MapPartitionsRDD", "KeyBy", &mapOp{fn, func(x any) any { return Pair{call(x), x} }, false}, pairType)
	c.typ.Key, c.typ.Value = known(fn.Type.Out(0)), r.typ.Elem
	return c
}

type flatMapOp struct {
	f  *Func
	fn func(any, func(any))
}

func (o *flatMapOp) Compute(tc *TaskContext, r *RDD, split int) Iterator {
	in, f, fn := r.parent(tc, split), o.f, o.fn
	var buf []any
	i := 0
	emit := func(x any) { buf = append(buf, x) }
	return func() (x any, ok bool) {
		defer guard(f)
		for i >= len(buf) {
			clear(buf)
			buf, i = buf[:0], 0
			x, ok := in()
			if !ok {
				return nil, false
			}
			fn(x, emit)
		}
		i++
		return buf[i-1], true
	}
}

// FlatMap returns the elements of the slices f returns for each element.
func (r *RDD) FlatMap(f any) *RDD {
	fn := r.checkFunc("FlatMap", f, 1, 1)
	fn.checkArg(r, 0, r.typ.Elem, "this RDD holds")
	out := fn.Type.Out(0)
	if out.Kind() != reflect.Slice {
		panic(usagef("FlatMap", r.site(), "the func %v must return a slice (the elements to emit), not %v", fn.Type, out))
	}
	return r.derive("MapPartitionsRDD", "FlatMap", &flatMapOp{fn, fn.fnSlice()}, known(out.Elem()))
}

type filterOp struct {
	f  *Func
	fn func(any) bool
}

func (o *filterOp) Compute(tc *TaskContext, r *RDD, split int) Iterator {
	in, f, fn := r.parent(tc, split), o.f, o.fn
	return func() (x any, ok bool) {
		defer guard(f)
		for x, ok = in(); ok; x, ok = in() {
			if fn(x) {
				return x, true
			}
		}
		return nil, false
	}
}

// Filter returns the elements for which f returns true.
func (r *RDD) Filter(f any) *RDD {
	fn := r.checkFunc("Filter", f, 1, 1)
	fn.checkArg(r, 0, r.typ.Elem, "this RDD holds")
	if fn.Type.Out(0).Kind() != reflect.Bool {
		panic(usagef("Filter", r.site(), "the func %v must return bool", fn.Type))
	}
	c := r.derive("MapPartitionsRDD", "Filter", &filterOp{fn, fn.fnBool()}, r.typ.Elem)
	c.typ.Key, c.typ.Value, c.partitioner = r.typ.Key, r.typ.Value, r.partitioner
	return c
}

type partitionsOp struct {
	f  *Func
	fn func(int, []any) []any
}

func (o *partitionsOp) Compute(tc *TaskContext, r *RDD, split int) Iterator {
	xs := Drain(r.parent(tc, split))
	out := func() []any {
		defer guard(o.f)
		return o.fn(split, xs)
	}()
	return SliceIterator(out)
}

// MapPartitions calls f once per partition with all its elements, as a
// slice of f's argument type, and returns the elements of the slices f
// returns: func([]T) []U. Calling an interpreted func once per partition
// instead of once per element is the fast way to run prompt-typed code.
func (r *RDD) MapPartitions(f any) *RDD { return r.mapPartitions("MapPartitions", f, false) }

// MapPartitionsWithIndex is MapPartitions with the partition index as first
// argument: func(int, []T) []U.
func (r *RDD) MapPartitionsWithIndex(f any) *RDD {
	return r.mapPartitions("MapPartitionsWithIndex", f, true)
}

func (r *RDD) mapPartitions(op string, f any, withIndex bool) *RDD {
	nIn := 1
	if withIndex {
		nIn = 2
	}
	fn := r.checkFunc(op, f, nIn, 1)
	if withIndex && fn.Type.In(0).Kind() != reflect.Int {
		panic(usagef(op, r.site(), "the func %v must take the partition index (int) first", fn.Type))
	}
	in, out := fn.Type.In(nIn-1), fn.Type.Out(0)
	if in.Kind() != reflect.Slice || out.Kind() != reflect.Slice {
		panic(usagef(op, r.site(), "the func %v must take and return slices, like func([]int) []int", fn.Type))
	}
	if r.typ.Elem != nil && !r.typ.Elem.AssignableTo(in.Elem()) {
		panic(usagef(op, r.site(), "the func %v takes %v but this RDD holds %v", fn.Type, in, r.typ.Elem))
	}
	return r.derive("MapPartitionsRDD", op, &partitionsOp{fn, fn.fnPartition(withIndex)}, known(out.Elem()))
}

type glomOp struct{}

func (glomOp) Compute(tc *TaskContext, r *RDD, split int) Iterator {
	xs := Drain(r.parent(tc, split))
	if xs == nil {
		xs = []any{}
	}
	return SliceIterator([]any{xs})
}

// Glom returns one element per partition: a []any of its elements.
func (r *RDD) Glom() *RDD {
	return r.derive("MapPartitionsRDD", "Glom", glomOp{}, reflect.TypeFor[[]any]())
}

type sampleOp struct {
	withReplacement bool
	fraction        float64
	seed            uint64
}

func (o *sampleOp) Compute(tc *TaskContext, r *RDD, split int) Iterator {
	in := r.parent(tc, split)
	rng := rand.New(rand.NewPCG(o.seed, uint64(split)))
	if !o.withReplacement {
		return func() (any, bool) {
			for x, ok := in(); ok; x, ok = in() {
				if rng.Float64() < o.fraction {
					return x, true
				}
			}
			return nil, false
		}
	}
	var cur any
	left := 0
	return func() (any, bool) {
		for left == 0 {
			x, ok := in()
			if !ok {
				return nil, false
			}
			cur, left = x, poisson(rng, o.fraction)
		}
		left--
		return cur, true
	}
}

// poisson draws from a Poisson distribution of mean lambda (Knuth).
func poisson(rng *rand.Rand, lambda float64) int {
	l, k, p := math.Exp(-lambda), 0, 1.0
	for {
		p *= rng.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

// Sample returns a random sample: each element is kept with probability
// fraction, or, with replacement, appears a Poisson(fraction) number of
// times. The optional seed makes the sample repeatable.
func (r *RDD) Sample(withReplacement bool, fraction float64, seed ...int64) *RDD {
	if fraction < 0 || (!withReplacement && fraction > 1) {
		panic(usagef("Sample", r.site(), "fraction must be in [0, 1] without replacement and >= 0 with it, got %g", fraction))
	}
	s := rand.Uint64()
	if len(seed) > 0 {
		s = uint64(seed[0])
	}
	c := r.derive("PartitionwiseSampledRDD", "Sample", &sampleOp{withReplacement, fraction, s}, r.typ.Elem)
	c.typ = r.typ
	return c
}

type unionOp struct{}

func (unionOp) Compute(tc *TaskContext, r *RDD, split int) Iterator {
	for _, d := range r.deps {
		d := d.(*RangeDependency)
		if split >= d.OutStart && split < d.OutStart+d.Length {
			return tc.Iterator(d.Parent, split-d.OutStart+d.InStart)
		}
	}
	return Empty
}

// Union returns the elements of r and of others, keeping duplicates; its
// partitions are those of r followed by those of each other RDD.
func (r *RDD) Union(others ...*RDD) *RDD {
	all := append([]*RDD{r}, others...)
	var deps []Dependency
	n := 0
	elem := r.typ.Elem
	for _, o := range all {
		if o == nil {
			panic(usagef("Union", r.site(), "an RDD to union is nil"))
		}
		if o.ctx != r.ctx {
			panic(usagef("Union", r.site(), "RDD %d belongs to another context", o.id))
		}
		deps = append(deps, &RangeDependency{Parent: o, InStart: 0, OutStart: n, Length: o.numParts})
		n += o.numParts
		if o.typ.Elem != elem {
			elem = nil
		}
	}
	return New(r.ctx, Spec{Kind: "UnionRDD", OpName: "Union", NumPartitions: n, Op: unionOp{}, Deps: deps, Elem: elem})
}

type coalesceOp struct{}

func (coalesceOp) Compute(tc *TaskContext, r *RDD, split int) Iterator {
	d := r.deps[0].(*NarrowDependency)
	parents := d.Parents[split]
	var cur Iterator = Empty
	return func() (any, bool) {
		for {
			if x, ok := cur(); ok {
				return x, true
			}
			if len(parents) == 0 {
				return nil, false
			}
			cur, parents = tc.Iterator(d.Parent, parents[0]), parents[1:]
		}
	}
}

// Coalesce reduces the RDD to n partitions. Without shuffle it merges
// neighbouring partitions, which is cheap but cannot add partitions; with
// shuffle it redistributes the elements evenly (Repartition).
func (r *RDD) Coalesce(n int, shuffle ...bool) *RDD {
	if n < 1 {
		panic(usagef("Coalesce", r.site(), "needs at least 1 partition, got %d", n))
	}
	if len(shuffle) > 0 && shuffle[0] {
		return r.repartition("Coalesce", n)
	}
	n = min(n, max(r.numParts, 1))
	groups := make([][]int, n)
	for p := 0; p < r.numParts; p++ {
		groups[p*n/r.numParts] = append(groups[p*n/r.numParts], p)
	}
	c := New(r.ctx, Spec{Kind: "CoalescedRDD", OpName: "Coalesce", NumPartitions: n, Op: coalesceOp{},
		Deps: []Dependency{&NarrowDependency{Parent: r, Parents: groups}}, Elem: r.typ.Elem})
	c.typ = r.typ
	return c
}

// Repartition redistributes the elements evenly over n partitions, through
// a shuffle.
func (r *RDD) Repartition(n int) *RDD { return r.repartition("Repartition", n) }

type roundRobinOp struct{ n int }

func (o roundRobinOp) Compute(tc *TaskContext, r *RDD, split int) Iterator {
	in := r.parent(tc, split)
	pos := rand.New(rand.NewPCG(uint64(split), 42)).IntN(o.n)
	return func() (any, bool) {
		x, ok := in()
		if !ok {
			return nil, false
		}
		pos = (pos + 1) % o.n
		return Pair{pos, x}, true
	}
}

func (r *RDD) repartition(op string, n int) *RDD {
	if n < 1 {
		panic(usagef(op, r.site(), "needs at least 1 partition, got %d", n))
	}
	keyed := r.derive("MapPartitionsRDD", op, roundRobinOp{n}, pairType)
	shuffled := keyed.shuffle(op, &IndexPartitioner{N: n}, nil, false)
	return shuffled.values(op, r.typ.Elem)
}

// IndexPartitioner places a key that is a partition index (an int in
// [0, N)) in that partition. Repartition and the SQL planner use it.
type IndexPartitioner struct{ N int }

// NumPartitions implements Partitioner.
func (p *IndexPartitioner) NumPartitions() int { return p.N }

// Partition implements Partitioner.
func (p *IndexPartitioner) Partition(key any) int { return key.(int) }

func (p *IndexPartitioner) String() string { return "IndexPartitioner" }

type cartesianOp struct{ n2 int }

func (o cartesianOp) Compute(tc *TaskContext, r *RDD, split int) Iterator {
	a, b := r.deps[0].RDD(), r.deps[1].RDD()
	left := tc.Iterator(a, split/o.n2)
	right := Drain(tc.Iterator(b, split%o.n2))
	var cur any
	j := len(right)
	return func() (any, bool) {
		for j >= len(right) {
			x, ok := left()
			if !ok || len(right) == 0 {
				return nil, false
			}
			cur, j = x, 0
		}
		j++
		return Pair{cur, right[j-1]}, true
	}
}

// Cartesian returns every Pair of an element of r and an element of other.
func (r *RDD) Cartesian(other *RDD) *RDD {
	n1, n2 := r.numParts, other.numParts
	p1, p2 := make([][]int, n1*n2), make([][]int, n1*n2)
	for i := 0; i < n1*n2; i++ {
		p1[i], p2[i] = []int{i / n2}, []int{i % n2}
	}
	c := New(r.ctx, Spec{Kind: "CartesianRDD", OpName: "Cartesian", NumPartitions: n1 * n2, Op: cartesianOp{n2},
		Deps: []Dependency{&NarrowDependency{Parent: r, Parents: p1}, &NarrowDependency{Parent: other, Parents: p2}},
		Elem: pairType})
	c.typ.Key, c.typ.Value = r.typ.Elem, other.typ.Elem
	return c
}

type zipIndexOp struct{ starts []int }

func (o zipIndexOp) Compute(tc *TaskContext, r *RDD, split int) Iterator {
	in, i := r.parent(tc, split), o.starts[split]
	return func() (any, bool) {
		x, ok := in()
		if !ok {
			return nil, false
		}
		i++
		return Pair{x, i - 1}, true
	}
}

// ZipWithIndex pairs each element with its index in the RDD's order: Pairs
// of the element and an int. Like Spark's, it runs a job right away to count
// the elements of every partition but the last.
func (r *RDD) ZipWithIndex() *RDD {
	starts := make([]int, r.numParts)
	if r.numParts > 1 {
		counts := make([]int, r.numParts)
		parts := make([]int, r.numParts-1)
		for i := range parts {
			parts[i] = i
		}
		r.runJob(countOp{}, parts, func(p int, v any) { counts[p] = int(v.(int64)) })
		for i := 1; i < r.numParts; i++ {
			starts[i] = starts[i-1] + counts[i-1]
		}
	}
	c := r.derive("ZippedWithIndexRDD", "ZipWithIndex", zipIndexOp{starts}, pairType)
	c.typ.Key, c.typ.Value = r.typ.Elem, reflect.TypeFor[int]()
	return c
}
