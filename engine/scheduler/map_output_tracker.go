package scheduler

import (
	"fmt"
	"sync"

	"gospark/engine/shuffle"
)

// MapOutputTracker records, for each shuffle, where every map partition's
// output lives. Reduce tasks ask it where to fetch from; the DAGScheduler
// asks it which map partitions are missing. Its epoch grows whenever outputs
// are lost, so that results computed before a loss can be recognised.
type MapOutputTracker struct {
	mu       sync.Mutex
	shuffles map[int][]*shuffle.MapStatus
	epoch    int64
}

// NewMapOutputTracker returns an empty tracker.
func NewMapOutputTracker() *MapOutputTracker {
	return &MapOutputTracker{shuffles: map[int][]*shuffle.MapStatus{}}
}

// RegisterShuffle declares a shuffle with numMaps map partitions. It keeps
// the outputs of a shuffle that is already registered.
func (t *MapOutputTracker) RegisterShuffle(shuffleID, numMaps int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if _, ok := t.shuffles[shuffleID]; !ok {
		t.shuffles[shuffleID] = make([]*shuffle.MapStatus, numMaps)
	}
}

// Contains reports whether the shuffle is registered.
func (t *MapOutputTracker) Contains(shuffleID int) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	_, ok := t.shuffles[shuffleID]
	return ok
}

// RegisterMapOutput records one map partition's output.
func (t *MapOutputTracker) RegisterMapOutput(shuffleID int, s *shuffle.MapStatus) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if outs, ok := t.shuffles[shuffleID]; ok && s.MapIndex < len(outs) {
		outs[s.MapIndex] = s
	}
}

// UnregisterMapOutput forgets one map output if it is still the one on
// executorID.
func (t *MapOutputTracker) UnregisterMapOutput(shuffleID, mapIndex int, executorID string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	outs := t.shuffles[shuffleID]
	if mapIndex >= 0 && mapIndex < len(outs) && outs[mapIndex] != nil && outs[mapIndex].ExecutorID == executorID {
		outs[mapIndex] = nil
		t.epoch++
	}
}

// RemoveOutputsOnExecutor forgets every output held by executorID and
// returns how many there were.
func (t *MapOutputTracker) RemoveOutputsOnExecutor(executorID string) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := 0
	for _, outs := range t.shuffles {
		for i, s := range outs {
			if s != nil && s.ExecutorID == executorID {
				outs[i] = nil
				n++
			}
		}
	}
	t.epoch++
	return n
}

// UnregisterShuffle forgets a shuffle.
func (t *MapOutputTracker) UnregisterShuffle(shuffleID int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.shuffles, shuffleID)
}

// MissingPartitions returns the map partitions without an output.
func (t *MapOutputTracker) MissingPartitions(shuffleID int) []int {
	t.mu.Lock()
	defer t.mu.Unlock()
	var out []int
	for i, s := range t.shuffles[shuffleID] {
		if s == nil {
			out = append(out, i)
		}
	}
	return out
}

// NumAvailable returns how many map partitions have an output.
func (t *MapOutputTracker) NumAvailable(shuffleID int) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	n := 0
	for _, s := range t.shuffles[shuffleID] {
		if s != nil {
			n++
		}
	}
	return n
}

// MapStatuses implements shuffle.Locator: the outputs of every map
// partition, or an error naming the first missing one.
func (t *MapOutputTracker) MapStatuses(shuffleID int) ([]*shuffle.MapStatus, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	outs, ok := t.shuffles[shuffleID]
	if !ok {
		return nil, fmt.Errorf("shuffle %d is not registered", shuffleID)
	}
	for i, s := range outs {
		if s == nil {
			return nil, fmt.Errorf("missing an output location for shuffle %d map partition %d", shuffleID, i)
		}
	}
	return append([]*shuffle.MapStatus(nil), outs...), nil
}

// Epoch returns the current epoch.
func (t *MapOutputTracker) Epoch() int64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.epoch
}
