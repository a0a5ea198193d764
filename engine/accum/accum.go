// Package accum implements accumulators: variables that tasks only add to and
// the driver reads.
//
// An update made while a task runs goes to that task's own Updates set, not
// to the accumulator. The executor binds the set to the task's goroutine with
// Bind before running user code, and ships the set back with the task's
// result; the driver merges it with Merge only when it accepts that result.
// A failed or killed attempt's updates are dropped with the attempt, and a
// result task's updates are merged once per partition, so updates made inside
// actions count exactly once even when tasks are retried. Updates made outside
// any task (on the driver) apply directly.
//
// Goroutines started by user code inside a task are not bound to it; updates
// they make apply directly, as on the driver.
package accum

import (
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/petermattis/goid"
)

// Accumulator is the common interface of the accumulator kinds.
type Accumulator interface {
	// ID is unique within the process.
	ID() int64
	// Name is the name given at creation ("" when unnamed).
	Name() string
	// Reset sets the value back to zero.
	Reset()
	// String describes the accumulator and its current value.
	String() string

	// zero returns an empty task-local delta; add folds a delta into a delta;
	// merge folds a delta into the accumulator.
	zero() any
	add(delta, v any) any
	merge(delta any)
}

var nextID atomic.Int64

// Updates is the set of accumulator deltas made by one task attempt.
type Updates struct {
	mu     sync.Mutex
	deltas map[int64]any
	accs   map[int64]Accumulator
}

// NewUpdates returns an empty update set.
func NewUpdates() *Updates { return &Updates{} }

func (u *Updates) add(a Accumulator, v any) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.deltas == nil {
		u.deltas = map[int64]any{}
		u.accs = map[int64]Accumulator{}
	}
	id := a.ID()
	d, ok := u.deltas[id]
	if !ok {
		d = a.zero()
		u.accs[id] = a
	}
	u.deltas[id] = a.add(d, v)
}

// Len returns the number of accumulators this set touched.
func (u *Updates) Len() int {
	if u == nil {
		return 0
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	return len(u.deltas)
}

// Merge folds every delta of the set into its accumulator. The driver calls
// it once for each task result it accepts.
func (u *Updates) Merge() {
	if u == nil {
		return
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	for id, d := range u.deltas {
		u.accs[id].merge(d)
	}
}

var bound sync.Map // goroutine id -> *Updates

// Bind routes the updates made by the calling goroutine to u until the
// returned func is called. The executor calls it at the start of each task.
func Bind(u *Updates) (unbind func()) {
	id := goid.Get()
	bound.Store(id, u)
	return func() { bound.Delete(id) }
}

func current() *Updates {
	v, ok := bound.Load(goid.Get())
	if !ok {
		return nil
	}
	return v.(*Updates)
}

func record(a Accumulator, v any) bool {
	if u := current(); u != nil {
		u.add(a, v)
		return true
	}
	return false
}

// sum is the state shared by Long and Double: a sum and a count, updated
// directly on the driver or through a task's Updates.
type sum[T int64 | float64] struct {
	id    int64
	name  string
	self  Accumulator
	mu    sync.Mutex
	total T
	count int64
}

type sumDelta[T int64 | float64] struct {
	total T
	count int64
}

// ID implements Accumulator.
func (a *sum[T]) ID() int64 { return a.id }

// Name implements Accumulator.
func (a *sum[T]) Name() string { return a.name }

// Add adds v. Inside a task the update is held until the task succeeds.
func (a *sum[T]) Add(v T) {
	if record(a.self, v) {
		return
	}
	a.mu.Lock()
	a.total += v
	a.count++
	a.mu.Unlock()
}

// Value returns the sum of the values added by accepted tasks and the driver.
func (a *sum[T]) Value() T {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.total
}

// Count returns the number of values added.
func (a *sum[T]) Count() int64 {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.count
}

// Avg returns the mean of the values added, or 0 when none were.
func (a *sum[T]) Avg() float64 {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.count == 0 {
		return 0
	}
	return float64(a.total) / float64(a.count)
}

// Reset implements Accumulator.
func (a *sum[T]) Reset() {
	a.mu.Lock()
	a.total, a.count = 0, 0
	a.mu.Unlock()
}

func (a *sum[T]) zero() any { return sumDelta[T]{} }
func (a *sum[T]) add(d, v any) any {
	x := d.(sumDelta[T])
	return sumDelta[T]{x.total + v.(T), x.count + 1}
}
func (a *sum[T]) merge(d any) {
	x := d.(sumDelta[T])
	a.mu.Lock()
	a.total += x.total
	a.count += x.count
	a.mu.Unlock()
}

// Long is an accumulator of int64 sums, counts and averages, like Spark's
// LongAccumulator.
type Long struct{ sum[int64] }

// NewLong returns a Long accumulator named name.
func NewLong(name string) *Long {
	a := &Long{sum[int64]{id: nextID.Add(1), name: name}}
	a.self = a
	return a
}

func (a *Long) String() string {
	return fmt.Sprintf("LongAccumulator(id: %d, name: %q, value: %d)", a.id, a.name, a.Value())
}

// Double is an accumulator of float64 sums, counts and averages, like
// Spark's DoubleAccumulator.
type Double struct{ sum[float64] }

// NewDouble returns a Double accumulator named name.
func NewDouble(name string) *Double {
	a := &Double{sum[float64]{id: nextID.Add(1), name: name}}
	a.self = a
	return a
}

func (a *Double) String() string {
	return fmt.Sprintf("DoubleAccumulator(id: %d, name: %q, value: %g)", a.id, a.name, a.Value())
}

// Collection is an accumulator that gathers values into a list, like Spark's
// CollectionAccumulator. The order across tasks is the order in which the
// driver accepted their results.
type Collection struct {
	id     int64
	name   string
	mu     sync.Mutex
	values []any
}

// NewCollection returns a Collection accumulator named name.
func NewCollection(name string) *Collection { return &Collection{id: nextID.Add(1), name: name} }

// ID implements Accumulator.
func (a *Collection) ID() int64 { return a.id }

// Name implements Accumulator.
func (a *Collection) Name() string { return a.name }

// Add appends v. Inside a task the update is held until the task succeeds.
func (a *Collection) Add(v any) {
	if record(a, v) {
		return
	}
	a.mu.Lock()
	a.values = append(a.values, v)
	a.mu.Unlock()
}

// Value returns a copy of the gathered values.
func (a *Collection) Value() []any {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]any(nil), a.values...)
}

// Reset implements Accumulator.
func (a *Collection) Reset() {
	a.mu.Lock()
	a.values = nil
	a.mu.Unlock()
}

func (a *Collection) String() string {
	return fmt.Sprintf("CollectionAccumulator(id: %d, name: %q, value: %v)", a.id, a.name, a.Value())
}

func (a *Collection) zero() any        { return []any(nil) }
func (a *Collection) add(d, v any) any { return append(d.([]any), v) }
func (a *Collection) merge(d any) {
	a.mu.Lock()
	a.values = append(a.values, d.([]any)...)
	a.mu.Unlock()
}
