package scheduler

import (
	"errors"
	"fmt"
	"time"

	"gospark/engine/shuffle"
)

// Local property keys, as in Spark.
const (
	PropJobGroup       = "spark.jobGroup.id"
	PropJobDescription = "spark.job.description"
	PropCallSite       = "callSite.short"
)

// TaskSetManager schedules the tasks of one TaskSet: it picks the next task
// for an executor slot, waiting a while (spark.locality.wait) for a slot on
// an executor that holds a task's input before giving the task to any
// executor; it counts failures and aborts the set after maxFailures tries of
// one task; and it re-queues tasks lost with an executor. It is driven by the
// TaskScheduler under the TaskScheduler's lock.
type TaskSetManager struct {
	set         *TaskSet
	maxFailures int
	wait        time.Duration

	pendingByExec map[string][]int // tasks preferring an executor
	pendingNoPref []int            // tasks without a preference
	pendingAny    []int            // every pending task, in order

	running    map[int64]*runningTask
	successful []bool
	attempts   []int // launched attempts per task
	failures   []int // counted failures per task
	finishedOn []string
	numDone    int
	zombie     bool

	lastLocalLaunch time.Time
	lastFailure     []error
}

type runningTask struct {
	task     *Task
	index    int
	executor string
	info     TaskInfo
}

func newTaskSetManager(set *TaskSet, maxFailures int, wait time.Duration, now time.Time) *TaskSetManager {
	n := len(set.Tasks)
	m := &TaskSetManager{
		set:             set,
		maxFailures:     maxFailures,
		wait:            wait,
		pendingByExec:   map[string][]int{},
		running:         map[int64]*runningTask{},
		successful:      make([]bool, n),
		attempts:        make([]int, n),
		failures:        make([]int, n),
		finishedOn:      make([]string, n),
		lastFailure:     make([]error, n),
		lastLocalLaunch: now,
	}
	for i := n - 1; i >= 0; i-- {
		m.addPending(i)
	}
	return m
}

// addPending queues task i; later additions are taken first, like Spark's
// stacks, so a re-queued task runs soon.
func (m *TaskSetManager) addPending(i int) {
	for _, e := range m.set.Tasks[i].Preferred {
		m.pendingByExec[e] = append(m.pendingByExec[e], i)
	}
	if len(m.set.Tasks[i].Preferred) == 0 {
		m.pendingNoPref = append(m.pendingNoPref, i)
	}
	m.pendingAny = append(m.pendingAny, i)
}

// launchable reports whether task i may be launched now.
func (m *TaskSetManager) launchable(i int) bool {
	if m.successful[i] {
		return false
	}
	for _, rt := range m.running {
		if rt.index == i {
			return false
		}
	}
	return true
}

// pop takes a launchable task from the end of list, dropping stale entries.
func (m *TaskSetManager) pop(list *[]int) (int, bool) {
	for len(*list) > 0 {
		i := (*list)[len(*list)-1]
		*list = (*list)[:len(*list)-1]
		if m.launchable(i) {
			return i, true
		}
	}
	return 0, false
}

// hasLocalWork reports whether some pending task prefers an executor in
// alive, other than the one making the offer.
func (m *TaskSetManager) hasLocalWork(alive map[string]*executorSlot) bool {
	for e, list := range m.pendingByExec {
		if _, ok := alive[e]; !ok {
			continue
		}
		for _, i := range list {
			if m.launchable(i) {
				return true
			}
		}
	}
	return false
}

// resourceOffer returns the task to run on a free slot of executor exec, or
// nil. retryAt is when a refused offer might succeed (the end of a locality
// wait), or the zero time.
func (m *TaskSetManager) resourceOffer(exec string, now time.Time, alive map[string]*executorSlot) (t *Task, retryAt time.Time) {
	if m.zombie {
		return nil, time.Time{}
	}
	local := m.pendingByExec[exec]
	i, ok := m.pop(&local)
	m.pendingByExec[exec] = local
	switch {
	case ok:
		m.lastLocalLaunch = now
	case m.wait > 0 && now.Sub(m.lastLocalLaunch) < m.wait && m.hasLocalWork(alive):
		// Tasks that prefer another live executor wait for it a while;
		// tasks without a preference may run anywhere meanwhile.
		if i, ok = m.pop(&m.pendingNoPref); !ok {
			return nil, m.lastLocalLaunch.Add(m.wait)
		}
	default:
		if i, ok = m.pop(&m.pendingAny); !ok {
			return nil, time.Time{}
		}
	}
	base := m.set.Tasks[i]
	task := *base
	task.Attempt = m.attempts[i]
	m.attempts[i]++
	return &task, time.Time{}
}

