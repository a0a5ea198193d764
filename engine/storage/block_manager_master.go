package storage

import (
	"sort"
	"sync"
)

// RDDRemover drops an RDD's blocks on one executor.
type RDDRemover interface {
	RemoveRDD(rddID int) int
}

// BlockManagerMaster is the driver's record of which executor holds which
// block. The scheduler asks it where an RDD's partitions are cached, to run
// tasks there and to skip stages whose output is fully cached.
type BlockManagerMaster struct {
	mu       sync.Mutex
	blocks   map[BlockID]map[string]BlockStatus
	managers map[string]RDDRemover
}

// NewBlockManagerMaster returns an empty master.
func NewBlockManagerMaster() *BlockManagerMaster {
	return &BlockManagerMaster{blocks: map[BlockID]map[string]BlockStatus{}, managers: map[string]RDDRemover{}}
}

// Register records an executor's block manager.
func (m *BlockManagerMaster) Register(executorID string, bm RDDRemover) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.managers[executorID] = bm
}

// UpdateBlockInfo implements Reporter.
func (m *BlockManagerMaster) UpdateBlockInfo(executorID string, id BlockID, s BlockStatus) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.managers[executorID]; !ok {
		return // a lost executor's late report
	}
	locs := m.blocks[id]
	if !s.Stored() {
		delete(locs, executorID)
		if len(locs) == 0 {
			delete(m.blocks, id)
		}
		return
	}
	if locs == nil {
		locs = map[string]BlockStatus{}
		m.blocks[id] = locs
	}
	locs[executorID] = s
}

// RemoveExecutor forgets an executor and every block it held.
func (m *BlockManagerMaster) RemoveExecutor(executorID string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.managers, executorID)
	for id, locs := range m.blocks {
		delete(locs, executorID)
		if len(locs) == 0 {
			delete(m.blocks, id)
		}
	}
}

// Locations returns the executors holding a block, sorted.
func (m *BlockManagerMaster) Locations(id BlockID) []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []string
	for e := range m.blocks[id] {
		out = append(out, e)
	}
	sort.Strings(out)
	return out
}

// RDDLocations returns, for each of the n partitions of RDD rddID, the
// executors that hold it cached.
func (m *BlockManagerMaster) RDDLocations(rddID, n int) [][]string {
	out := make([][]string, n)
	for i := range out {
		out[i] = m.Locations(RDDBlockID(rddID, i))
	}
	return out
}

// RemoveRDD drops RDD rddID's blocks on every executor.
func (m *BlockManagerMaster) RemoveRDD(rddID int) {
	m.mu.Lock()
	managers := make([]RDDRemover, 0, len(m.managers))
	for _, bm := range m.managers {
		managers = append(managers, bm)
	}
	m.mu.Unlock()
	for _, bm := range managers {
		bm.RemoveRDD(rddID)
	}
}

// CachedBlocks returns the status of every cached RDD block, per executor.
func (m *BlockManagerMaster) CachedBlocks() map[BlockID]map[string]BlockStatus {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make(map[BlockID]map[string]BlockStatus, len(m.blocks))
	for id, locs := range m.blocks {
		c := make(map[string]BlockStatus, len(locs))
		for e, s := range locs {
			c[e] = s
		}
		out[id] = c
	}
	return out
}
