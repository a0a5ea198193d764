package scheduler

import (
	"fmt"
	"os"
	"sync"
	"time"
)

// Event is something that happened in the scheduler, for listeners: the
// progress bars, the web UI, the tests.
type Event interface{ isEvent() }

// StageInfo describes one attempt of a stage.
type StageInfo struct {
	StageID, Attempt int
	// Name is the stage's last RDD, e.g. "ReduceByKey at cell 3:1".
	Name      string
	NumTasks  int
	ParentIDs []int
	// ShuffleMap is true for a stage that writes shuffle output.
	ShuffleMap    bool
	Submitted     time.Time
	Completed     time.Time
	FailureReason string
}

// TaskInfo describes one task attempt.
type TaskInfo struct {
	TaskID     int64
	Index      int
	Partition  int
	Attempt    int
	ExecutorID string
	Launched   time.Time
	Finished   time.Time
}

// JobStart: a job was submitted.
type JobStart struct {
	JobID      int
	StageIDs   []int
	Properties map[string]string
	Time       time.Time
}

// JobEnd: a job succeeded (Err nil), failed or was cancelled.
type JobEnd struct {
	JobID int
	Err   error
	Time  time.Time
}

// StageSubmitted: a stage attempt's tasks were submitted.
type StageSubmitted struct{ Stage StageInfo }

// StageCompleted: a stage attempt ended; Stage.FailureReason is set when it failed.
type StageCompleted struct{ Stage StageInfo }

// TaskStart: a task attempt was launched.
type TaskStart struct {
	StageID, StageAttempt int
	Task                  TaskInfo
}

// TaskEnd: a task attempt ended.
type TaskEnd struct {
	StageID, StageAttempt int
	Task                  TaskInfo
	State                 TaskState
	Reason                string
}

// ExecutorAdded: an executor joined.
type ExecutorAdded struct{ Info ExecutorInfo }

// ExecutorRemoved: an executor was lost.
type ExecutorRemoved struct {
	ExecutorID, Reason string
}

func (JobStart) isEvent()        {}
func (JobEnd) isEvent()          {}
func (StageSubmitted) isEvent()  {}
func (StageCompleted) isEvent()  {}
func (TaskStart) isEvent()       {}
func (TaskEnd) isEvent()         {}
func (ExecutorAdded) isEvent()   {}
func (ExecutorRemoved) isEvent() {}

// Listener receives scheduler events, in order, on the bus's goroutine.
type Listener interface {
	OnEvent(e Event)
}

// ListenerFunc adapts a func to Listener.
type ListenerFunc func(Event)

// OnEvent implements Listener.
func (f ListenerFunc) OnEvent(e Event) { f(e) }

// ListenerBus delivers events to listeners on its own goroutine, so that a
// slow listener never holds up scheduling. A listener that panics is removed
// and the panic reported on stderr.
type ListenerBus struct {
	mu        sync.Mutex
	cond      *sync.Cond
	queue     []Event
	listeners []Listener
	stopped   bool
	done      chan struct{}
	busy      bool
}

// NewListenerBus starts a bus.
func NewListenerBus() *ListenerBus {
	b := &ListenerBus{done: make(chan struct{})}
	b.cond = sync.NewCond(&b.mu)
	go b.run()
	return b
}

// AddListener registers l.
func (b *ListenerBus) AddListener(l Listener) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.listeners = append(b.listeners, l)
}

// RemoveListener unregisters l.
func (b *ListenerBus) RemoveListener(l Listener) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for i, x := range b.listeners {
		if x == l {
			b.listeners = append(b.listeners[:i:i], b.listeners[i+1:]...)
			return
		}
	}
}

// Post queues e for delivery.
func (b *ListenerBus) Post(e Event) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.stopped {
		return
	}
	b.queue = append(b.queue, e)
	b.cond.Signal()
}

// WaitUntilEmpty blocks until every posted event has been delivered.
func (b *ListenerBus) WaitUntilEmpty() {
	b.mu.Lock()
	defer b.mu.Unlock()
	for (len(b.queue) > 0 || b.busy) && !b.stopped {
		b.cond.Wait()
	}
}

func (b *ListenerBus) run() {
	defer close(b.done)
	for {
		b.mu.Lock()
		for len(b.queue) == 0 && !b.stopped {
			b.cond.Wait()
		}
		if len(b.queue) == 0 {
			b.mu.Unlock()
			return
		}
		e := b.queue[0]
		b.queue = b.queue[1:]
		ls := append([]Listener(nil), b.listeners...)
		b.busy = true
		b.mu.Unlock()
		for _, l := range ls {
			b.deliver(l, e)
		}
		b.mu.Lock()
		b.busy = false
		b.cond.Broadcast()
		b.mu.Unlock()
	}
}

func (b *ListenerBus) deliver(l Listener, e Event) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(os.Stderr, "gospark: listener %T panicked and was removed: %v\n", l, r)
			b.RemoveListener(l)
		}
	}()
	l.OnEvent(e)
}

// Stop delivers the queued events and stops the bus.
func (b *ListenerBus) Stop() {
	b.mu.Lock()
	b.stopped = true
	b.cond.Broadcast()
	b.mu.Unlock()
	<-b.done
}
