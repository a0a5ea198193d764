package engine

import (
	"fmt"
	"sync"
)

// Broadcast is a read-only value shared with every task, like Spark's
// broadcast variables. In-process executors share the one value; tasks must
// not modify it.
type Broadcast struct {
	id        int64
	mu        sync.Mutex
	value     any
	destroyed bool
}

// Broadcast makes v available to tasks through the returned handle's Value.
func (c *Context) Broadcast(v any) *Broadcast {
	return &Broadcast{id: c.nextBcast.Add(1) - 1, value: v}
}

// ID returns the broadcast's id.
func (b *Broadcast) ID() int64 { return b.id }

// Value returns the broadcast value. It panics after Destroy.
func (b *Broadcast) Value() any {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.destroyed {
		panic(fmt.Errorf("broadcast %d was destroyed and can no longer be used", b.id))
	}
	return b.value
}

// Unpersist releases copies cached on executors; the value stays usable.
// In-process executors hold no copies, so there is nothing to release.
func (b *Broadcast) Unpersist() {}

// Destroy releases the value; later calls to Value panic.
func (b *Broadcast) Destroy() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.destroyed = true
	b.value = nil
}

func (b *Broadcast) String() string { return fmt.Sprintf("Broadcast(%d)", b.id) }
