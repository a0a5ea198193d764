package storage

import (
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
)

type reports struct {
	mu   sync.Mutex
	last map[BlockID]BlockStatus
}

func (r *reports) UpdateBlockInfo(_ string, id BlockID, s BlockStatus) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.last == nil {
		r.last = map[BlockID]BlockStatus{}
	}
	r.last[id] = s
}

func values(n int) []any {
	out := make([]any, n)
	for i := range out {
		out[i] = fmt.Sprintf("value %06d", i)
	}
	return out
}

func TestMemoryStoreEvictsLRUButNotSameRDD(t *testing.T) {
	var evicted []BlockID
	m := NewMemoryStore(300, func(id BlockID, _ []any, _ StorageLevel) { evicted = append(evicted, id) })
	put := func(rdd, split int, size int64) bool {
		return m.Put(RDDBlockID(rdd, split), []any{rdd, split}, size, MemoryOnly)
	}
	if !put(1, 0, 100) || !put(2, 0, 100) || !put(3, 0, 100) {
		t.Fatal("blocks that fit were refused")
	}
	m.Get(RDDBlockID(1, 0)) // rdd 1 is now more recent than rdd 2
	if !put(4, 0, 100) {
		t.Fatal("eviction did not make room")
	}
	if !slices.Equal(evicted, []BlockID{RDDBlockID(2, 0)}) {
		t.Fatalf("evicted %v, want the least recently used rdd_2_0", evicted)
	}
	// A block of RDD 5 may not evict other blocks of RDD 5.
	evicted = nil
	if !put(5, 0, 150) {
		t.Fatal("put of rdd_5_0 failed")
	}
	if put(5, 1, 300) {
		t.Fatal("a block bigger than the store was stored")
	}
	if put(5, 2, 250) {
		t.Fatal("rdd_5_2 evicted its own RDD's block to fit")
	}
	if _, ok := m.Get(RDDBlockID(5, 0)); !ok {
		t.Fatal("rdd_5_0 was lost by a failed put")
	}
	if m.Used() > m.Max() {
		t.Fatalf("used %d over budget %d", m.Used(), m.Max())
	}
}

func TestBlockManagerSpillsAndReports(t *testing.T) {
	rep := &reports{}
	bm, err := NewBlockManager("e1", t.TempDir(), 4000, rep)
	if err != nil {
		t.Fatal(err)
	}
	defer bm.Stop()
	big := values(200)
	for split := 0; split < 3; split++ {
		st, err := bm.Put(RDDBlockID(1, split), big, MemoryAndDisk)
		if err != nil || !st.Stored() {
			t.Fatalf("put %d: %v %+v", split, err, st)
		}
	}
	for split := 0; split < 3; split++ {
		got, ok, err := bm.Get(RDDBlockID(1, split))
		if err != nil || !ok || !slices.Equal(got, big) {
			t.Fatalf("block %d lost: ok=%v err=%v len=%d", split, ok, err, len(got))
		}
	}
	if n := bm.RemoveRDD(1); n != 3 {
		t.Fatalf("removed %d blocks, want 3", n)
	}
	rep.mu.Lock()
	defer rep.mu.Unlock()
	for id, s := range rep.last {
		if s.Stored() {
			t.Fatalf("%v still reported stored after RemoveRDD", id)
		}
	}
}

func TestGetOrElseUpdateComputesOnce(t *testing.T) {
	bm, err := NewBlockManager("e1", t.TempDir(), 1<<20, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer bm.Stop()
	var computed atomic.Int32
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			vals, _, err := bm.GetOrElseUpdate(RDDBlockID(7, 0), MemoryOnlySer, func() []any {
				computed.Add(1)
				return values(10)
			})
			if err != nil || len(vals) != 10 {
				t.Errorf("got %d values, %v", len(vals), err)
			}
		}()
	}
	wg.Wait()
	if computed.Load() != 1 {
		t.Fatalf("computed %d times, want once", computed.Load())
	}
}

func TestEstimateSize(t *testing.T) {
	small := EstimateSize(values(10))
	large := EstimateSize(values(10000))
	if small <= 0 || large < 500*small {
		t.Fatalf("estimates %d for 10 strings and %d for 10000", small, large)
	}
	if s := EstimateSize([]any{[]int{1, 2, 3}, map[string]int{"a": 1}, struct{ A, B string }{"x", "yy"}}); s < 100 {
		t.Fatalf("estimate %d too small", s)
	}
}

func TestStorageLevelNames(t *testing.T) {
	for _, c := range []struct {
		l          StorageLevel
		name, desc string
	}{
		{MemoryOnly, "MEMORY_ONLY", "Memory Deserialized 1x Replicated"},
		{MemoryAndDiskSer, "MEMORY_AND_DISK_SER", "Disk Memory Serialized 1x Replicated"},
		{DiskOnly, "DISK_ONLY", "Disk Serialized 1x Replicated"},
		{None, "NONE", ""},
	} {
		if c.l.String() != c.name || c.l.Description() != c.desc {
			t.Errorf("%+v: %q %q", c.l, c.l.String(), c.l.Description())
		}
	}
}
