package rdd

import (
	"math/rand/v2"
	"slices"
)

// sortedOp reads its range-partitioned shuffle input and sorts it by key.
type sortedOp struct {
	dep       *ShuffleDependency
	ascending bool
}

func (o *sortedOp) Compute(tc *TaskContext, r *RDD, split int) Iterator {
	xs := Drain(tc.ShuffleRead(o.dep, split))
	slices.SortStableFunc(xs, func(a, b any) int {
		c := Compare(asPair(a).Key, asPair(b).Key)
		if !o.ascending {
			return -c
		}
		return c
	})
	return SliceIterator(xs)
}

// SortByKey sorts a pair RDD by key, ascending unless ascending is false:
// partition i holds keys ordered before those of partition i+1, each
// partition sorted. Like Spark's, it runs a job right away to sample the keys
// and choose the partition bounds. Keys are ordered by Compare.
func (r *RDD) SortByKey(ascending ...bool) *RDD {
	r.requirePairs("SortByKey")
	asc := len(ascending) == 0 || ascending[0]
	c := r.sortByKey("SortByKey", asc, r.numParts)
	c.typ.Value = r.typ.Value
	return c
}

func (r *RDD) sortByKey(op string, asc bool, n int) *RDD {
	p := &RangePartitioner{Bounds: r.rangeBounds(max(n, 1)), Ascending: asc}
	dep := NewShuffleDependency(r, p, nil, false)
	c := New(r.ctx, Spec{Kind: "ShuffledRDD", OpName: op, NumPartitions: p.NumPartitions(),
		Op: &sortedOp{dep: dep, ascending: asc}, Deps: []Dependency{dep}, Partitioner: p, Elem: pairType})
	c.typ.Key = r.typ.Key
	return c
}

// sampleOp for bounds: a reservoir sample of the keys of a partition.
type keySampleOp struct{ size int }

func (o keySampleOp) Run(tc *TaskContext, it Iterator) any {
	rng := rand.New(rand.NewPCG(uint64(tc.PartitionID), 7))
	var sample []any
	n := 0
	for x, ok := it(); ok; x, ok = it() {
		k := asPair(x).Key
		n++
		if len(sample) < o.size {
			sample = append(sample, k)
		} else if j := rng.IntN(n); j < o.size {
			sample[j] = k
		}
	}
	return sample
}

// rangeBounds samples the keys of r and returns up to n-1 ascending bounds
// that split them into n ranges of about equal size.
func (r *RDD) rangeBounds(n int) []any {
	if n <= 1 || r.numParts == 0 {
		return nil
	}
	perPart := max(20*n*3/r.numParts, 60)
	var keys []any
	r.runJob(keySampleOp{perPart}, allPartitions(r), func(_ int, v any) {
		keys = append(keys, v.([]any)...)
	})
	if len(keys) == 0 {
		return nil
	}
	slices.SortFunc(keys, Compare)
	var bounds []any
	for i := 1; i < n; i++ {
		// A bound is the last key of its chunk: partitions hold keys up to
		// and including their bound, as in Spark's determineBounds.
		b := keys[max(i*len(keys)/n-1, 0)]
		if len(bounds) == 0 || Compare(bounds[len(bounds)-1], b) < 0 {
			bounds = append(bounds, b)
		}
	}
	return bounds
}

// SortBy sorts the elements by the key f returns for each, ascending unless
// ascending is false.
func (r *RDD) SortBy(f any, ascending ...bool) *RDD {
	fn := r.checkFunc("SortBy", f, 1, 1)
	fn.checkArg(r, 0, r.typ.Elem, "this RDD holds")
	call := fn.fn1()
	keyed := r.derive("MapPartitionsRDD", "SortBy", &mapOp{fn, func(x any) any { return Pair{call(x), x} }, false}, pairType)
	keyed.typ.Key = known(fn.Type.Out(0))
	asc := len(ascending) == 0 || ascending[0]
	return keyed.sortByKey("SortBy", asc, r.numParts).values("SortBy", r.typ.Elem)
}

func allPartitions(r *RDD) []int {
	ps := make([]int, r.numParts)
	for i := range ps {
		ps[i] = i
	}
	return ps
}

// NewRangePartitioner returns a RangePartitioner of about n partitions for
// the keys of pair RDD r, sampling them with a job as Spark's does.
func NewRangePartitioner(n int, r *RDD, ascending ...bool) *RangePartitioner {
	r.requirePairs("RangePartitioner")
	if n < 1 {
		panic(usagef("RangePartitioner", r.site(), "needs at least 1 partition, got %d", n))
	}
	return &RangePartitioner{Bounds: r.rangeBounds(n), Ascending: len(ascending) == 0 || ascending[0]}
}
