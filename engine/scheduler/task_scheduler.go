package scheduler

import (
	"fmt"
	"sort"
	"sync"
	"time"
)

// dagEvents is how the TaskScheduler reports to the DAGScheduler; every
// method only posts an event and returns.
type dagEvents interface {
	taskEnded(t *Task, r *TaskResult, info TaskInfo)
	taskSetFailed(stageID, attempt int, err error)
	executorLost(executorID, reason string)
}

type executorSlot struct {
	info ExecutorInfo
	free int
}

// TaskScheduler places tasks on executor slots. Task sets are served in
// priority order (FIFO by job); within a set, the TaskSetManager decides.
type TaskScheduler struct {
	mu           sync.Mutex
	backend      Backend
	dag          dagEvents
	bus          *ListenerBus
	clock        Clock
	maxFailures  int
	localityWait time.Duration

	executors  map[string]*executorSlot
	managers   []*TaskSetManager
	byTask     map[int64]*TaskSetManager
	nextTaskID int64
	timerAt    time.Time
	stopTimer  func() bool
	stopped    bool
}

// TaskSchedulerConfig holds the TaskScheduler's settings.
type TaskSchedulerConfig struct {
	// MaxFailures is spark.task.maxFailures: tries of one task before the
	// stage is aborted.
	MaxFailures int
	// LocalityWait is spark.locality.wait.
	LocalityWait time.Duration
	Clock        Clock
}

func newTaskScheduler(backend Backend, bus *ListenerBus, cfg TaskSchedulerConfig) *TaskScheduler {
	if cfg.Clock == nil {
		cfg.Clock = SystemClock{}
	}
	if cfg.MaxFailures < 1 {
		cfg.MaxFailures = 1
	}
	return &TaskScheduler{backend: backend, bus: bus, clock: cfg.Clock, maxFailures: cfg.MaxFailures,
		localityWait: cfg.LocalityWait, executors: map[string]*executorSlot{}, byTask: map[int64]*TaskSetManager{}}
}

// submit queues a task set.
func (ts *TaskScheduler) submit(set *TaskSet) {
	ts.mu.Lock()
	m := newTaskSetManager(set, ts.maxFailures, ts.localityWait, ts.clock.Now())
	ts.managers = append(ts.managers, m)
	sort.SliceStable(ts.managers, func(i, j int) bool {
		a, b := ts.managers[i].set, ts.managers[j].set
		if a.Priority != b.Priority {
			return a.Priority < b.Priority
		}
		return a.StageID < b.StageID
	})
	ts.mu.Unlock()
	ts.revive()
}

// cancelStage kills the running tasks of every attempt of a stage and stops
// it from launching more.
func (ts *TaskScheduler) cancelStage(stageID int, reason string) {
	type kill struct {
		id   int64
		exec string
	}
	var kills []kill
	ts.mu.Lock()
	for _, m := range ts.managers {
		if m.set.StageID != stageID {
			continue
		}
		m.zombie = true
		for id, rt := range m.running {
			kills = append(kills, kill{id, rt.executor})
		}
	}
	ts.removeDone()
	ts.mu.Unlock()
	for _, k := range kills {
		ts.backend.KillTask(k.id, k.exec, reason)
	}
}

// removeDone drops managers with nothing left to track. Caller holds mu.
func (ts *TaskScheduler) removeDone() {
	kept := ts.managers[:0]
	for _, m := range ts.managers {
		if !m.done() {
			kept = append(kept, m)
		}
	}
	clear(ts.managers[len(kept):])
	ts.managers = kept
}

// ExecutorAdded implements Sink.
func (ts *TaskScheduler) ExecutorAdded(info ExecutorInfo) {
	ts.mu.Lock()
	ts.executors[info.ID] = &executorSlot{info: info, free: info.Cores}
	ts.mu.Unlock()
	ts.bus.Post(ExecutorAdded{Info: info})
	ts.revive()
}

