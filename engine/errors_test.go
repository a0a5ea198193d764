package engine_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"

	"gospark/engine"
	"gospark/engine/rdd"
	"gospark/engine/scheduler"
)

func errorsAs[T any](err error, target *T) bool { return errors.As(err, target) }

// TestWrongFuncFailsAtTheCall: a func of the wrong shape panics with a
// UsageError when the transformation is built, naming the operator, the
// func and what was expected; no job runs.
func TestWrongFuncFailsAtTheCall(t *testing.T) {
	sc := newContext(t, engine.Conf{"spark.master": "local[1]"})
	ints := sc.Parallelize([]int{1, 2, 3})
	strs := sc.Parallelize([]string{"a"})
	cases := []struct {
		name string
		call func()
		want string
	}{
		{"map arity", func() { ints.Map(func(a, b int) int { return a }) }, "Map at errors_test.go:"},
		{"map arity message", func() { ints.Map(func(a, b int) int { return a }) }, "takes 2 arguments; Map needs a func of one argument"},
		{"map element type", func() { ints.Map(func(s string) int { return len(s) }) }, "the func func(string) int takes string but this RDD holds int"},
		{"not a func", func() { ints.Filter(42) }, "needs a func, got int"},
		{"filter result", func() { ints.Filter(func(x int) int { return x }) }, "must return bool"},
		{"flatMap result", func() { strs.FlatMap(func(s string) string { return s }) }, "must return a slice"},
		{"pairs needed", func() { ints.ReduceByKey(func(a, b int) int { return a + b }) }, "needs an RDD of Pairs, but this RDD holds int"},
		{"reduce value type", func() {
			strs.MapPairs(func(s string) (string, int) { return s, 1 }).ReduceByKey(func(a, b string) string { return a })
		}, "takes string but the values are int"},
		{"reduce result", func() {
			strs.MapPairs(func(s string) (string, int) { return s, 1 }).ReduceByKey(func(a, b int) float64 { return 0 })
		}, "returns float64 but it must return its argument type int"},
		{"nil func", func() { ints.Map(nil) }, "the func is nil"},
		{"parallelize non-slice", func() { sc.Parallelize(7) }, "needs a slice, got int"},
		{"missing file", func() { sc.TextFile("/nonexistent/*.txt") }, "input path does not exist: /nonexistent/*.txt"},
		{"numbers needed", func() { strs.Sum() }, "needs an RDD of numbers"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := sc.Do(context.Background(), c.call)
			var ue *rdd.UsageError
			if !errors.As(err, &ue) {
				t.Fatalf("want *rdd.UsageError, got %T %v", err, err)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %q does not contain %q", err, c.want)
			}
		})
	}
}

// TestUserPanicFailsTheJob: a panic in a user func fails the task; after the
// last try the job fails with an error naming the stage, the partition and
// the func with its call site, carrying the user's stack; the context stays
// usable.
func TestUserPanicFailsTheJob(t *testing.T) {
	sc := newContext(t, engine.Conf{"spark.master": "local[2,3]"})
	var tries atomic.Int32
	err := sc.Do(context.Background(), func() {
		sc.Range(0, 10, 1, 2).Map(func(x int) int {
			if x == 7 {
				tries.Add(1)
				return 10 / (x - 7)
			}
			return x
		}).Collect()
	})
	var jf *scheduler.JobFailedError
	if !errors.As(err, &jf) {
		t.Fatalf("want JobFailedError, got %T %v", err, err)
	}
	if jf.Partition != 1 || jf.Attempts != 3 || tries.Load() != 3 {
		t.Fatalf("partition %d attempts %d tries %d; want partition 1 tried 3 times", jf.Partition, jf.Attempts, tries.Load())
	}
	msg := err.Error()
	for _, want := range []string{"stage 0.0 (Map at errors_test.go:", "partition 1 failed 3 time(s)",
		"panic in func(int) int passed to Map at errors_test.go:", "integer divide by zero"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q lacks %q", msg, want)
		}
	}
	var up *rdd.UserPanicError
	if !errors.As(err, &up) || !strings.Contains(up.Stack, "errors_test.go") {
		t.Fatalf("the user's stack is missing: %v", up)
	}
	if got := sc.Range(0, 5).Count(); got != 5 {
		t.Fatalf("context unusable after a failed job: %d", got)
	}
}

