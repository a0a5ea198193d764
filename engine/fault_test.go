package engine_test

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"gospark/engine"
	"gospark/engine/enginetest"
	"gospark/engine/rdd"
	"gospark/engine/scheduler"
	"gospark/engine/storage"
)

// recorder keeps the scheduler events of a context.
type recorder struct {
	mu     sync.Mutex
	events []scheduler.Event
}

func record(sc *engine.Context) *recorder {
	r := &recorder{}
	sc.AddListener(scheduler.ListenerFunc(func(e scheduler.Event) {
		r.mu.Lock()
		r.events = append(r.events, e)
		r.mu.Unlock()
	}))
	return r
}

func (r *recorder) submitted() []scheduler.StageInfo {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []scheduler.StageInfo
	for _, e := range r.events {
		if s, ok := e.(scheduler.StageSubmitted); ok {
			out = append(out, s.Stage)
		}
	}
	return out
}

func (r *recorder) reset() {
	r.mu.Lock()
	r.events = nil
	r.mu.Unlock()
}

func newContext(t *testing.T, conf engine.Conf) *engine.Context {
	t.Helper()
	sc, err := engine.NewContext(conf)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sc.Stop)
	return sc
}

// TestLostMapOutputIsRecomputed kills an executor holding map outputs just
// before the reducers start: their fetches fail, the map stage is
// resubmitted for the lost partitions only, and the answer is unchanged.
func TestLostMapOutputIsRecomputed(t *testing.T) {
	sc := newContext(t, engine.Conf{"spark.master": "local-cluster[3,1,128]", "spark.locality.wait": "0"})
	rec := record(sc)
	chaos := enginetest.NewChaos(sc)
	chaos.Arm()
	counts := sc.Range(0, 6000, 1, 6).MapPairs(func(x int) (int, int) { return x % 10, 1 }).
		ReduceByKey(func(a, b int) int { return a + b }, 3)
	got := sorted(counts.Collect())
	want := make([]any, 10)
	for i := range want {
		want[i] = engine.Pair{Key: i, Value: 600}
	}
	if !slices.EqualFunc(got, want, func(a, b any) bool { return a == b }) {
		t.Fatalf("got %v, want %v", got, want)
	}
	if len(chaos.Killed()) != 1 {
		t.Fatalf("killed %v, want one executor", chaos.Killed())
	}
	sc.WaitForEvents()
	var mapAttempts, reduceAttempts []int
	for _, s := range rec.submitted() {
		if s.ShuffleMap {
			mapAttempts = append(mapAttempts, s.Attempt)
			if s.Attempt > 0 && s.NumTasks >= 6 {
				t.Errorf("resubmitted map stage ran all %d tasks; only the lost partitions should run", s.NumTasks)
			}
		} else {
			reduceAttempts = append(reduceAttempts, s.Attempt)
		}
	}
	if !slices.Equal(mapAttempts, []int{0, 1}) || !slices.Equal(reduceAttempts, []int{0, 1}) {
		t.Fatalf("stage attempts: map %v reduce %v; want a fetch failure to resubmit both once", mapAttempts, reduceAttempts)
	}
}

// TestMapStageReusedAcrossJobs: a second action on a shuffled RDD skips the
// map stage whose outputs exist.
func TestMapStageReusedAcrossJobs(t *testing.T) {
	sc := newContext(t, engine.Conf{"spark.master": "local[2]"})
	rec := record(sc)
	counts := wordCounts(sc)
	counts.Count()
	sc.WaitForEvents()
	if n := len(rec.submitted()); n != 2 {
		t.Fatalf("first job ran %d stages, want 2", n)
	}
	rec.reset()
	if got := counts.Count(); got != 12 {
		t.Fatalf("count %d, want 12", got)
	}
	sc.WaitForEvents()
	if s := rec.submitted(); len(s) != 1 || s[0].ShuffleMap {
		t.Fatalf("second job ran %v; want only the result stage", s)
	}
}

