package rdd

import "reflect"

// cogroupOp reads every parent's part of a partition — through a shuffle,
// or directly when the parent is already partitioned alike — and groups the
// values of each key per parent.
type cogroupOp struct{}

func (cogroupOp) Compute(tc *TaskContext, r *RDD, split int) Iterator {
	n := len(r.deps)
	c := &anyCombiner{index: map[any]int{}}
	func() {
		for i, d := range r.deps {
			var in Iterator
			if sd, ok := d.(*ShuffleDependency); ok {
				in = tc.ShuffleRead(sd, split)
			} else {
				in = tc.Iterator(d.RDD(), split)
			}
			for x, ok := in(); ok; x, ok = in() {
				p := asPair(x)
				j, seen := c.slot(p.Key)
				if !seen {
					c.vals[j] = make([][]any, n)
				}
				g := c.vals[j].([][]any)
				g[i] = append(g[i], p.Value)
			}
		}
	}()
	return Pairs(c)
}

// Cogroup groups r and others by key: each key appears once, with a [][]any
// value holding, for r and then each other RDD, the values it has for that
// key (an empty slice when it has none).
func (r *RDD) Cogroup(others ...*RDD) *RDD {
	return r.cogroup("Cogroup", others, nil)
}

func (r *RDD) cogroup(op string, others []*RDD, numPartitions []int) *RDD {
	all := append([]*RDD{r}, others...)
	for _, o := range all {
		if o == nil {
			panic(usagef(op, r.site(), "an RDD to join is nil"))
		}
		o.requirePairs(op)
	}
	var p Partitioner
	if len(numPartitions) == 0 {
		// Reuse a parent's partitioning when it is at least as wide as the
		// widest parent, as Spark's defaultPartitioner does.
		widest := 0
		for _, o := range all {
			widest = max(widest, o.numParts)
		}
		for _, o := range all {
			if o.partitioner != nil && o.partitioner.NumPartitions() >= widest {
				p = o.partitioner
				break
			}
		}
	}
	if p == nil {
		p = NewHashPartitioner(partitionsFor(op, numPartitions, all...))
	}
	var deps []Dependency
	for _, o := range all {
		if samePartitioning(o.partitioner, p) {
			deps = append(deps, &OneToOneDependency{Parent: o})
		} else {
			deps = append(deps, NewShuffleDependency(o, p, nil, false))
		}
	}
	c := New(r.ctx, Spec{Kind: "CoGroupedRDD", OpName: op, NumPartitions: p.NumPartitions(),
		Op: cogroupOp{}, Deps: deps, Partitioner: p, Elem: pairType})
	c.typ.Key = r.typ.Key
	c.typ.Value = reflect.TypeFor[[][]any]()
	return c
}

// join emits the combinations of the two groups of each key; a missing side
// of an outer join is nil.
func (r *RDD) join(op string, other *RDD, keepLeft, keepRight bool, numPartitions []int) *RDD {
	cg := r.cogroup(op, []*RDD{other}, numPartitions)
	c := cg.pairMap(op, nil, func(p Pair, out func(any)) {
		g := p.Value.([][]any)
		vs, ws := g[0], g[1]
		if len(vs) == 0 && keepRight {
			vs = []any{nil}
		}
		if len(ws) == 0 && keepLeft {
			ws = []any{nil}
		}
		for _, v := range vs {
			for _, w := range ws {
				out(Pair{p.Key, Pair{v, w}})
			}
		}
	}, pairType, true)
	c.typ.Value = pairType
	return c
}

// Join returns, for each key in both r and other, a Pair of the key and
// Pair{v, w} for every value v of r and w of other (Spark's (k, (v, w))).
func (r *RDD) Join(other *RDD, numPartitions ...int) *RDD {
	return r.join("Join", other, false, false, numPartitions)
}

// LeftOuterJoin is Join keeping r's keys missing from other, with a nil w.
func (r *RDD) LeftOuterJoin(other *RDD, numPartitions ...int) *RDD {
	return r.join("LeftOuterJoin", other, true, false, numPartitions)
}

// RightOuterJoin is Join keeping other's keys missing from r, with a nil v.
func (r *RDD) RightOuterJoin(other *RDD, numPartitions ...int) *RDD {
	return r.join("RightOuterJoin", other, false, true, numPartitions)
}

// FullOuterJoin is Join keeping the keys of both sides, with nil for the
// missing side.
func (r *RDD) FullOuterJoin(other *RDD, numPartitions ...int) *RDD {
	return r.join("FullOuterJoin", other, true, true, numPartitions)
}
