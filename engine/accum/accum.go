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

// Long is an accumulator of int64 sums, counts and averages, like Spark's
// LongAccumulator.
type Long struct {
	id    int64
	name  string
	mu    sync.Mutex
	sum   int64
	count int64
}

type longDelta struct{ sum, count int64 }

// NewLong returns a Long accumulator named name.
func NewLong(name string) *Long { return &Long{id: nextID.Add(1), name: name} }

// ID implements Accumulator.
func (a *Long) ID() int64 { return a.id }

// Name implements Accumulator.
func (a *Long) Name() string { return a.name }

// Add adds v. Inside a task the update is held until the task succeeds.
func (a *Long) Add(v int64) {
	if record(a, v) {
		return
	}
	a.mu.Lock()
	a.sum += v
	a.count++
	a.mu.Unlock()
}

// Value returns the sum of the values added by accepted tasks and the driver.
func (a *Long) Value() int64 {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.sum
}

// Count returns the number of values added.
func (a *Long) Count() int64 {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.count
}

// Avg returns the mean of the values added, or 0 when none were.
func (a *Long) Avg() float64 {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.count == 0 {
		return 0
	}
	return float64(a.sum) / float64(a.count)
}

// Reset implements Accumulator.
func (a *Long) Reset() {
	a.mu.Lock()
	a.sum, a.count = 0, 0
	a.mu.Unlock()
}

func (a *Long) String() string {
	return fmt.Sprintf("LongAccumulator(id: %d, name: %q, value: %d)", a.id, a.name, a.Value())
}

func (a *Long) zero() any { return longDelta{} }
func (a *Long) add(d, v any) any {
	x := d.(longDelta)
	return longDelta{x.sum + v.(int64), x.count + 1}
}
func (a *Long) merge(d any) {
	x := d.(longDelta)
	a.mu.Lock()
	a.sum += x.sum
	a.count += x.count
	a.mu.Unlock()
}

// Double is an accumulator of float64 sums, counts and averages, like
// Spark's DoubleAccumulator.
type Double struct {
	id    int64
	name  string
	mu    sync.Mutex
	sum   float64
	count int64
}

type doubleDelta struct {
	sum   float64
	count int64
}

// NewDouble returns a Double accumulator named name.
func NewDouble(name string) *Double { return &Double{id: nextID.Add(1), name: name} }

// ID implements Accumulator.
func (a *Double) ID() int64 { return a.id }

// Name implements Accumulator.
func (a *Double) Name() string { return a.name }

// Add adds v. Inside a task the update is held until the task succeeds.
func (a *Double) Add(v float64) {
	if record(a, v) {
		return
	}
	a.mu.Lock()
	a.sum += v
	a.count++
	a.mu.Unlock()
}

// Value returns the sum of the values added.
func (a *Double) Value() float64 {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.sum
}

// Count returns the number of values added.
func (a *Double) Count() int64 {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.count
}

// Avg returns the mean of the values added, or 0 when none were.
func (a *Double) Avg() float64 {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.count == 0 {
		return 0
	}
	return a.sum / float64(a.count)
}

// Reset implements Accumulator.
func (a *Double) Reset() {
	a.mu.Lock()
	a.sum, a.count = 0, 0
	a.mu.Unlock()
}

func (a *Double) String() string {
	return fmt.Sprintf("DoubleAccumulator(id: %d, name: %q, value: %g)", a.id, a.name, a.Value())
}

func (a *Double) zero() any { return doubleDelta{} }
func (a *Double) add(d, v any) any {
	x := d.(doubleDelta)
	return doubleDelta{x.sum + v.(float64), x.count + 1}
}
func (a *Double) merge(d any) {
	x := d.(doubleDelta)
	a.mu.Lock()
	a.sum += x.sum
	a.count += x.count
	a.mu.Unlock()
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
