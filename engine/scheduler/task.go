// Package scheduler plans and runs jobs, after Spark's: the DAGScheduler cuts
// an RDD lineage into stages at shuffle dependencies and submits each stage's
// missing partitions as a TaskSet; the TaskScheduler hands tasks to executor
// slots through a SchedulerBackend, preferring executors that hold the data,
// retrying failed tasks, and reporting back. The MapOutputTracker records
// where each shuffle's map outputs live.
//
// The DAGScheduler owns its state in one event-loop goroutine; everything
// else posts events to it. Tasks are plain values — ids, a partition, and
// references to the RDD and result operator by id — so the same scheduler
// can drive in-process executors and remote ones.
package scheduler

import (
	"fmt"
	"time"

	"gospark/engine/accum"
	"gospark/engine/shuffle"
)

// TaskKind says what a task produces.
type TaskKind uint8

// The task kinds.
const (
	// ShuffleMapTask computes a partition and writes it as shuffle output.
	ShuffleMapTask TaskKind = iota + 1
	// ResultTask computes a partition and returns a value to the driver.
	ResultTask
)

func (k TaskKind) String() string {
	if k == ShuffleMapTask {
		return "ShuffleMapTask"
	}
	return "ResultTask"
}

// Task is one unit of work: a partition of a stage's RDD. It refers to the
// RDD, the shuffle and the result operator by id; executors resolve the ids
// through their Lineage.
type Task struct {
	ID           int64
	JobID        int
	StageID      int
	StageAttempt int
	Partition    int
	// Index is the task's position in its TaskSet.
	Index int
	// Attempt counts the tries of this partition within the stage attempt.
	Attempt int
	Kind    TaskKind
	RDDID   int
	// ShuffleID is the shuffle a ShuffleMapTask writes.
	ShuffleID int
	// ResultOpID names the operator a ResultTask applies.
	ResultOpID int
	// ShuffleInput is true when the task reads shuffle output.
	ShuffleInput bool
	// Preferred lists the executors that hold the task's input.
	Preferred []string
	// Epoch is the map output epoch when the task was created.
	Epoch int64
	// Properties are the job's local properties (job group, description).
	Properties map[string]string
}

func (t *Task) String() string {
	return fmt.Sprintf("task %d.%d in stage %d.%d (TID %d)", t.Partition, t.Attempt, t.StageID, t.StageAttempt, t.ID)
}

// TaskState is how a task attempt ended.
type TaskState uint8

// The end states of a task attempt.
const (
	TaskFinished TaskState = iota + 1
	// TaskFailed: the task's code failed; counts toward spark.task.maxFailures.
	TaskFailed
	// TaskKilled: the task was killed on request; not counted.
	TaskKilled
	// TaskLost: the executor went away; not counted.
	TaskLost
)

func (s TaskState) String() string {
	return [...]string{"", "FINISHED", "FAILED", "KILLED", "LOST"}[s]
}

// TaskMetrics are measurements of one task attempt.
type TaskMetrics struct {
	RunTime time.Duration
}

// TaskResult is what an executor reports when a task attempt ends.
type TaskResult struct {
	TaskID     int64
	ExecutorID string
	State      TaskState
	// Value is a ResultTask's value.
	Value any
	// MapStatus is a ShuffleMapTask's output.
	MapStatus *shuffle.MapStatus
	// Accums holds the attempt's accumulator updates; the driver merges
	// them only if it accepts the result.
	Accums *accum.Updates
	// Err says why a task did not finish: a *TaskError, a
	// *shuffle.FetchFailedError, or the reason of a kill or loss.
	Err     error
	Metrics TaskMetrics
}

// TaskError is a failure of a task's own code: a user func that panicked, a
// file that could not be read.
type TaskError struct {
	// Err is the error, usually an *rdd.UserPanicError.
	Err error
	// Stack is the stack of the failure, when known.
	Stack string
}

func (e *TaskError) Error() string { return e.Err.Error() }

// Unwrap returns the underlying error.
func (e *TaskError) Unwrap() error { return e.Err }

// TaskSet is the tasks of one attempt of a stage.
type TaskSet struct {
	StageID, StageAttempt int
	// Priority orders task sets: lower first (the job id, FIFO).
	Priority int
	Tasks    []*Task
	// Name describes the stage for messages.
	Name string
}
