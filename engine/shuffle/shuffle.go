// Package shuffle moves records between stages. A map task splits its
// partition into one bucket per reduce partition (combining values of equal
// keys first when the dependency asks for it) and writes all buckets into one
// data file with an index of where each starts, like Spark's sort shuffle.
// Reduce tasks fetch their bucket from every map output through a Fetcher;
// any failure to fetch becomes a FetchFailedError, which sends the scheduler
// back to recompute the lost map output.
package shuffle

import (
	"fmt"
)

// MapStatus is what a finished map task reports: where its output lives and
// how many bytes each reduce partition has there.
type MapStatus struct {
	ExecutorID string
	MapIndex   int
	Sizes      []int64
}

// FetchFailedError reports a map output that a reduce task could not read.
type FetchFailedError struct {
	ShuffleID  int
	MapIndex   int // -1 when the map output was not registered at all
	ReduceID   int
	ExecutorID string
	Cause      error
}

func (e *FetchFailedError) Error() string {
	if e.MapIndex < 0 {
		return fmt.Sprintf("fetch failed: shuffle %d has no output for reduce partition %d: %v", e.ShuffleID, e.ReduceID, e.Cause)
	}
	return fmt.Sprintf("fetch failed: shuffle %d map %d reduce %d on executor %s: %v", e.ShuffleID, e.MapIndex, e.ReduceID, e.ExecutorID, e.Cause)
}

// Unwrap returns the cause.
func (e *FetchFailedError) Unwrap() error { return e.Cause }

// TaskSignal marks the error as one the engine raises on purpose.
func (e *FetchFailedError) TaskSignal() {}

// Fetcher reads one reduce partition's bytes of one map output from the
// executor that wrote it.
type Fetcher interface {
	Fetch(executorID string, shuffleID, mapIndex, reduceID int) ([]byte, error)
}

// Locator returns the map outputs of a shuffle, one per map partition; it
// returns an error when any is missing.
type Locator interface {
	MapStatuses(shuffleID int) ([]*MapStatus, error)
}