// ExecutorLost implements Sink: the executor's running tasks are re-queued
// (their failure does not count), and so are the finished map tasks of
// running stages whose output it held.
func (ts *TaskScheduler) ExecutorLost(executorID, reason string) {
	ts.mu.Lock()
	if _, ok := ts.executors[executorID]; !ok {
		ts.mu.Unlock()
		return
	}
	delete(ts.executors, executorID)
	now := ts.clock.Now()
	type lostTask struct {
		m  *TaskSetManager
		rt *runningTask
	}
	var lost []lostTask
	for _, m := range ts.managers {
		for _, rt := range m.executorLost(executorID, now) {
			delete(ts.byTask, rt.info.TaskID)
			lost = append(lost, lostTask{m, rt})
		}
	}
	ts.removeDone()
	ts.mu.Unlock()
	msg := fmt.Sprintf("executor %s lost: %s", executorID, reason)
	for _, l := range lost {
		ts.bus.Post(TaskEnd{StageID: l.m.set.StageID, StageAttempt: l.m.set.StageAttempt, Task: l.rt.info, State: TaskLost, Reason: msg})
	}
	ts.bus.Post(ExecutorRemoved{ExecutorID: executorID, Reason: reason})
	ts.dag.executorLost(executorID, reason)
	ts.revive()
}

// StatusUpdate implements Sink.
func (ts *TaskScheduler) StatusUpdate(r *TaskResult) {
	ts.mu.Lock()
	m, ok := ts.byTask[r.TaskID]
	if !ok {
		ts.mu.Unlock()
		return // a task of a lost executor, already re-queued
	}
	delete(ts.byTask, r.TaskID)
	if slot := ts.executors[r.ExecutorID]; slot != nil {
		slot.free++
	}
	o := m.statusUpdate(r, ts.clock.Now())
	ts.removeDone()
	ts.mu.Unlock()
	if o.known {
		reason := ""
		if r.Err != nil {
			reason = r.Err.Error()
		}
		ts.bus.Post(TaskEnd{StageID: m.set.StageID, StageAttempt: m.set.StageAttempt, Task: o.info, State: r.State, Reason: reason})
	}
	if o.forward {
		ts.dag.taskEnded(o.task, r, o.info)
	}
	if o.abort != nil {
		ts.dag.taskSetFailed(m.set.StageID, m.set.StageAttempt, o.abort)
	}
	ts.revive()
}

type launch struct {
	task *Task
	exec string
}

// revive offers every free slot to the task sets, round-robin over the
// executors so that work spreads out, and arms a timer for the end of the
// nearest locality wait that held a task back.
func (ts *TaskScheduler) revive() {
	ts.mu.Lock()
	if ts.stopped {
		ts.mu.Unlock()
		return
	}
	now := ts.clock.Now()
	ids := make([]string, 0, len(ts.executors))
	for id := range ts.executors {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var launches []launch
	var retry time.Time
	for progress := true; progress; {
		progress = false
		for _, id := range ids {
			slot := ts.executors[id]
			if slot.free == 0 {
				continue
			}
			for _, m := range ts.managers {
				t, at := m.resourceOffer(id, now, ts.executors)
				if !at.IsZero() && (retry.IsZero() || at.Before(retry)) {
					retry = at
				}
				if t == nil {
					continue
				}
				ts.nextTaskID++
				t.ID = ts.nextTaskID
				info := m.launched(t, id, now)
				ts.byTask[t.ID] = m
				slot.free--
				ts.bus.Post(TaskStart{StageID: m.set.StageID, StageAttempt: m.set.StageAttempt, Task: info})
				launches = append(launches, launch{t, id})
				progress = true
				break
			}
		}
	}
	if !retry.IsZero() && (ts.timerAt.IsZero() || retry.Before(ts.timerAt) || !ts.timerAt.After(now)) {
		if ts.stopTimer != nil {
			ts.stopTimer()
		}
		ts.timerAt = retry
		ts.stopTimer = ts.clock.AfterFunc(retry.Sub(now), ts.revive)
	}
	ts.mu.Unlock()
	for _, l := range launches {
		ts.backend.Launch(l.task, l.exec)
	}
}

// totalCores returns the number of task slots of the live executors.
func (ts *TaskScheduler) totalCores() int {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	n := 0
	for _, e := range ts.executors {
		n += e.info.Cores
	}
	return n
}

// executorIDs returns the live executors, sorted.
func (ts *TaskScheduler) executorIDs() []string {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	ids := make([]string, 0, len(ts.executors))
	for id := range ts.executors {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

func (ts *TaskScheduler) stop() {
	ts.mu.Lock()
	ts.stopped = true
	if ts.stopTimer != nil {
		ts.stopTimer()
	}
	ts.mu.Unlock()
}
