package storage

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"sync"

	"gospark/engine/codec"
)

// Reporter receives block status changes; the driver's BlockManagerMaster
// implements it.
type Reporter interface {
	UpdateBlockInfo(executorID string, id BlockID, status BlockStatus)
}

// ShuffleBlockResolver reads the shuffle blocks an executor's map tasks
// wrote; the shuffle store implements it.
type ShuffleBlockResolver interface {
	Block(shuffleID, mapIndex, reduceID int) ([]byte, error)
}

// BlockManager stores one executor's blocks in memory and on disk, and
// serves its shuffle blocks through a ShuffleBlockResolver.
type BlockManager struct {
	executorID string
	mem        *MemoryStore
	disk       *DiskStore
	master     Reporter
	shuffles   ShuffleBlockResolver

	mu       sync.Mutex
	levels   map[BlockID]StorageLevel
	inflight map[BlockID]chan struct{}
	stopped  bool
}

// serialized marks a memory block held as codec bytes (the *_SER levels).
type serialized []byte

// NewBlockManager returns the block manager of executorID, keeping at most
// maxMemory bytes of blocks in memory and spilling to dir.
func NewBlockManager(executorID, dir string, maxMemory int64, master Reporter) (*BlockManager, error) {
	disk, err := NewDiskStore(dir)
	if err != nil {
		return nil, err
	}
	bm := &BlockManager{
		executorID: executorID,
		disk:       disk,
		master:     master,
		levels:     map[BlockID]StorageLevel{},
		inflight:   map[BlockID]chan struct{}{},
	}
	bm.mem = NewMemoryStore(maxMemory, bm.dropFromMemory)
	return bm, nil
}

// SetShuffleResolver sets where shuffle blocks are read from.
func (bm *BlockManager) SetShuffleResolver(r ShuffleBlockResolver) { bm.shuffles = r }

// ShuffleBlockData returns the bytes of a shuffle block held by this
// executor.
func (bm *BlockManager) ShuffleBlockData(id BlockID) ([]byte, error) {
	bm.mu.Lock()
	stopped := bm.stopped
	bm.mu.Unlock()
	switch {
	case stopped:
		return nil, fmt.Errorf("block manager of %s is stopped", bm.executorID)
	case id.Kind != ShuffleBlock:
		return nil, fmt.Errorf("%s is not a shuffle block", id)
	case bm.shuffles == nil:
		return nil, fmt.Errorf("executor %s serves no shuffle blocks", bm.executorID)
	}
	return bm.shuffles.Block(id.A, id.B, id.C)
}

// ExecutorID returns the owning executor's id.
func (bm *BlockManager) ExecutorID() string { return bm.executorID }

// Memory returns the memory store, for status reports.
func (bm *BlockManager) Memory() *MemoryStore { return bm.mem }

// Dir returns the directory of the disk store.
func (bm *BlockManager) Dir() string { return bm.disk.Dir() }

// dropFromMemory is the memory store's eviction callback.
func (bm *BlockManager) dropFromMemory(id BlockID, values []any, level StorageLevel) {
	status := BlockStatus{Level: level}
	if level.UseDisk && !bm.disk.Contains(id) {
		vals, err := bm.materialize(values)
		if err == nil {
			status.DiskSize, err = bm.disk.Put(id, vals)
		}
		if err != nil {
			status.DiskSize = 0
		}
	} else if level.UseDisk {
		status.DiskSize = 1
	}
	if !status.Stored() {
		bm.mu.Lock()
		delete(bm.levels, id)
		bm.mu.Unlock()
	}
	bm.report(id, status)
}

func (bm *BlockManager) report(id BlockID, s BlockStatus) {
	if bm.master != nil {
		bm.master.UpdateBlockInfo(bm.executorID, id, s)
	}
}

func (bm *BlockManager) materialize(values []any) ([]any, error) {
	if len(values) == 1 {
		if b, ok := values[0].(serialized); ok {
			return decodeAll(b)
		}
	}
	return values, nil
}

