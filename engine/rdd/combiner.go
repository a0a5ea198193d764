package rdd

import (
	"reflect"
	"strings"
)

// Combiner gathers (key, value) pairs under an Aggregator, keeping keys in
// order of first appearance so that its output depends only on its input.
type Combiner interface {
	// AddValue folds a value into its key's combiner.
	AddValue(k, v any)
	// AddCombiner merges a combiner made elsewhere into its key's.
	AddCombiner(k, c any)
	// Len returns the number of keys.
	Len() int
	// Each calls f for every key and its combiner, in order of first
	// appearance.
	Each(f func(k, c any))
}

// NewCombiner returns an empty Combiner for the aggregator: a typed one
// (no boxing, a map keyed by the concrete key type) when the aggregator has
// a typed form, else a generic one.
func (a *Aggregator) NewCombiner() Combiner {
	if a.typed != nil {
		return a.typed(a)
	}
	return &anyCombiner{agg: a, index: map[any]int{}}
}

// Iterator returns the combiner's contents as an iterator of Pairs.
func Pairs(c Combiner) Iterator {
	out := make([]any, 0, c.Len())
	c.Each(func(k, v any) { out = append(out, Pair{k, v}) })
	return SliceIterator(out)
}

// anyCombiner is the generic Combiner: an insertion-ordered map from keys
// (any comparable value) to combiners.
type anyCombiner struct {
	agg   *Aggregator
	index map[any]int
	keys  []any
	vals  []any
}

func (c *anyCombiner) slot(k any) (int, bool) {
	defer unhashable()
	i, ok := c.index[k]
	if !ok {
		i = len(c.keys)
		c.index[k] = i
		c.keys = append(c.keys, k)
		c.vals = append(c.vals, nil)
	}
	return i, ok
}

func (c *anyCombiner) AddValue(k, v any) {
	if i, seen := c.slot(k); seen {
		c.vals[i] = c.agg.MergeValue(c.vals[i], v)
	} else {
		c.vals[i] = c.agg.CreateCombiner(v)
	}
}

func (c *anyCombiner) AddCombiner(k, v any) {
	if i, seen := c.slot(k); seen {
		c.vals[i] = c.agg.MergeCombiners(c.vals[i], v)
	} else {
		c.vals[i] = v
	}
}

func (c *anyCombiner) Len() int { return len(c.keys) }

func (c *anyCombiner) Each(f func(k, v any)) {
	for i, k := range c.keys {
		f(k, c.vals[i])
	}
}

// typedCombiner is a Combiner for the common reduce: keys of type K, values
// and combiners of type V, merged by a typed func, with the identity as
// createCombiner. Pairs of other types go to a generic fallback, whose keys
// come after the typed ones.
type typedCombiner[K comparable, V any] struct {
	index    map[K]int32
	keys     []K
	vals     []V
	merge    func(V, V) V
	f        *Func
	fallback *anyCombiner
}

func (c *typedCombiner[K, V]) add(k, v any) {
	kk, ok := k.(K)
	if !ok {
		c.fallback.AddCombiner(k, v) // createCombiner is the identity
		return
	}
	vv, ok := v.(V)
	if !ok {
		vv = arg[V](c.f, v) // a nil value is V's zero; any other type is an error
	}
	if i, ok := c.index[kk]; ok {
		c.vals[i] = c.call(c.vals[i], vv)
		return
	}
	c.index[kk] = int32(len(c.keys))
	c.keys = append(c.keys, kk)
	c.vals = append(c.vals, vv)
}

// addKV folds a typed pair in, for typed lanes.
func (c *typedCombiner[K, V]) addKV(kk K, vv V) {
	if i, ok := c.index[kk]; ok {
		c.vals[i] = c.call(c.vals[i], vv)
		return
	}
	if s, ok := any(kk).(string); ok {
		// The key is often a substring of a whole input line: copy it so
		// the map does not keep the line alive.
		kk = any(strings.Clone(s)).(K)
	}
	c.index[kk] = int32(len(c.keys))
	c.keys = append(c.keys, kk)
	c.vals = append(c.vals, vv)
}

func (c *typedCombiner[K, V]) call(a, b V) V {
	defer guard(c.f)
	return c.merge(a, b)
}

func (c *typedCombiner[K, V]) AddValue(k, v any)    { c.add(k, v) }
func (c *typedCombiner[K, V]) AddCombiner(k, v any) { c.add(k, v) }
func (c *typedCombiner[K, V]) Len() int             { return len(c.keys) + c.fallback.Len() }

func (c *typedCombiner[K, V]) Each(f func(k, v any)) {
	for i, k := range c.keys {
		f(k, c.vals[i])
	}
	c.fallback.Each(f)
}

func newTyped[K comparable, V any](merge func(V, V) V, f *Func) func(*Aggregator) Combiner {
	return func(a *Aggregator) Combiner {
		return &typedCombiner[K, V]{index: map[K]int32{}, merge: merge, f: f,
			fallback: &anyCombiner{agg: a, index: map[any]int{}}}
	}
}

// typedReduce returns the typed combiner factory for a reduce func of a
// common signature, keyed by int when the keys are known to be ints and by
// string otherwise (keys of another type take the generic fallback).
func typedReduce(f *Func, key reflect.Type) func(*Aggregator) Combiner {
	intKey := key == reflect.TypeFor[int]()
	switch g := f.value.Interface().(type) {
	case func(int, int) int:
		if intKey {
			return newTyped[int](g, f)
		}
		return newTyped[string](g, f)
	case func(int64, int64) int64:
		if intKey {
			return newTyped[int](g, f)
		}
		return newTyped[string](g, f)
	case func(float64, float64) float64:
		if intKey {
			return newTyped[int](g, f)
		}
		return newTyped[string](g, f)
	}
	return nil
}
