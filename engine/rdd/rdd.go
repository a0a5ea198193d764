// Package rdd holds the lazy RDD graph and the RDD API.
//
// An RDD is a node of a lineage graph: a number of partitions, dependencies
// on parent RDDs, and an Op that computes one partition from the parents'.
// Transformations only add nodes; actions hand the graph to the driver's
// scheduler (through Context.RunJob), which cuts it into stages at shuffle
// dependencies and runs one task per partition on the executors.
//
// Elements are Go values held as any. User funcs are plain Go funcs — typed
// at the prompt or compiled — checked by reflection when the transformation
// is built (see Func). Transformations panic with a *UsageError when called
// the wrong way; actions panic with the job's error when the job fails. The
// shell and kernel turn both into a readable error for the cell.
package rdd

import (
	"fmt"
	"reflect"
	"strings"
	"sync"

	"gospark/engine/storage"
)

// Op computes partitions of an RDD. Implementations keep their arguments in
// plain fields (a func wrapped as *Func, a path, a count), so the graph can
// be described and, later, encoded for remote executors.
type Op interface {
	// Compute returns the elements of partition split. It reads parents
	// through tc.Iterator and shuffle input through tc.ShuffleRead.
	Compute(tc *TaskContext, r *RDD, split int) Iterator
}

// Locator is implemented by Ops that prefer some executors or hosts for a
// partition (none do in the local cluster yet; file splits will on HDFS).
type Locator interface {
	PreferredLocations(split int) []string
}

// types records what the RDD's elements are, when the funcs that built it
// say so: Elem for every element; Key and Value when the elements are Pairs.
// A nil type means unknown.
type types struct {
	Elem, Key, Value reflect.Type
}

var pairType = reflect.TypeFor[Pair]()

// RDD is a lazily computed, partitioned collection.
type RDD struct {
	id          int
	ctx         Context
	op          Op
	kind        string // Spark's class name, e.g. "MapPartitionsRDD"
	opName      string // the method that made it, e.g. "Map"
	callSite    string
	numParts    int
	deps        []Dependency
	partitioner Partitioner
	typ         types
	epoch       int64

	mu    sync.Mutex
	name  string
	level storage.StorageLevel
}

// Spec describes a new RDD for New.
type Spec struct {
	// Kind is the class-like name shown by ToDebugString, e.g. "ShuffledRDD".
	Kind string
	// OpName is the transformation that made the RDD, e.g. "ReduceByKey".
	OpName string
	// NumPartitions is the number of partitions.
	NumPartitions int
	// Op computes a partition.
	Op Op
	// Deps are the dependencies on parent RDDs.
	Deps []Dependency
	// Partitioner is the known partitioning of a pair RDD, or nil.
	Partitioner Partitioner
	// Elem is the element type when known, or nil.
	Elem reflect.Type
	// Name is an optional display name (a path, for file RDDs).
	Name string
}

// New adds an RDD to ctx's graph. Engine packages (the SQL planner, sources)
// use it to make RDDs of their own Ops; user code uses the transformations.
func New(ctx Context, s Spec) *RDD {
	if s.NumPartitions < 0 {
		panic(usagef(s.OpName, ctx.CallSite(), "negative partition count %d", s.NumPartitions))
	}
	r := &RDD{
		id:          ctx.NewRDDID(),
		ctx:         ctx,
		op:          s.Op,
		kind:        s.Kind,
		opName:      s.OpName,
		callSite:    ctx.CallSite(),
		numParts:    s.NumPartitions,
		deps:        s.Deps,
		partitioner: s.Partitioner,
		typ:         types{Elem: s.Elem},
		name:        s.Name,
	}
	if e, ok := ctx.(Epocher); ok {
		r.epoch = e.FuncEpoch()
	}
	for _, d := range s.Deps {
		r.epoch = min(r.epoch, d.RDD().epoch)
	}
	ctx.RegisterRDD(r)
	return r
}

// derive makes a child of r with a OneToOne dependency.
func (r *RDD) derive(kind, opName string, op Op, elem reflect.Type) *RDD {
	return New(r.ctx, Spec{Kind: kind, OpName: opName, NumPartitions: r.numParts, Op: op,
		Deps: []Dependency{&OneToOneDependency{Parent: r}}, Elem: elem})
}

// Epocher is implemented by contexts whose funcs can be invalidated: the
// shell's interpreter, once stopped by a hard interrupt, leaves closures
// made earlier unable to run. An RDD remembers the oldest epoch of its
// lineage, and the context refuses to run RDDs older than the current one.
type Epocher interface {
	FuncEpoch() int64
}

// Epoch returns the oldest func epoch of the RDD's lineage.
func (r *RDD) Epoch() int64 { return r.epoch }

// ID returns the RDD's id, unique within its context.
func (r *RDD) ID() int { return r.id }

// Context returns the driver context the RDD belongs to.
func (r *RDD) Context() Context { return r.ctx }

// Dependencies returns the RDD's dependencies on its parents.
func (r *RDD) Dependencies() []Dependency { return r.deps }

// Partitioner returns the known partitioning of a pair RDD, or nil.
func (r *RDD) Partitioner() Partitioner { return r.partitioner }

// NumPartitions returns the number of partitions.
func (r *RDD) NumPartitions() int { return r.numParts }

// GetNumPartitions returns the number of partitions (Spark's name).
func (r *RDD) GetNumPartitions() int { return r.numParts }