// TestCachedRDDSkipsLineage: once an RDD after a shuffle is fully cached, a
// job on it runs no map stage; after its executor is lost, the blocks are
// recomputed from lineage.
func TestCachedRDDSkipsLineage(t *testing.T) {
	sc := newContext(t, engine.Conf{"spark.master": "local-cluster[2,1,128]", "spark.locality.wait": "0"})
	rec := record(sc)
	evens := sc.Range(0, 100, 1, 4).Filter(func(x int) bool { return x%2 == 0 }).Cache()
	if n := evens.Count(); n != 50 {
		t.Fatalf("count %d", n)
	}
	// Drop the map outputs of a shuffle on top, then cache its result.
	summed := evens.KeyBy(func(x int) int { return x % 5 }).ReduceByKey(func(a, b int) int { return a + b }).Cache()
	first := sorted(summed.Collect())
	sc.WaitForEvents()
	rec.reset()
	if got := sorted(summed.Collect()); !slices.EqualFunc(got, first, func(a, b any) bool { return a == b }) {
		t.Fatalf("cached answer changed: %v vs %v", got, first)
	}
	sc.WaitForEvents()
	if s := rec.submitted(); len(s) != 1 || s[0].ShuffleMap {
		t.Fatalf("job on a fully cached RDD ran %v; want the result stage only", s)
	}
	// Lose an executor with cached blocks and shuffle outputs.
	if err := sc.Cluster().Kill(sc.Cluster().Executors()[0]); err != nil {
		t.Fatal(err)
	}
	if got := sorted(summed.Collect()); !slices.EqualFunc(got, first, func(a, b any) bool { return a == b }) {
		t.Fatalf("answer after losing an executor: %v, want %v", got, first)
	}
	if n := evens.Count(); n != 50 {
		t.Fatalf("count after loss %d", n)
	}
}

// TestLocalityPrefersCachedBlocks: tasks on a cached RDD run where its
// blocks are.
func TestLocalityPrefersCachedBlocks(t *testing.T) {
	sc := newContext(t, engine.Conf{"spark.master": "local-cluster[3,1,128]", "spark.locality.wait": "5s"})
	rec := record(sc)
	r := sc.Range(0, 60, 1, 6).Cache()
	r.Count()
	sc.WaitForEvents()
	where := map[int]string{}
	for _, e := range rec.events {
		if te, ok := e.(scheduler.TaskEnd); ok {
			where[te.Task.Partition] = te.Task.ExecutorID
		}
	}
	rec.reset()
	r.Map(func(x int) int { return x + 1 }).Count()
	sc.WaitForEvents()
	for _, e := range rec.events {
		if te, ok := e.(scheduler.TaskEnd); ok && te.Task.ExecutorID != where[te.Task.Partition] {
			t.Errorf("partition %d ran on %s, but its block is on %s", te.Task.Partition, te.Task.ExecutorID, where[te.Task.Partition])
		}
	}
}

// TestPersistLevels: every storage level gives the same answer, and a
// memory budget too small for the blocks spills MEMORY_AND_DISK to disk.
func TestPersistLevels(t *testing.T) {
	for _, level := range []engine.StorageLevel{engine.MemoryOnly, engine.MemoryOnlySer, engine.MemoryAndDisk, engine.MemoryAndDiskSer, engine.DiskOnly} {
		t.Run(level.String(), func(t *testing.T) {
			sc := newContext(t, engine.Conf{"spark.master": "local[2]", "spark.executor.memory": "1m"})
			r := sc.Range(0, 20000, 1, 4).Map(func(x int) string { return "value-" + string(rune('a'+x%26)) }).Persist(level)
			if n := r.Count(); n != 20000 {
				t.Fatalf("count %d", n)
			}
			if got := r.Take(3); !slices.Equal(got, []any{"value-a", "value-b", "value-c"}) {
				t.Fatalf("take %v", got)
			}
			cached := 0
			for p := 0; p < 4; p++ {
				if locs := blocksOf(sc, r.ID(), p); len(locs) > 0 {
					cached++
				}
			}
			if level.UseDisk && cached != 4 {
				t.Fatalf("%v: %d of 4 partitions cached; disk levels must keep every block", level, cached)
			}
			r.Unpersist()
			if n := r.Count(); n != 20000 {
				t.Fatalf("count after unpersist %d", n)
			}
			if locs := blocksOf(sc, r.ID(), 0); len(locs) != 0 {
				t.Fatalf("block still held by %v after Unpersist", locs)
			}
		})
	}
}