// TestAccumulatorsExactUnderRetries: tasks fail on their first attempt
// after adding to accumulators; the retried attempts' updates count once,
// the failed attempts' not at all.
func TestAccumulatorsExactUnderRetries(t *testing.T) {
	for _, master := range []string{"local[2,4]", "local-cluster[2,2,64]"} {
		t.Run(master, func(t *testing.T) {
			sc := newContext(t, engine.Conf{"spark.master": master})
			inAction := sc.LongAccumulator("in action")
			inMap := sc.DoubleAccumulator("in map")
			seen := sync.Map{}
			failOnce := func(x int) {
				if _, loaded := seen.LoadOrStore(x, true); !loaded && x%10 == 9 {
					panic("first try fails")
				}
			}
			r := sc.Range(0, 100, 1, 5)
			r.Foreach(func(x int) {
				inAction.Add(int64(x))
				failOnce(x)
			})
			if got := inAction.Value(); got != 4950 {
				t.Fatalf("action accumulator %d, want 4950", got)
			}
			if got := inAction.Count(); got != 100 {
				t.Fatalf("action accumulator counted %d adds, want 100", got)
			}
			seen = sync.Map{}
			n := r.Map(func(x int) int { inMap.Add(1); failOnce(x + 1000); return x }).
				KeyBy(func(x int) int { return x % 3 }).GroupByKey().Count()
			if n != 3 || inMap.Value() != 100 {
				t.Fatalf("groups %d, map-side accumulator %g; want 3 and 100", n, inMap.Value())
			}
		})
	}
}

// TestCancelLeavesNoGoroutines cancels a job through its context: the job
// returns promptly, its tasks stop, and after Stop no goroutine is left.
func TestCancelLeavesNoGoroutines(t *testing.T) {
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	sc, err := engine.NewContext(engine.Conf{"spark.master": "local-cluster[2,2,64]"})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var running atomic.Int32
	started := make(chan struct{}, 8)
	done := make(chan error, 1)
	go func() {
		done <- sc.Do(ctx, func() {
			sc.Range(0, 1<<40, 1, 8).Map(func(x int) int {
				if running.Add(1) == 1 {
					started <- struct{}{}
				}
				time.Sleep(time.Millisecond)
				return x
			}).Count()
		})
	}()
	<-started
	t0 := time.Now()
	cancel()
	err = <-done
	var ce *scheduler.JobCancelledError
	if !errors.As(err, &ce) {
		t.Fatalf("want JobCancelledError, got %v", err)
	}
	if d := time.Since(t0); d > 5*time.Second {
		t.Fatalf("cancellation took %v", d)
	}
	if got := sc.Range(0, 3).Count(); got != 3 {
		t.Fatalf("context unusable after cancel: %d", got)
	}
	sc.Stop()
	err = sc.Do(context.Background(), func() { sc.Range(0, 3).Count() })
	if !errors.Is(err, engine.ErrStopped) {
		t.Fatalf("action after Stop: %v, want ErrStopped", err)
	}
}

// TestInvalidatedFuncsRefuseToRun: after the shell stops its interpreter,
// RDDs built earlier refuse to run; new ones run.
func TestInvalidatedFuncsRefuseToRun(t *testing.T) {
	sc := newContext(t, engine.Conf{"spark.master": "local[1]"})
	old := sc.Range(0, 3).Map(func(x int) int { return x })
	sc.InvalidateFuncs()
	err := sc.Do(context.Background(), func() { old.Collect() })
	if err == nil || !strings.Contains(err.Error(), "re-run the cells that build it") {
		t.Fatalf("want a refusal, got %v", err)
	}
	if got := sc.Range(0, 3).Map(func(x int) int { return x }).Count(); got != 3 {
		t.Fatalf("new RDD: %d", got)
	}
}
