package rdd

import (
	"context"
	"sync/atomic"
)

// Context is what RDDs need from the driver: identifiers, defaults, and a way
// to run jobs. engine.Context implements it; the scheduler never sees it.
type Context interface {
	// NewRDDID returns a fresh RDD id.
	NewRDDID() int
	// NewShuffleID returns a fresh shuffle id.
	NewShuffleID() int
	// DefaultParallelism is the partition count used when none is given.
	DefaultParallelism() int
	// RegisterRDD makes r resolvable by id for executors.
	RegisterRDD(r *RDD)
	// RegisterShuffle makes d resolvable by shuffle id for executors.
	RegisterShuffle(d *ShuffleDependency)
	// RunJob runs op on the given partitions of r and calls handler with
	// each partition's result as it arrives (from one goroutine at a time).
	RunJob(r *RDD, op ResultOp, partitions []int, handler func(partition int, result any)) error
	// Unpersist drops r's cached blocks everywhere.
	Unpersist(r *RDD)
	// CallSite names the user's code that is calling into the engine now,
	// e.g. "cell 3:1" or "wordcount.go:21".
	CallSite() string
}

// ResultOp computes a result task's value from its partition. Implementations
// are plain values (an operator kind and its arguments), so that a task
// carries a reference to one rather than a closure over driver state.
type ResultOp interface {
	Run(tc *TaskContext, it Iterator) any
}

// TaskEnv is what a running task needs from its executor.
type TaskEnv interface {
	// GetOrCompute returns the iterator of a persisted RDD's partition from
	// the block manager, computing and storing it on a miss.
	GetOrCompute(tc *TaskContext, r *RDD, split int) Iterator
	// ShuffleRead returns the records of reduce partition reduceID of dep,
	// fetched from every map output. It panics with a TaskSignal when a map
	// output cannot be fetched.
	ShuffleRead(tc *TaskContext, dep *ShuffleDependency, reduceID int) Iterator
}

// TaskContext describes the running task to the code that computes it.
type TaskContext struct {
	// Context is cancelled when the task is killed.
	Context context.Context
	// StageID, StageAttempt and PartitionID place the task in its job.
	StageID, StageAttempt, PartitionID int
	// AttemptNumber counts the tries of this partition in this stage attempt, from 0.
	AttemptNumber int
	// TaskAttemptID is unique within the application.
	TaskAttemptID int64
	// ExecutorID names the executor running the task.
	ExecutorID string
	// Env gives access to the executor's block manager and shuffle reader.
	Env TaskEnv

	completions []func()
	killed      atomic.Bool
	stopWatch   func() bool
}

// Watch makes the task see its context's cancellation at its next Poll. The
// executor calls it once when the task starts.
func (tc *TaskContext) Watch() {
	if tc.Context != nil {
		tc.stopWatch = context.AfterFunc(tc.Context, func() { tc.killed.Store(true) })
	}
}

// Iterator returns the elements of partition split of r, reading r's cached
// blocks when r is persisted.
func (tc *TaskContext) Iterator(r *RDD, split int) Iterator {
	if r.StorageLevel().IsValid() && tc.Env != nil {
		return tc.Env.GetOrCompute(tc, r, split)
	}
	return r.Compute(tc, split)
}

// ShuffleRead returns reduce partition reduceID of dep's shuffle output.
func (tc *TaskContext) ShuffleRead(dep *ShuffleDependency, reduceID int) Iterator {
	return tc.Env.ShuffleRead(tc, dep, reduceID)
}

// OnCompletion registers f to run when the task ends, successfully or not.
func (tc *TaskContext) OnCompletion(f func()) { tc.completions = append(tc.completions, f) }

// Complete runs the completion callbacks, last registered first.
func (tc *TaskContext) Complete() {
	if tc.stopWatch != nil {
		tc.stopWatch()
	}
	for i := len(tc.completions) - 1; i >= 0; i-- {
		tc.completions[i]()
	}
	tc.completions = nil
}

// Poll panics with a TaskKilledError when the task has been killed. Source
// iterators call it for every element: it is one atomic load.
func (tc *TaskContext) Poll() {
	if tc.killed.Load() {
		panic(&TaskKilledError{Reason: context.Cause(tc.Context).Error()})
	}
}
