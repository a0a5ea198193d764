package scheduler

import (
	"fmt"
	"sync"

	"gospark/engine/rdd"
)

// stage is a set of tasks that compute the same RDD's partitions, pipelining
// its narrow dependencies. A shuffle map stage (dep != nil) writes the
// shuffle output its children read; a result stage (job != nil) computes a
// job's results. Map stages are keyed by shuffle id and shared by every job
// that needs the shuffle.
type stage struct {
	id         int
	rdd        *rdd.RDD
	numTasks   int
	parents    []*stage
	jobIDs     map[int]bool
	firstJobID int
	dep        *rdd.ShuffleDependency
	job        *activeJob

	// attempt is the number of the latest attempt, -1 before the first.
	attempt int
	// pending holds the partitions of the latest attempt not yet done.
	pending map[int]bool
	// fetchFailed holds the attempts that ended in a fetch failure; it is
	// cleared when an attempt succeeds.
	fetchFailed map[int]bool
	info        StageInfo
}

func (s *stage) isShuffleMap() bool { return s.dep != nil }

func (s *stage) name() string { return stageName(s.rdd) }

func (s *stage) String() string { return fmt.Sprintf("stage %d (%s)", s.id, s.name()) }

func stageName(r *rdd.RDD) string {
	if r.CallSite() == "" {
		return r.OpName()
	}
	return fmt.Sprintf("%s at %s", r.OpName(), r.CallSite())
}

// activeJob is a job being run: the result stage, the partitions it must
// compute and which are done.
type activeJob struct {
	id         int
	final      *stage
	partitions []int
	outputIdx  map[int]int // partition -> index into partitions
	finished   []bool
	numDone    int
	handler    func(partition int, v any)
	props      map[string]string
	opID       int
	done       chan error
}

// eventQueue is an unbounded FIFO of events for the DAGScheduler's loop, so
// that posting never blocks the poster.
type eventQueue struct {
	mu     sync.Mutex
	cond   *sync.Cond
	items  []func()
	closed bool
}

func newEventQueue() *eventQueue {
	q := &eventQueue{}
	q.cond = sync.NewCond(&q.mu)
	return q
}

func (q *eventQueue) post(f func()) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return false
	}
	q.items = append(q.items, f)
	q.cond.Signal()
	return true
}

// take returns the next event, or false once the queue is closed and empty.
func (q *eventQueue) take() (func(), bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.items) == 0 && !q.closed {
		q.cond.Wait()
	}
	if len(q.items) == 0 {
		return nil, false
	}
	f := q.items[0]
	q.items[0] = nil
	q.items = q.items[1:]
	return f, true
}

func (q *eventQueue) close() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.closed = true
	q.cond.Broadcast()
}
