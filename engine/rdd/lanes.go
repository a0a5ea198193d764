package rdd

import (
	"reflect"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/cespare/xxhash/v2"
)

// Typed lanes let a chain of narrow operators pass plain strings, or
// (string, int) pairs, without boxing each element into an interface —
// the shape of a word count: TextFile → FlatMap(func(string) []string) →
// MapPairs(func(string) (string, int)) → ReduceByKey(func(int, int) int).
// An Op offers a lane when it and its parent can produce one; the map side
// of a shuffle reads the lane straight into a typed Combiner. Every other
// path — and any persisted RDD, whose blocks are cached boxed — uses the
// ordinary Iterator, so lanes change speed, never results.

// stringLaner is implemented by Ops that can produce their partition as
// plain strings.
type stringLaner interface {
	stringLane(tc *TaskContext, r *RDD, split int) (func() (string, bool), bool)
}

// pairSILaner is implemented by Ops that can produce their partition as
// (string, int) pairs.
type pairSILaner interface {
	pairSILane(tc *TaskContext, r *RDD, split int) (func() (string, int, bool), bool)
}

// stringsOf returns r's partition as a string lane, if r can make one.
func stringsOf(tc *TaskContext, r *RDD, split int) (func() (string, bool), bool) {
	if r.StorageLevel().IsValid() {
		return nil, false
	}
	if l, ok := r.op.(stringLaner); ok {
		return l.stringLane(tc, r, split)
	}
	return nil, false
}

// pairsSIOf returns r's partition as a (string, int) lane, if r can make one.
func pairsSIOf(tc *TaskContext, r *RDD, split int) (func() (string, int, bool), bool) {
	if r.StorageLevel().IsValid() {
		return nil, false
	}
	if l, ok := r.op.(pairSILaner); ok {
		return l.pairSILane(tc, r, split)
	}
	return nil, false
}

// stringLane: the lines of a text split.
func (o *textOp) stringLane(tc *TaskContext, r *RDD, split int) (func() (string, bool), bool) {
	it := o.Compute(tc, r, split)
	return func() (string, bool) {
		x, ok := it()
		if !ok {
			return "", false
		}
		return x.(string), true
	}, true
}

// stringLane: FlatMap of a func(string) []string over a string lane.
func (o *flatMapOp) stringLane(tc *TaskContext, r *RDD, split int) (func() (string, bool), bool) {
	g, ok := o.f.value.Interface().(func(string) []string)
	if !ok {
		return nil, false
	}
	in, ok := stringsOf(tc, r.deps[0].RDD(), split)
	if !ok {
		return nil, false
	}
	if o.f.value.Pointer() == reflect.ValueOf(strings.Fields).Pointer() {
		return fieldsLane(in), true
	}
	f := o.f
	var buf []string
	i := 0
	call := func(s string) []string {
		defer guard(f)
		return g(s)
	}
	return func() (string, bool) {
		for i >= len(buf) {
			s, ok := in()
			if !ok {
				return "", false
			}
			buf, i = call(s), 0
		}
		i++
		return buf[i-1], true
	}, true
}

// fieldsLane is FlatMap(strings.Fields) over a string lane without the
// slice strings.Fields allocates for every line: it yields the same fields
// (runs of non-space as unicode.IsSpace defines it) straight from the line.
func fieldsLane(in func() (string, bool)) func() (string, bool) {
	var line string
	pos := 0
	return func() (string, bool) {
		for {
			for pos < len(line) {
				r, n := rune(line[pos]), 1
				if r >= utf8.RuneSelf {
					r, n = utf8.DecodeRuneInString(line[pos:])
				}
				if !unicode.IsSpace(r) {
					break
				}
				pos += n
			}
			if pos < len(line) {
				start := pos
				for pos < len(line) {
					r, n := rune(line[pos]), 1
					if r >= utf8.RuneSelf {
						r, n = utf8.DecodeRuneInString(line[pos:])
					}
					if unicode.IsSpace(r) {
						break
					}
					pos += n
				}
				return line[start:pos], true
			}
			next, ok := in()
			if !ok {
				return "", false
			}
			line, pos = next, 0
		}
	}
}

