// Package executor runs tasks. An Executor has a number of task slots, a
// block manager for cached partitions and a shuffle store for map outputs.
// It resolves a task's RDD, shuffle and result operator by id through its
// Lineage, runs the task on its own goroutine with accumulator updates bound
// to it, and reports a TaskResult. Every panic raised while a task runs —
// in user code or not — is recovered and reported as the task's failure; no
// task can crash the process.
package executor

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"sync"
	"time"

	"gospark/engine/accum"
	"gospark/engine/rdd"
	"gospark/engine/scheduler"
	"gospark/engine/shuffle"
	"gospark/engine/storage"
)

// Lineage resolves the ids that tasks carry.
type Lineage interface {
	RDD(id int) (*rdd.RDD, error)
	Shuffle(id int) (*rdd.ShuffleDependency, error)
	ResultOp(id int) (rdd.ResultOp, error)
}

// Env is what an executor needs from the rest of the application.
type Env struct {
	Lineage Lineage
	// Locator tells where map outputs are (the driver's MapOutputTracker).
	Locator shuffle.Locator
	// Fetcher reads map outputs held by other executors.
	Fetcher shuffle.Fetcher
	// Blocks receives block status updates (the driver's BlockManagerMaster).
	Blocks storage.Reporter
}

// Config describes an executor.
type Config struct {
	ID     string
	Host   string
	Cores  int
	Dir    string // local directory for blocks and shuffle files
	Memory int64  // bytes of block storage memory
}

// Executor runs tasks and keeps their blocks.
type Executor struct {
	cfg    Config
	env    Env
	bm     *storage.BlockManager
	store  *shuffle.Store
	report func(*scheduler.TaskResult)

	mu      sync.Mutex
	running map[int64]context.CancelCauseFunc
	stopped bool
	wg      sync.WaitGroup
}

// New creates an executor that reports task results to report.
func New(cfg Config, env Env, report func(*scheduler.TaskResult)) (*Executor, error) {
	bm, err := storage.NewBlockManager(cfg.ID, filepath.Join(cfg.Dir, "blocks"), cfg.Memory, env.Blocks)
	if err != nil {
		return nil, fmt.Errorf("executor %s: %w", cfg.ID, err)
	}
	store, err := shuffle.NewStore(filepath.Join(cfg.Dir, "shuffle"))
	if err != nil {
		return nil, fmt.Errorf("executor %s: %w", cfg.ID, err)
	}
	bm.SetShuffleResolver(store)
	// A map task may buffer about its share of the executor's memory
	// before spilling.
	store.SpillThreshold = cfg.Memory / int64(max(cfg.Cores, 1))
	return &Executor{cfg: cfg, env: env, bm: bm, store: store, report: report, running: map[int64]context.CancelCauseFunc{}}, nil
}

// ID returns the executor's id.
func (e *Executor) ID() string { return e.cfg.ID }

// Info describes the executor to the scheduler.
func (e *Executor) Info() scheduler.ExecutorInfo {
	return scheduler.ExecutorInfo{ID: e.cfg.ID, Host: e.cfg.Host, Cores: e.cfg.Cores}
}

// BlockManager returns the executor's block manager.
func (e *Executor) BlockManager() *storage.BlockManager { return e.bm }

// errKilled is the cause of a task killed on request.
var errKilled = errors.New("killed on request")

// Launch starts t on its own goroutine.
func (e *Executor) Launch(t *scheduler.Task) {
	e.mu.Lock()
	if e.stopped {
		e.mu.Unlock()
		return
	}
	ctx, cancel := context.WithCancelCause(context.Background())
	e.running[t.ID] = cancel
	e.wg.Add(1)
	e.mu.Unlock()
	go func() {
		r := e.run(ctx, t)
		e.mu.Lock()
		delete(e.running, t.ID)
		stopped := e.stopped
		e.mu.Unlock()
		cancel(nil)
		// Done before reporting: the report may run scheduler code that
		// stops this very executor (a test's fault injection), and Stop
		// waits only for tasks, not for reports. A report racing with Stop
		// names a task the scheduler has already written off.
		e.wg.Done()
		if !stopped {
			e.report(r)
		}
	}()
}

// Kill asks a running task to stop; it ends at its next poll.
func (e *Executor) Kill(taskID int64, reason string) {
	e.mu.Lock()
	cancel := e.running[taskID]
	e.mu.Unlock()
	if cancel != nil {
		cancel(fmt.Errorf("%w: %s", errKilled, reason))
	}
}

// Stop kills every task, waits for them, and deletes the executor's blocks
// and shuffle files. Results of the killed tasks are not reported.
func (e *Executor) Stop() {
	e.mu.Lock()
	e.stopped = true
	for _, cancel := range e.running {
		cancel(errors.New("executor stopped"))
	}
	e.mu.Unlock()
	e.wg.Wait()
	e.bm.Stop()
	os.RemoveAll(e.cfg.Dir)
}

// Fetch reads a block of one of this executor's map outputs, through its
// block manager.
func (e *Executor) Fetch(shuffleID, mapIndex, reduceID int) ([]byte, error) {
	return e.bm.ShuffleBlockData(storage.ShuffleBlockID(shuffleID, mapIndex, reduceID))
}

