package shell

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// evalAsync starts a cell and returns a channel with its error.
func (ts *testSession) evalAsync(cell string) <-chan error {
	c := make(chan error, 1)
	go func() {
		_, err := ts.Eval(context.Background(), cell)
		c <- err
	}()
	return c
}

// waitRunning waits until the session runs a cell.
func (ts *testSession) waitRunning() {
	ts.t.Helper()
	for range 500 {
		ts.mu.Lock()
		run := ts.run
		ts.mu.Unlock()
		if run != nil {
			return
		}
		time.Sleep(2 * time.Millisecond)
	}
	ts.t.Fatal("the cell never started")
}

// waitTasks waits until no task runs: tasks of a cancelled job end at their
// next poll, and a cell started meanwhile would race with them inside the
// interpreter (its global frame), which the race detector reports.
func (ts *testSession) waitTasks() {
	ts.t.Helper()
	for range 2000 {
		if ts.tasks.Load() == 0 {
			return
		}
		time.Sleep(time.Millisecond)
	}
	ts.t.Fatal("tasks still running")
}

func waitErr(t *testing.T, c <-chan error) error {
	t.Helper()
	select {
	case err := <-c:
		return err
	case <-time.After(20 * time.Second):
		t.Fatal("the cell did not stop")
		return nil
	}
}

func TestInterruptCancelsJob(t *testing.T) {
	ts := newTestSession(t)
	ts.eval(`slow := sc.Range(0, 1000000, 1, 2).Map(func(x int) int { time.Sleep(time.Millisecond); return x })`)
	done := ts.evalAsync(`slow.Count()`)
	ts.waitRunning()
	for len(ts.Context().StatusTracker().ActiveJobs()) == 0 {
		time.Sleep(5 * time.Millisecond)
	}
	ts.Interrupt()
	err := waitErr(t, done)
	var ce *CellError
	if !errors.As(err, &ce) || ce.Kind != Cancelled {
		t.Fatalf("got %v, want a Cancelled cell error", err)
	}
	ts.waitTasks()
	// The session goes on, and the RDD still runs.
	if got := ts.eval(`sc.Range(0, 10).Count()`); got != "10" {
		t.Errorf("after the interrupt: %q", got)
	}
	if got := ts.eval(`sc.Range(0, 4).Map(func(x int) int { return x + 1 }).Collect()`); got != "[1 2 3 4]" {
		t.Errorf("after the interrupt: %q", got)
	}
}

func TestSecondInterruptStopsInterpreter(t *testing.T) {
	ts := newTestSession(t)
	ts.eval("func adder(k int) func(int) int { return func(x int) int { return x + k } }\nold := sc.Range(0, 3).Map(adder(10))")
	if got := ts.eval(`old.Collect()`); got != "[10 11 12]" {
		t.Fatalf("before: %q", got)
	}
	done := ts.evalAsync("n := 0\nfor {\n\tn++\n}")
	ts.waitRunning()
	ts.Interrupt()
	select {
	case err := <-done:
		t.Fatalf("a first interrupt stopped an interpreted loop: %v", err)
	case <-time.After(50 * time.Millisecond):
	}
	ts.Interrupt()
	err := waitErr(t, done)
	var ce *CellError
	if !errors.As(err, &ce) || ce.Kind != Cancelled {
		t.Fatalf("got %v, want a Cancelled cell error", err)
	}
	if got := ts.eval(`1 + 1`); got != "2" {
		t.Errorf("after the stop: %q", got)
	}
	// An RDD whose funcs predate the stop refuses to run.
	ce = ts.fail(`old.Collect()`)
	if !strings.Contains(ce.Msg, "before an interrupt") {
		t.Errorf("stale RDD: %s", ce.Report())
	}
	// Rebuilt, it runs.
	if got := ts.eval(`sc.Range(0, 3).Map(adder(10)).Collect()`); got != "[10 11 12]" {
		t.Errorf("rebuilt: %q", got)
	}
}

func TestEvalContextCancels(t *testing.T) {
	ts := newTestSession(t)
	ctx, cancel := context.WithCancel(context.Background())
	c := make(chan error, 1)
	go func() {
		_, err := ts.Eval(ctx, `sc.Range(0, 1000000, 1, 2).Map(func(x int) int { time.Sleep(time.Millisecond); return x }).Count()`)
		c <- err
	}()
	ts.waitRunning()
	for len(ts.Context().StatusTracker().ActiveJobs()) == 0 {
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	var ce *CellError
	if err := waitErr(t, c); !errors.As(err, &ce) || ce.Kind != Cancelled {
		t.Fatalf("got %v, want Cancelled", err)
	}
	ts.waitTasks()
}

func TestStuckTasksStopTheInterpreter(t *testing.T) {
	defer func(g time.Duration) { stuckTaskGrace = g }(stuckTaskGrace)
	stuckTaskGrace = 200 * time.Millisecond
	ts := newTestSession(t)
	done := ts.evalAsync("sc.Range(0, 4, 1, 2).Map(func(x int) int {\n\tfor {\n\t\tx++\n\t}\n}).Count()")
	ts.waitRunning()
	for ts.tasks.Load() == 0 {
		time.Sleep(5 * time.Millisecond)
	}
	ts.Interrupt()
	var ce *CellError
	if err := waitErr(t, done); !errors.As(err, &ce) || ce.Kind != Cancelled {
		t.Fatalf("got %v, want Cancelled", err)
	}
	// The next cell frees the executors, then runs.
	if got := ts.eval("sc.Range(0, 10).Count()"); got != "10" {
		t.Errorf("after stuck tasks: %q", got)
	}
	ts.stderr.Sync()
	if !strings.Contains(ts.err.String(), "stopping the interpreter") {
		t.Errorf("stderr %q", ts.err.String())
	}
}