// stringLane: Filter of a func(string) bool over a string lane.
func (o *filterOp) stringLane(tc *TaskContext, r *RDD, split int) (func() (string, bool), bool) {
	g, ok := o.f.value.Interface().(func(string) bool)
	if !ok {
		return nil, false
	}
	in, ok := stringsOf(tc, r.deps[0].RDD(), split)
	if !ok {
		return nil, false
	}
	f := o.f
	keep := func(s string) bool {
		defer guard(f)
		return g(s)
	}
	return func() (string, bool) {
		for s, ok := in(); ok; s, ok = in() {
			if keep(s) {
				return s, true
			}
		}
		return "", false
	}, true
}

// stringLane: Map of a func(string) string over a string lane.
func (o *mapOp) stringLane(tc *TaskContext, r *RDD, split int) (func() (string, bool), bool) {
	if !o.direct {
		return nil, false
	}
	g, ok := o.f.value.Interface().(func(string) string)
	if !ok {
		return nil, false
	}
	in, ok := stringsOf(tc, r.deps[0].RDD(), split)
	if !ok {
		return nil, false
	}
	f := o.f
	return func() (string, bool) {
		s, ok := in()
		if !ok {
			return "", false
		}
		defer guard(f)
		return g(s), true
	}, true
}

// pairSILane: MapPairs (or Map) of a func(string) (string, int) over a
// string lane.
func (o *mapOp) pairSILane(tc *TaskContext, r *RDD, split int) (func() (string, int, bool), bool) {
	if !o.direct {
		return nil, false
	}
	g, ok := o.f.value.Interface().(func(string) (string, int))
	if !ok {
		return nil, false
	}
	in, ok := stringsOf(tc, r.deps[0].RDD(), split)
	if !ok {
		return nil, false
	}
	f := o.f
	return func() (string, int, bool) {
		s, ok := in()
		if !ok {
			return "", 0, false
		}
		defer guard(f)
		k, v := g(s)
		return k, v, true
	}, true
}

// CombineByPartition runs the map side of a combining shuffle: it reads
// partition split of r and folds its (key, value) Pairs into one Combiner
// per reduce partition of p (nil where a partition got nothing). It takes
// a typed lane when r offers one and the aggregator is a typed reduce.
func (a *Aggregator) CombineByPartition(tc *TaskContext, r *RDD, split int, p Partitioner) []Combiner {
	out := make([]Combiner, p.NumPartitions())
	if a.typed != nil {
		if lane, ok := pairsSIOf(tc, r, split); ok {
			if _, ok := a.NewCombiner().(*typedCombiner[string, int]); ok {
				hp, _ := p.(*HashPartitioner)
				typed := make([]*typedCombiner[string, int], len(out))
				for k, v, ok := lane(); ok; k, v, ok = lane() {
					tc.Poll()
					i := 0
					if hp != nil {
						i = int(xxhash.Sum64String(k) % uint64(hp.N)) // as Hash does for strings
					} else {
						i = p.Partition(k)
					}
					t := typed[i]
					if t == nil {
						t = a.NewCombiner().(*typedCombiner[string, int])
						typed[i] = t
					}
					t.addKV(k, v)
				}
				for i, t := range typed {
					if t != nil && t.Len() > 0 {
						out[i] = t
					}
				}
				return out
			}
		}
	}
	it := tc.Iterator(r, split)
	for x, ok := it(); ok; x, ok = it() {
		q := asPair(x)
		i := p.Partition(q.Key)
		if out[i] == nil {
			out[i] = a.NewCombiner()
		}
		out[i].AddValue(q.Key, q.Value)
	}
	return out
}
