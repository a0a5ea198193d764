package scheduler

import (
	"errors"
	"fmt"
)

// JobFailedError reports a job that failed because one of its stages did:
// a task failed spark.task.maxFailures times, or a stage kept losing its
// shuffle input.
type JobFailedError struct {
	JobID int
	// Stage is the stage that failed, e.g. "stage 2 (ReduceByKey at cell 3:1)".
	Stage   string
	StageID int
	// Partition is the failing task's partition, or -1.
	Partition int
	// Attempts is how many times that task ran.
	Attempts int
	// Reason describes the last failure.
	Reason string
	// Cause is the last task failure, when there was one.
	Cause error
}

func (e *JobFailedError) Error() string {
	if e.Partition < 0 {
		return fmt.Sprintf("job %d aborted: %s failed: %s", e.JobID, e.Stage, e.Reason)
	}
	return fmt.Sprintf("job %d aborted: %s, partition %d failed %d time(s); last failure: %s", e.JobID, e.Stage, e.Partition, e.Attempts, e.Reason)
}

// Unwrap returns the last task failure.
func (e *JobFailedError) Unwrap() error { return e.Cause }

// JobCancelledError reports a job that was cancelled.
type JobCancelledError struct {
	JobID  int
	Reason string
}

func (e *JobCancelledError) Error() string {
	return fmt.Sprintf("job %d cancelled: %s", e.JobID, e.Reason)
}

// ErrStopped is returned for jobs submitted to, or running in, a stopped
// scheduler.
var ErrStopped = errors.New("the context is stopped (sc.Stop() was called); create a new one")