// launched records that task t runs on exec.
func (m *TaskSetManager) launched(t *Task, exec string, now time.Time) TaskInfo {
	info := TaskInfo{TaskID: t.ID, Index: t.Index, Partition: t.Partition, Attempt: t.Attempt, ExecutorID: exec, Launched: now}
	m.running[t.ID] = &runningTask{task: t, index: t.Index, executor: exec, info: info}
	// Keep pendingByExec consistent: the pop above removed i from one list
	// only; stale entries elsewhere are skipped by launchable.
	return info
}

// outcome is what the TaskScheduler must do after a status update.
type outcome struct {
	task    *Task
	info    TaskInfo
	known   bool
	abort   error // the set failed: abort the stage with this
	finish  bool  // every task succeeded
	forward bool  // tell the DAGScheduler about this result
}

// statusUpdate handles the end of a task attempt.
func (m *TaskSetManager) statusUpdate(r *TaskResult, now time.Time) outcome {
	rt, ok := m.running[r.TaskID]
	if !ok {
		return outcome{}
	}
	delete(m.running, r.TaskID)
	rt.info.Finished = now
	o := outcome{task: rt.task, info: rt.info, known: true, forward: true}
	i := rt.index
	switch r.State {
	case TaskFinished:
		if !m.successful[i] {
			m.successful[i] = true
			m.finishedOn[i] = rt.executor
			m.numDone++
		}
		o.finish = m.numDone == len(m.set.Tasks)
	case TaskFailed:
		var ff *shuffle.FetchFailedError
		if errors.As(r.Err, &ff) {
			// The DAGScheduler resubmits the parent stage and then this
			// one as a new attempt; this attempt runs no more tasks.
			m.zombie = true
			return o
		}
		m.failures[i]++
		m.lastFailure[i] = r.Err
		if m.failures[i] >= m.maxFailures {
			m.zombie = true
			t := m.set.Tasks[i]
			o.abort = &JobFailedError{
				StageID:   m.set.StageID,
				Stage:     fmt.Sprintf("stage %d.%d (%s)", m.set.StageID, m.set.StageAttempt, m.set.Name),
				Partition: t.Partition, Attempts: m.failures[i],
				Reason: fmt.Sprintf("%v (on executor %s)", r.Err, rt.executor), Cause: r.Err,
			}
			return o
		}
		m.addPending(i)
	case TaskKilled, TaskLost:
		if !m.zombie && !m.successful[i] {
			m.addPending(i)
		}
	}
	return o
}

// executorLost re-queues the set's tasks that ran on exec: the running ones,
// and for a shuffle map stage the finished ones too, whose output was on the
// lost executor. It returns the running tasks it failed.
func (m *TaskSetManager) executorLost(exec string, now time.Time) []*runningTask {
	var lost []*runningTask
	for id, rt := range m.running {
		if rt.executor == exec {
			delete(m.running, id)
			rt.info.Finished = now
			lost = append(lost, rt)
			if !m.zombie && !m.successful[rt.index] {
				m.addPending(rt.index)
			}
		}
	}
	delete(m.pendingByExec, exec)
	if len(m.set.Tasks) > 0 && m.set.Tasks[0].Kind == ShuffleMapTask && !m.zombie {
		for i, e := range m.finishedOn {
			if e == exec && m.successful[i] {
				m.successful[i] = false
				m.finishedOn[i] = ""
				m.numDone--
				m.addPending(i)
			}
		}
	}
	return lost
}

// done reports whether the manager has nothing left to track.
func (m *TaskSetManager) done() bool {
	return len(m.running) == 0 && (m.zombie || m.numDone == len(m.set.Tasks))
}
