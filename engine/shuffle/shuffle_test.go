package shuffle

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"testing"

	"gospark/engine/rdd"
)

// fakeCtx is the minimum rdd.Context for building a ShuffleDependency.
type fakeCtx struct{ next int }

func (c *fakeCtx) NewRDDID() int                          { c.next++; return c.next }
func (c *fakeCtx) NewShuffleID() int                      { c.next++; return c.next }
func (c *fakeCtx) DefaultParallelism() int                { return 2 }
func (c *fakeCtx) RegisterRDD(*rdd.RDD)                   {}
func (c *fakeCtx) RegisterShuffle(*rdd.ShuffleDependency) {}
func (c *fakeCtx) Unpersist(*rdd.RDD)                     {}
func (c *fakeCtx) CallSite() string                       { return "test" }
func (c *fakeCtx) RunJob(*rdd.RDD, rdd.ResultOp, []int, func(int, any)) error {
	return errors.New("no jobs here")
}

type statuses []*MapStatus

func (s statuses) MapStatuses(int) ([]*MapStatus, error) { return s, nil }

type storeFetcher map[string]*Store

func (f storeFetcher) Fetch(exec string, sid, m, r int) ([]byte, error) {
	s, ok := f[exec]
	if !ok {
		return nil, fmt.Errorf("executor %s is lost", exec)
	}
	return s.Block(sid, m, r)
}

func TestWriteAndReadWithCombine(t *testing.T) {
	ctx := &fakeCtx{}
	var recs []rdd.Pair
	for i := 0; i < 200; i++ {
		recs = append(recs, rdd.Pair{Key: fmt.Sprint("k", i%7), Value: 1})
	}
	parent := rdd.Parallelize(ctx, recs, 2)
	sum := func(a, b any) any { return a.(int) + b.(int) }
	dep := rdd.NewShuffleDependency(parent, rdd.NewHashPartitioner(3),
		&rdd.Aggregator{CreateCombiner: func(v any) any { return v }, MergeValue: sum, MergeCombiners: sum}, true)
	stores := storeFetcher{}
	var sts statuses
	for m, exec := range []string{"a", "b"} {
		s, err := NewStore(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		stores[exec] = s
		tc := &rdd.TaskContext{Context: context.Background(), PartitionID: m, TaskAttemptID: int64(m), ExecutorID: exec}
		st, err := s.Write(tc, dep)
		if err != nil {
			t.Fatal(err)
		}
		sts = append(sts, st)
	}
	total := map[any]int{}
	for r := 0; r < 3; r++ {
		tc := &rdd.TaskContext{Context: context.Background()}
		it := dep.Aggregator.CombineCombiners(Read(tc, dep, r, sts, stores))
		for x, ok := it(); ok; x, ok = it() {
			p := x.(rdd.Pair)
			if rdd.NewHashPartitioner(3).Partition(p.Key) != r {
				t.Fatalf("key %v in reduce partition %d", p.Key, r)
			}
			total[p.Key] += p.Value.(int)
		}
	}
	if len(total) != 7 || total["k0"] != 29 || total["k6"] != 28 {
		t.Fatalf("totals %v", total)
	}

	// A lost executor turns into a FetchFailedError naming the map output.
	delete(stores, "b")
	tc := &rdd.TaskContext{Context: context.Background()}
	var ff *FetchFailedError
	func() {
		defer func() {
			e, _ := recover().(error)
			errors.As(e, &ff)
		}()
		rdd.Drain(Read(tc, dep, 0, sts, stores))
	}()
	if ff == nil || ff.MapIndex != 1 || ff.ExecutorID != "b" || ff.ShuffleID != dep.ShuffleID {
		t.Fatalf("want FetchFailedError for map 1 on b, got %+v", ff)
	}
}

func TestEmptyBucketsAreSkipped(t *testing.T) {
	ctx := &fakeCtx{}
	dep := rdd.NewShuffleDependency(rdd.Parallelize(ctx, []rdd.Pair{{Key: 1, Value: "x"}}, 1), rdd.NewHashPartitioner(4), nil, false)
	s, _ := NewStore(t.TempDir())
	tc := &rdd.TaskContext{Context: context.Background(), ExecutorID: "a"}
	st, err := s.Write(tc, dep)
	if err != nil {
		t.Fatal(err)
	}
	nonEmpty := slices.IndexFunc(st.Sizes, func(n int64) bool { return n > 0 })
	for r := 0; r < 4; r++ {
		got := rdd.Drain(Read(tc, dep, r, statuses{st}, storeFetcher{"a": s}))
		if (r == nonEmpty) != (len(got) == 1) {
			t.Fatalf("reduce %d read %v (sizes %v)", r, got, st.Sizes)
		}
	}
}

// TestSpillKeepsEveryRecord forces many spills and checks that every
// reduce partition reads back all its records, in order.
func TestSpillKeepsEveryRecord(t *testing.T) {
	ctx := &fakeCtx{}
	var recs []rdd.Pair
	for i := 0; i < 20000; i++ {
		recs = append(recs, rdd.Pair{Key: i % 13, Value: fmt.Sprintf("value-%d", i)})
	}
	dep := rdd.NewShuffleDependency(rdd.Parallelize(ctx, recs, 1), rdd.NewHashPartitioner(3), nil, false)
	s, _ := NewStore(t.TempDir())
	s.SpillThreshold = 64 << 10
	tc := &rdd.TaskContext{Context: context.Background(), ExecutorID: "a"}
	st, err := s.Write(tc, dep)
	if err != nil {
		t.Fatal(err)
	}
	var got int
	last := map[any]int{}
	for r := 0; r < 3; r++ {
		for _, x := range rdd.Drain(Read(tc, dep, r, statuses{st}, storeFetcher{"a": s})) {
			p := x.(rdd.Pair)
			var n int
			fmt.Sscanf(p.Value.(string), "value-%d", &n)
			if prev, ok := last[p.Key]; ok && n <= prev {
				t.Fatalf("key %v: value %d after %d: order lost across spills", p.Key, n, prev)
			}
			last[p.Key] = n
			got++
		}
	}
	if got != len(recs) {
		t.Fatalf("read %d records, wrote %d", got, len(recs))
	}
	if s.Spills() < 3 {
		t.Fatalf("the task spilled %d times; the threshold should have forced several spills", s.Spills())
	}
	if ents, _ := os.ReadDir(s.Dir()); len(ents) != 2 {
		t.Fatalf("store holds %d files after commit, want the data and index only", len(ents))
	}
}