func decodeAll(b []byte) ([]any, error) {
	dec := codec.NewDecoder(bytes.NewReader(b))
	var out []any
	for {
		v, err := dec.Decode()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
}

// Put stores values under id at level and returns where they went. A block
// that fits nowhere the level allows is not stored (an empty status).
func (bm *BlockManager) Put(id BlockID, values []any, level StorageLevel) (BlockStatus, error) {
	status := BlockStatus{Level: level}
	if level.UseMemory {
		if level.Deserialized {
			size := EstimateSize(values)
			if bm.mem.Put(id, values, size, level) {
				status.MemSize = size
			}
		} else {
			var buf bytes.Buffer
			enc := codec.NewEncoder(&buf)
			for _, v := range values {
				if err := enc.Encode(v); err != nil {
					return BlockStatus{}, fmt.Errorf("caching block %s: %w", id, err)
				}
			}
			enc.Flush()
			b := serialized(buf.Bytes())
			if bm.mem.Put(id, []any{b}, int64(len(b))+64, level) {
				status.MemSize = int64(len(b)) + 64
			}
		}
	}
	if status.MemSize == 0 && level.UseDisk {
		n, err := bm.disk.Put(id, values)
		if err != nil {
			return BlockStatus{}, err
		}
		status.DiskSize = n
	}
	if status.Stored() {
		bm.mu.Lock()
		bm.levels[id] = level
		bm.mu.Unlock()
		bm.report(id, status)
	}
	return status, nil
}

// Get returns a block's values from memory or disk.
func (bm *BlockManager) Get(id BlockID) ([]any, bool, error) {
	if vals, ok := bm.mem.Get(id); ok {
		vals, err := bm.materialize(vals)
		return vals, err == nil, err
	}
	return bm.disk.Get(id)
}

// GetOrElseUpdate returns the block's values, or computes, stores and
// returns them. Concurrent calls for the same block compute it once; the
// others wait. hit reports whether the values came from the store.
func (bm *BlockManager) GetOrElseUpdate(id BlockID, level StorageLevel, compute func() []any) (values []any, hit bool, err error) {
	for {
		if vals, ok, err := bm.Get(id); err != nil || ok {
			return vals, ok, err
		}
		bm.mu.Lock()
		if bm.stopped {
			bm.mu.Unlock()
			return nil, false, fmt.Errorf("block manager of %s is stopped", bm.executorID)
		}
		wait, busy := bm.inflight[id]
		if !busy {
			bm.inflight[id] = make(chan struct{})
		}
		bm.mu.Unlock()
		if !busy {
			break
		}
		<-wait
	}
	defer func() {
		bm.mu.Lock()
		close(bm.inflight[id])
		delete(bm.inflight, id)
		bm.mu.Unlock()
	}()
	// Another task may have stored the block between our miss and our claim.
	if vals, ok, err := bm.Get(id); err != nil || ok {
		return vals, ok, err
	}
	values = compute()
	if _, err := bm.Put(id, values, level); err != nil {
		return nil, false, err
	}
	return values, false, nil
}

// Remove drops a block from memory and disk.
func (bm *BlockManager) Remove(id BlockID) {
	inMem := bm.mem.Remove(id)
	onDisk := bm.disk.Remove(id)
	bm.mu.Lock()
	delete(bm.levels, id)
	bm.mu.Unlock()
	if inMem || onDisk {
		bm.report(id, BlockStatus{})
	}
}

// RemoveRDD drops every block of RDD rddID and returns how many there were.
func (bm *BlockManager) RemoveRDD(rddID int) int {
	bm.mu.Lock()
	var ids []BlockID
	for id := range bm.levels {
		if id.Kind == RDDBlock && id.A == rddID {
			ids = append(ids, id)
		}
	}
	bm.mu.Unlock()
	for _, id := range ids {
		bm.Remove(id)
	}
	return len(ids)
}

// Stop drops every block and deletes the disk store's directory. Blocks are
// not reported: the master forgets a lost executor as a whole.
func (bm *BlockManager) Stop() error {
	bm.mu.Lock()
	bm.stopped = true
	bm.levels = map[BlockID]StorageLevel{}
	bm.mu.Unlock()
	bm.mem.Clear()
	return os.RemoveAll(bm.disk.Dir())
}
