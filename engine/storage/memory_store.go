package storage

import (
	"container/list"
	"sync"
)

// MemoryStore keeps deserialized blocks under a byte budget. When a new
// block does not fit, it evicts the least recently used blocks — never
// those of the RDD being stored, which would only thrash — and hands each
// evicted block to the evict callback (the BlockManager moves it to disk
// when its level allows).
type MemoryStore struct {
	mu      sync.Mutex
	max     int64
	used    int64
	entries map[BlockID]*list.Element
	lru     *list.List // front: most recently used
	evict   func(id BlockID, values []any, level StorageLevel)
}

type memEntry struct {
	id     BlockID
	values []any
	size   int64
	level  StorageLevel
}

// NewMemoryStore returns a store of at most max bytes.
func NewMemoryStore(max int64, evict func(BlockID, []any, StorageLevel)) *MemoryStore {
	return &MemoryStore{max: max, entries: map[BlockID]*list.Element{}, lru: list.New(), evict: evict}
}

// Put stores values under id if they fit, evicting older blocks if needed.
// It reports whether the block was stored.
func (m *MemoryStore) Put(id BlockID, values []any, size int64, level StorageLevel) bool {
	m.mu.Lock()
	if size > m.max {
		m.mu.Unlock()
		return false
	}
	if e, ok := m.entries[id]; ok {
		m.used -= e.Value.(*memEntry).size
		m.lru.Remove(e)
		delete(m.entries, id)
	}
	var victims []*memEntry
	for el := m.lru.Back(); el != nil && m.used+size > m.max; {
		prev := el.Prev()
		e := el.Value.(*memEntry)
		if !(id.Kind == RDDBlock && e.id.Kind == RDDBlock && e.id.A == id.A) {
			victims = append(victims, e)
			m.used -= e.size
			m.lru.Remove(el)
			delete(m.entries, e.id)
		}
		el = prev
	}
	if m.used+size > m.max {
		// Not enough could be freed: put the victims back untouched.
		for _, e := range victims {
			m.entries[e.id] = m.lru.PushBack(e)
			m.used += e.size
		}
		m.mu.Unlock()
		return false
	}
	m.entries[id] = m.lru.PushFront(&memEntry{id, values, size, level})
	m.used += size
	m.mu.Unlock()
	for _, e := range victims {
		m.evict(e.id, e.values, e.level)
	}
	return true
}

// Get returns the block's values and marks it recently used.
func (m *MemoryStore) Get(id BlockID) ([]any, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	el, ok := m.entries[id]
	if !ok {
		return nil, false
	}
	m.lru.MoveToFront(el)
	return el.Value.(*memEntry).values, true
}

// Size returns the block's estimated size, or 0 when absent.
func (m *MemoryStore) Size(id BlockID) int64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	if el, ok := m.entries[id]; ok {
		return el.Value.(*memEntry).size
	}
	return 0
}

// Remove drops the block and reports whether it was there.
func (m *MemoryStore) Remove(id BlockID) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	el, ok := m.entries[id]
	if !ok {
		return false
	}
	m.used -= el.Value.(*memEntry).size
	m.lru.Remove(el)
	delete(m.entries, id)
	return true
}

// Used returns the bytes in use; Max the budget.
func (m *MemoryStore) Used() int64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.used
}

// Max returns the budget in bytes.
func (m *MemoryStore) Max() int64 { return m.max }

// IDs returns the ids of the stored blocks.
func (m *MemoryStore) IDs() []BlockID {
	m.mu.Lock()
	defer m.mu.Unlock()
	ids := make([]BlockID, 0, len(m.entries))
	for id := range m.entries {
		ids = append(ids, id)
	}
	return ids
}

// Clear drops every block.
func (m *MemoryStore) Clear() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.entries = map[BlockID]*list.Element{}
	m.lru.Init()
	m.used = 0
}
