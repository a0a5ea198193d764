package shuffle

import (
	"bytes"
	"errors"
	"io"

	"gospark/engine/rdd"
)

// Read returns an iterator over reduce partition reduceID of dep, fetching
// from every map output in map order. It panics with a *FetchFailedError
// when a map output is missing or cannot be read.
func Read(tc *rdd.TaskContext, dep *rdd.ShuffleDependency, reduceID int, loc Locator, f Fetcher) rdd.Iterator {
	statuses, err := loc.MapStatuses(dep.ShuffleID)
	if err != nil {
		panic(&FetchFailedError{ShuffleID: dep.ShuffleID, MapIndex: -1, ReduceID: reduceID, Cause: err})
	}
	next := 0
	var cur rdd.RecordReader
	var curStatus *MapStatus
	return func() (any, bool) {
		for {
			if cur != nil {
				tc.Poll()
				x, err := cur.Read()
				if err == nil {
					return x, true
				}
				if !errors.Is(err, io.EOF) {
					panic(&FetchFailedError{ShuffleID: dep.ShuffleID, MapIndex: curStatus.MapIndex, ReduceID: reduceID,
						ExecutorID: curStatus.ExecutorID, Cause: err})
				}
				cur = nil
			}
			if next >= len(statuses) {
				return nil, false
			}
			st := statuses[next]
			next++
			if st.Sizes[reduceID] == 0 {
				continue
			}
			b, err := f.Fetch(st.ExecutorID, dep.ShuffleID, st.MapIndex, reduceID)
			if err != nil {
				panic(&FetchFailedError{ShuffleID: dep.ShuffleID, MapIndex: st.MapIndex, ReduceID: reduceID,
					ExecutorID: st.ExecutorID, Cause: err})
			}
			cur, curStatus = dep.Serializer.NewReader(bytes.NewReader(b)), st
		}
	}
}
