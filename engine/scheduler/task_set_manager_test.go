package scheduler

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func taskSet(kind TaskKind, prefs ...string) *TaskSet {
	set := &TaskSet{StageID: 3, Name: "Map at t.go:1"}
	for i, p := range prefs {
		t := &Task{StageID: 3, Partition: i, Index: i, Kind: kind}
		if p != "" {
			t.Preferred = []string{p}
		}
		set.Tasks = append(set.Tasks, t)
	}
	return set
}

func TestDelaySchedulingWaitsForLocalSlots(t *testing.T) {
	t0 := time.Unix(1000, 0)
	m := newTaskSetManager(taskSet(ResultTask, "e1", "e1", ""), 4, 3*time.Second, t0)
	alive := map[string]*executorSlot{"e1": {}, "e2": {}}
	launch := func(exec string, at time.Time) (*Task, time.Time) {
		task, retry := m.resourceOffer(exec, at, alive)
		if task != nil {
			task.ID = int64(at.Sub(t0)) + int64(task.Index)
			m.launched(task, exec, at)
		}
		return task, retry
	}
	// e2 may take the task without a preference, but not e1's while the wait runs.
	if task, _ := launch("e2", t0); task == nil || task.Index != 2 {
		t.Fatalf("e2 got %v, want the task without a preference", task)
	}
	if task, retry := launch("e2", t0.Add(time.Second)); task != nil || !retry.Equal(t0.Add(3*time.Second)) {
		t.Fatalf("e2 got %v (retry %v) during the locality wait", task, retry)
	}
	if task, _ := launch("e1", t0.Add(2*time.Second)); task == nil || task.Index != 1 && task.Index != 0 {
		t.Fatalf("e1 got %v, want one of its local tasks", task)
	}
	// The wait restarts at each local launch.
	if task, _ := launch("e2", t0.Add(4*time.Second)); task != nil {
		t.Fatalf("e2 got %v only 2s after a local launch", task)
	}
	if task, _ := launch("e2", t0.Add(6*time.Second)); task == nil {
		t.Fatal("e2 still refused after the wait expired")
	}
}

func TestTaskSetAbortsAfterMaxFailures(t *testing.T) {
	t0 := time.Unix(0, 0)
	m := newTaskSetManager(taskSet(ResultTask, ""), 2, 0, t0)
	alive := map[string]*executorSlot{"e1": {}}
	var o outcome
	for try := 0; try < 2; try++ {
		task, _ := m.resourceOffer("e1", t0, alive)
		if task == nil || task.Attempt != try {
			t.Fatalf("try %d: got %v", try, task)
		}
		task.ID = int64(try + 1)
		m.launched(task, "e1", t0)
		o = m.statusUpdate(&TaskResult{TaskID: task.ID, ExecutorID: "e1", State: TaskFailed,
			Err: &TaskError{Err: errors.New("boom")}}, t0)
	}
	var jf *JobFailedError
	if !errors.As(o.abort, &jf) || jf.Attempts != 2 || !strings.Contains(jf.Error(), "boom (on executor e1)") {
		t.Fatalf("want an abort after 2 failures, got %v", o.abort)
	}
	if task, _ := m.resourceOffer("e1", t0, alive); task != nil {
		t.Fatal("an aborted set launched another task")
	}
}

func TestLostExecutorRequeuesItsMapOutputs(t *testing.T) {
	t0 := time.Unix(0, 0)
	m := newTaskSetManager(taskSet(ShuffleMapTask, "", ""), 4, 0, t0)
	alive := map[string]*executorSlot{"e1": {}, "e2": {}}
	a, _ := m.resourceOffer("e1", t0, alive)
	a.ID = 1
	m.launched(a, "e1", t0)
	b, _ := m.resourceOffer("e2", t0, alive)
	b.ID = 2
	m.launched(b, "e2", t0)
	m.statusUpdate(&TaskResult{TaskID: 1, ExecutorID: "e1", State: TaskFinished}, t0)
	// e1 is lost with a's output; b was running on e2.
	delete(alive, "e1")
	if lost := m.executorLost("e1", t0); len(lost) != 0 {
		t.Fatalf("no task was running on e1, got %v", lost)
	}
	again, _ := m.resourceOffer("e2", t0, alive)
	if again == nil || again.Index != a.Index || again.Attempt != 1 {
		t.Fatalf("want a's partition re-run, got %v", again)
	}
}
