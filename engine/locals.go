package engine

import (
	"context"
	"maps"

	"github.com/petermattis/goid"

	"gospark/engine/scheduler"
)

// locals are a goroutine's job properties, like Spark's thread-local
// properties: the job group and description of the jobs it starts, and the
// context.Context that cancels them. Goroutines started later do not inherit
// them.
type locals struct {
	ctx   context.Context
	props map[string]string
}

// setLocal changes the calling goroutine's locals with f and returns a func
// that restores them.
func (c *Context) setLocal(f func(*locals)) (restore func()) {
	id := goid.Get()
	c.mu.Lock()
	old := c.locals[id]
	cur := &locals{}
	if old != nil {
		cur.ctx, cur.props = old.ctx, maps.Clone(old.props)
	}
	if cur.props == nil {
		cur.props = map[string]string{}
	}
	f(cur)
	c.locals[id] = cur
	c.mu.Unlock()
	return func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		if old == nil {
			delete(c.locals, id)
		} else {
			c.locals[id] = old
		}
	}
}

// jobScope returns the calling goroutine's context and a copy of its
// properties.
func (c *Context) jobScope() (context.Context, map[string]string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	l := c.locals[goid.Get()]
	if l == nil {
		return context.Background(), map[string]string{}
	}
	ctx := l.ctx
	if ctx == nil {
		ctx = context.Background()
	}
	return ctx, maps.Clone(l.props)
}

// SetLocalProperty sets a property of the jobs the calling goroutine starts;
// an empty value removes it.
func (c *Context) SetLocalProperty(key, value string) {
	c.setLocal(func(l *locals) {
		if value == "" {
			delete(l.props, key)
		} else {
			l.props[key] = value
		}
	})
}

// LocalProperty returns a property of the calling goroutine's jobs.
func (c *Context) LocalProperty(key string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if l := c.locals[goid.Get()]; l != nil {
		return l.props[key]
	}
	return ""
}

// SetJobGroup puts the jobs the calling goroutine starts from now on in a
// group, which CancelJobGroup cancels as a whole.
func (c *Context) SetJobGroup(groupID, description string) {
	c.SetLocalProperty(scheduler.PropJobGroup, groupID)
	c.SetLocalProperty(scheduler.PropJobDescription, description)
}

// ClearJobGroup takes the calling goroutine's jobs out of their group.
func (c *Context) ClearJobGroup() {
	c.SetLocalProperty(scheduler.PropJobGroup, "")
	c.SetLocalProperty(scheduler.PropJobDescription, "")
}

// SetJobDescription describes the calling goroutine's next jobs (shown by
// progress bars and the UI).
func (c *Context) SetJobDescription(description string) {
	c.SetLocalProperty(scheduler.PropJobDescription, description)
}