// ElemType returns the element type when the funcs that built the RDD
// declare it, or nil.
func (r *RDD) ElemType() reflect.Type { return r.typ.Elem }

// Op returns the operator that computes the RDD's partitions.
func (r *RDD) Op() Op { return r.op }

// CallSite returns where the RDD was created.
func (r *RDD) CallSite() string { return r.callSite }

// Name returns the display name set with SetName, or "".
func (r *RDD) Name() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.name
}

// SetName sets the display name and returns r.
func (r *RDD) SetName(name string) *RDD {
	r.mu.Lock()
	r.name = name
	r.mu.Unlock()
	return r
}

// Compute computes partition split with the RDD's Op, bypassing the cache.
func (r *RDD) Compute(tc *TaskContext, split int) Iterator {
	return r.op.Compute(tc, r, split)
}

// PreferredLocations returns the Op's preferred locations for split.
func (r *RDD) PreferredLocations(split int) []string {
	if l, ok := r.op.(Locator); ok {
		return l.PreferredLocations(split)
	}
	return nil
}

// StorageLevel returns the level set by Persist, or storage.None.
func (r *RDD) StorageLevel() storage.StorageLevel {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.level
}

// Persist marks the RDD to be kept at level the first time an action
// computes it. Changing the level of an already persisted RDD panics, as in
// Spark; call Unpersist first.
func (r *RDD) Persist(level storage.StorageLevel) *RDD {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.level.IsValid() && r.level != level {
		panic(usagef("Persist", r.ctx.CallSite(), "RDD %d is already persisted at %v; call Unpersist() before persisting it at %v", r.id, r.level, level))
	}
	r.level = level
	return r
}

// Cache persists the RDD in memory (storage.MemoryOnly).
func (r *RDD) Cache() *RDD { return r.Persist(storage.MemoryOnly) }

// Unpersist drops the RDD's cached blocks and forgets its storage level.
func (r *RDD) Unpersist() *RDD {
	r.mu.Lock()
	r.level = storage.None
	r.mu.Unlock()
	r.ctx.Unpersist(r)
	return r
}

// String names the RDD as Spark does: "name Kind[id] at Op at site".
func (r *RDD) String() string {
	var b strings.Builder
	if n := r.Name(); n != "" {
		b.WriteString(n)
		b.WriteByte(' ')
	}
	fmt.Fprintf(&b, "%s[%d] at %s", r.kind, r.id, r.opName)
	if r.callSite != "" {
		fmt.Fprintf(&b, " at %s", r.callSite)
	}
	return b.String()
}

func (r *RDD) site() string { return r.ctx.CallSite() }

// ToDebugString describes the lineage, one RDD a line, in Spark's layout:
// the partition count in parentheses, the storage level in brackets, and
// each shuffle boundary indented one step with "+-".
func (r *RDD) ToDebugString() string {
	return strings.Join(firstDebugString(r), "\n")
}

func debugSelf(r *RDD) []string {
	return []string{fmt.Sprintf("%s [%s]", r, r.StorageLevel().Description())}
}

func firstDebugString(r *RDD) []string {
	partStr := fmt.Sprintf("(%d)", r.numParts)
	leftOffset := (len(partStr) - 1) / 2
	nextPrefix := strings.Repeat(" ", leftOffset) + "|" + strings.Repeat(" ", len(partStr)-leftOffset)
	var out []string
	for i, d := range debugSelf(r) {
		if i == 0 {
			out = append(out, partStr+" "+d)
		} else {
			out = append(out, nextPrefix+" "+d)
		}
	}
	return append(out, debugChildren(r, nextPrefix)...)
}

func shuffleDebugString(r *RDD, prefix string, isLastChild bool) []string {
	partStr := fmt.Sprintf("(%d)", r.numParts)
	leftOffset := (len(partStr) - 1) / 2
	thisPrefix := strings.TrimRight(prefix, " ")
	thisPrefix = strings.TrimSuffix(thisPrefix, "|")
	next := thisPrefix
	if isLastChild {
		next += "  "
	} else {
		next += "| "
	}
	next += strings.Repeat(" ", leftOffset) + "|" + strings.Repeat(" ", len(partStr)-leftOffset)
	var out []string
	for i, d := range debugSelf(r) {
		if i == 0 {
			out = append(out, thisPrefix+"+-"+partStr+" "+d)
		} else {
			out = append(out, next+d)
		}
	}
	return append(out, debugChildren(r, next)...)
}

func debugString(r *RDD, prefix string, isShuffle, isLastChild bool) []string {
	if isShuffle {
		return shuffleDebugString(r, prefix, isLastChild)
	}
	var out []string
	for _, d := range debugSelf(r) {
		out = append(out, prefix+d)
	}
	return append(out, debugChildren(r, prefix)...)
}

func debugChildren(r *RDD, prefix string) []string {
	var out []string
	for i, d := range r.deps {
		_, shuffle := d.(*ShuffleDependency)
		out = append(out, debugString(d.RDD(), prefix, shuffle, i == len(r.deps)-1)...)
	}
	return out
}

// OpName returns the transformation that made the RDD, e.g. "ReduceByKey".
func (r *RDD) OpName() string { return r.opName }

// Kind returns the RDD's class-like name, e.g. "ShuffledRDD".
func (r *RDD) Kind() string { return r.kind }