// run runs one task attempt and returns its result.
func (e *Executor) run(ctx context.Context, t *scheduler.Task) (res *scheduler.TaskResult) {
	start := time.Now()
	res = &scheduler.TaskResult{TaskID: t.ID, ExecutorID: e.cfg.ID}
	tc := &rdd.TaskContext{Context: ctx, StageID: t.StageID, StageAttempt: t.StageAttempt, PartitionID: t.Partition,
		AttemptNumber: t.Attempt, TaskAttemptID: t.ID, ExecutorID: e.cfg.ID, Env: e}
	tc.Watch()
	updates := accum.NewUpdates()
	unbind := accum.Bind(updates)
	defer func() {
		if p := recover(); p != nil {
			res.State, res.Err = classify(ctx, p)
			res.Value, res.MapStatus = nil, nil
		} else if ctx.Err() != nil && res.State != scheduler.TaskFinished {
			res.State, res.Err = scheduler.TaskKilled, context.Cause(ctx)
		}
		unbind()
		func() {
			defer func() { recover() }() // a failing cleanup must not mask the result
			tc.Complete()
		}()
		res.Accums = updates
		res.Metrics.RunTime = time.Since(start)
	}()
	r, err := e.env.Lineage.RDD(t.RDDID)
	if err != nil {
		res.State, res.Err = scheduler.TaskFailed, &scheduler.TaskError{Err: err}
		return res
	}
	switch t.Kind {
	case scheduler.ShuffleMapTask:
		dep, err := e.env.Lineage.Shuffle(t.ShuffleID)
		if err != nil {
			res.State, res.Err = scheduler.TaskFailed, &scheduler.TaskError{Err: err}
			return res
		}
		st, err := e.store.Write(tc, dep)
		if err != nil {
			res.State, res.Err = scheduler.TaskFailed, &scheduler.TaskError{Err: err}
			return res
		}
		res.MapStatus = st
	case scheduler.ResultTask:
		op, err := e.env.Lineage.ResultOp(t.ResultOpID)
		if err != nil {
			res.State, res.Err = scheduler.TaskFailed, &scheduler.TaskError{Err: err}
			return res
		}
		res.Value = op.Run(tc, tc.Iterator(r, t.Partition))
	}
	res.State = scheduler.TaskFinished
	return res
}

// classify turns a panic raised while a task ran into the task's end state.
func classify(ctx context.Context, p any) (scheduler.TaskState, error) {
	switch x := p.(type) {
	case *rdd.TaskKilledError:
		return scheduler.TaskKilled, x
	case *shuffle.FetchFailedError:
		return scheduler.TaskFailed, x
	case *rdd.UserPanicError:
		return scheduler.TaskFailed, &scheduler.TaskError{Err: x, Stack: x.Stack}
	case error:
		if ctx.Err() != nil {
			return scheduler.TaskKilled, context.Cause(ctx)
		}
		return scheduler.TaskFailed, &scheduler.TaskError{Err: x, Stack: string(debug.Stack())}
	}
	if ctx.Err() != nil {
		return scheduler.TaskKilled, context.Cause(ctx)
	}
	stack := string(debug.Stack())
	return scheduler.TaskFailed, &scheduler.TaskError{Err: &rdd.UserPanicError{Value: p, Stack: stack}, Stack: stack}
}

// GetOrCompute implements rdd.TaskEnv.
func (e *Executor) GetOrCompute(tc *rdd.TaskContext, r *rdd.RDD, split int) rdd.Iterator {
	vals, _, err := e.bm.GetOrElseUpdate(storage.RDDBlockID(r.ID(), split), r.StorageLevel(), func() []any {
		return rdd.Drain(r.Compute(tc, split))
	})
	if err != nil {
		panic(&rdd.UserPanicError{Value: fmt.Errorf("caching %s partition %d: %w", r, split, err)})
	}
	return rdd.SliceIterator(vals)
}

// ShuffleRead implements rdd.TaskEnv.
func (e *Executor) ShuffleRead(tc *rdd.TaskContext, dep *rdd.ShuffleDependency, reduceID int) rdd.Iterator {
	return shuffle.Read(tc, dep, reduceID, e.env.Locator, fetcher{e})
}

// fetcher reads this executor's own outputs directly and asks the Env's
// Fetcher for the others.
type fetcher struct{ e *Executor }

func (f fetcher) Fetch(executorID string, shuffleID, mapIndex, reduceID int) ([]byte, error) {
	if executorID == f.e.cfg.ID {
		return f.e.Fetch(shuffleID, mapIndex, reduceID)
	}
	if f.e.env.Fetcher == nil {
		return nil, fmt.Errorf("no route to executor %s", executorID)
	}
	return f.e.env.Fetcher.Fetch(executorID, shuffleID, mapIndex, reduceID)
}

// ShuffleSpills returns how many times this executor's map tasks spilled.
func (e *Executor) ShuffleSpills() int64 { return e.store.Spills() }

// RemoveShuffle deletes this executor's files of a shuffle.
func (e *Executor) RemoveShuffle(shuffleID int) { e.store.Remove(shuffleID) }
