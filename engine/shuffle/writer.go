package shuffle

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"os"

	"gospark/engine/rdd"
)

// bucket collects the records of one reduce partition.
type bucket struct {
	records []any
}

// Write runs a map task's output side: it reads the task's partition of
// dep's parent, splits its records into the reduce partitions of dep,
// combining first when dep asks for it, writes them to the store and returns
// the task's MapStatus.
func (s *Store) Write(tc *rdd.TaskContext, dep *rdd.ShuffleDependency) (*MapStatus, error) {
	n := dep.Partitioner.NumPartitions()
	buckets := make([]bucket, n)
	if dep.MapSideCombine {
		for r, c := range dep.Aggregator.CombineByPartition(tc, dep.Parent, tc.PartitionID, dep.Partitioner) {
			if c != nil {
				recs := make([]any, 0, c.Len())
				c.Each(func(k, v any) { recs = append(recs, rdd.Pair{Key: k, Value: v}) })
				buckets[r].records = recs
			}
		}
		return s.commit(tc, dep, buckets)
	}
	it := tc.Iterator(dep.Parent, tc.PartitionID)
	sp := s.newSpiller(tc, dep)
	defer sp.cleanup()
	add := func(r int, rec any) {
		buckets[r].records = append(buckets[r].records, rec)
		if err := sp.added(buckets, rec); err != nil {
			panic(&rdd.UserPanicError{Value: err})
		}
	}
	if dep.MapSide != nil {
		dep.MapSide(tc, it, add)
	} else {
		for x, ok := it(); ok; x, ok = it() {
			p, isPair := x.(rdd.Pair)
			if !isPair {
				panic(notPair(x))
			}
			add(dep.Partitioner.Partition(p.Key), p)
		}
	}
	return s.commitSpilled(tc, dep, buckets, sp.files)
}

func notPair(x any) error {
	return &rdd.UsageError{Op: "shuffle", Msg: fmt.Sprintf("a pair operation met an element of type %T (%v); its RDD must hold Pairs — make them with MapPairs", x, x)}
}

// countingWriter counts the bytes written through it.
type countingWriter struct {
	w *bufio.Writer
	n int64
}

func (c *countingWriter) Write(b []byte) (int, error) {
	n, err := c.w.Write(b)
	c.n += int64(n)
	return n, err
}

// commit writes the buckets as one data file and an index of offsets, under
// names private to the attempt, then renames them into place: a reader sees
// either a whole map output or none.
func (s *Store) commit(tc *rdd.TaskContext, dep *rdd.ShuffleDependency, buckets []bucket) (*MapStatus, error) {
	return s.commitSpilled(tc, dep, buckets, nil)
}

// commitSpilled is commit for a task that spilled: each reduce partition's
// data is its segments of the spill files, in order, then its records still
// in memory.
func (s *Store) commitSpilled(tc *rdd.TaskContext, dep *rdd.ShuffleDependency, buckets []bucket, spills []*spillFile) (*MapStatus, error) {
	base := s.base(dep.ShuffleID, tc.PartitionID)
	tmp := fmt.Sprintf("%s.%d.tmp", base, tc.TaskAttemptID)
	f, err := os.Create(tmp + ".data")
	if err != nil {
		return nil, err
	}
	defer os.Remove(tmp + ".data")
	defer os.Remove(tmp + ".index")
	bw := bufio.NewWriterSize(f, 256<<10)
	cw := &countingWriter{w: bw}
	sizes := make([]int64, len(buckets))
	offsets := make([]byte, 8*(len(buckets)+1))
	for r := range buckets {
		start := cw.n
		for _, sf := range spills {
			if err := sf.copySegment(cw, r); err != nil {
				f.Close()
				return nil, err
			}
		}
		if len(buckets[r].records) > 0 {
			w := dep.Serializer.NewWriter(cw)
			for _, rec := range buckets[r].records {
				if err := w.Write(rec); err != nil {
					f.Close()
					return nil, fmt.Errorf("shuffle %d: writing a record: %w", dep.ShuffleID, err)
				}
			}
			if err := w.Flush(); err != nil {
				f.Close()
				return nil, err
			}
			buckets[r] = bucket{}
		}
		sizes[r] = cw.n - start
		binary.LittleEndian.PutUint64(offsets[8*(r+1):], uint64(cw.n))
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return nil, err
	}
	if err := f.Close(); err != nil {
		return nil, err
	}
	if err := os.WriteFile(tmp+".index", offsets, 0o644); err != nil {
		return nil, err
	}
	if err := os.Rename(tmp+".data", base+".data"); err != nil {
		return nil, err
	}
	if err := os.Rename(tmp+".index", base+".index"); err != nil {
		return nil, err
	}
	return &MapStatus{ExecutorID: tc.ExecutorID, MapIndex: tc.PartitionID, Sizes: sizes}, nil
}