func blocksOf(sc *engine.Context, rddID, split int) []string {
	return sc.BlockLocations(storage.RDDBlockID(rddID, split))
}

// TestJobGroupCancel cancels a group from another goroutine.
func TestJobGroupCancel(t *testing.T) {
	sc := newContext(t, engine.Conf{"spark.master": "local[2]"})
	started := make(chan struct{})
	var once sync.Once
	errc := make(chan error, 1)
	go func() {
		sc.SetJobGroup("g1", "a long job")
		defer sc.ClearJobGroup()
		errc <- sc.Do(context.Background(), func() {
			sc.Range(0, 1<<40, 1, 2).Map(func(x int) int { once.Do(func() { close(started) }); return x }).Count()
		})
	}()
	<-started
	sc.CancelJobGroup("g1")
	err := <-errc
	var ce *scheduler.JobCancelledError
	if !errorsAs(err, &ce) {
		t.Fatalf("want JobCancelledError, got %v", err)
	}
	if got := sc.Range(0, 10).Count(); got != 10 {
		t.Fatalf("context unusable after cancel: %d", got)
	}
}

// TestShuffleSpillsUnderSmallMemory runs a grouping shuffle on executors of
// 1 MiB: map tasks spill, and the answer matches a run without spills.
func TestShuffleSpillsUnderSmallMemory(t *testing.T) {
	job := func(sc *engine.Context) any {
		return sorted(sc.Range(0, 60000, 1, 2).KeyBy(func(x int) int { return x % 7 }).
			MapValues(func(x int) string { return strings.Repeat("v", x%20) }).GroupByKey(3).
			MapValues(func(vs []any) int { return len(vs) }).Collect())
	}
	small := newContext(t, engine.Conf{"spark.master": "local-cluster[2,1,1]"})
	big := newContext(t, engine.Conf{"spark.master": "local[2]"})
	got, want := job(small), job(big)
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("with spills %v, without %v", got, want)
	}
	if small.Cluster().ShuffleSpills() == 0 {
		t.Fatal("no map task spilled with 1 MiB executors")
	}
}

// TestRemoveShuffle: after RemoveShuffle, the shuffle's files are gone and
// a job that needs it again recomputes it.
func TestRemoveShuffle(t *testing.T) {
	sc := newContext(t, engine.Conf{"spark.master": "local[2]"})
	counts := wordCounts(sc)
	first := sorted(counts.Collect())
	dep := counts.Dependencies()[0].(*rdd.ShuffleDependency)
	files := func() []string {
		m, _ := filepath.Glob(filepath.Join(sc.Conf().Get("spark.local.dir"), "gospark-"+sc.ApplicationID()+"-*", "*", "shuffle", fmt.Sprintf("shuffle_%d_*", dep.ShuffleID)))
		return m
	}
	if len(files()) == 0 {
		t.Fatal("found no shuffle files to remove")
	}
	sc.RemoveShuffle(dep.ShuffleID)
	if f := files(); len(f) != 0 {
		t.Fatalf("files left after RemoveShuffle: %v", f)
	}
	if got := sorted(counts.Collect()); fmt.Sprint(got) != fmt.Sprint(first) {
		t.Fatalf("after RemoveShuffle: %v, want %v", got, first)
	}
}
