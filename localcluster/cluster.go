// Package localcluster runs executors inside the driver's process: one
// executor with N slots for local[N], or several executors, each with its
// own slots, block manager and shuffle files, for local-cluster[E,C,M]. It
// is the SchedulerBackend of both modes. Kill loses an executor with
// everything it held, as a crashed machine would, so that failure recovery
// runs on every test.
package localcluster

import (
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strconv"
	"sync"

	"gospark/engine/executor"
	"gospark/engine/scheduler"
	"gospark/engine/storage"
)

// Config describes a cluster.
type Config struct {
	// Executors is the number of executors to start.
	Executors int
	// Cores is the number of task slots of each executor.
	Cores int
	// Memory is each executor's block storage budget in bytes.
	Memory int64
	// Dir holds one subdirectory per executor.
	Dir string
	// IDs names the executors instead of "0", "1", …; local mode uses
	// a single executor named "driver", as Spark does.
	IDs []string
	// Env is shared by the executors; the cluster supplies the Fetcher.
	Env executor.Env
	// Master registers each executor's block manager.
	Master *storage.BlockManagerMaster
}

// Cluster is a set of in-process executors.
type Cluster struct {
	cfg    Config
	mu     sync.Mutex
	execs  map[string]*executor.Executor
	sink   scheduler.Sink
	nextID int
	hook   func(t *scheduler.Task, executorID string)
}

// SetLaunchHook makes the cluster call f just before each task launch, on
// the launching goroutine. Failure tests use it to kill an executor at a
// precise point of a job; f may call Kill and AddExecutor.
func (c *Cluster) SetLaunchHook(f func(t *scheduler.Task, executorID string)) {
	c.mu.Lock()
	c.hook = f
	c.mu.Unlock()
}

// New returns a cluster; Start creates its executors.
func New(cfg Config) *Cluster {
	if cfg.Executors < 1 {
		cfg.Executors = 1
	}
	if cfg.Cores < 1 {
		cfg.Cores = 1
	}
	return &Cluster{cfg: cfg, execs: map[string]*executor.Executor{}}
}

// Start implements scheduler.Backend: it starts the executors.
func (c *Cluster) Start(sink scheduler.Sink) error {
	c.mu.Lock()
	c.sink = sink
	c.mu.Unlock()
	for i := 0; i < c.cfg.Executors; i++ {
		id := ""
		if i < len(c.cfg.IDs) {
			id = c.cfg.IDs[i]
		}
		if _, err := c.addExecutor(id); err != nil {
			c.Stop()
			return err
		}
	}
	return nil
}

// AddExecutor starts one more executor and returns its id, as a worker
// replacing a lost executor would.
func (c *Cluster) AddExecutor() (string, error) { return c.addExecutor("") }

func (c *Cluster) addExecutor(id string) (string, error) {
	c.mu.Lock()
	if id == "" {
		id = strconv.Itoa(c.nextID)
		c.nextID++
	}
	if _, dup := c.execs[id]; dup {
		c.mu.Unlock()
		return "", fmt.Errorf("executor %s already exists", id)
	}
	sink := c.sink
	c.mu.Unlock()
	env := c.cfg.Env
	env.Fetcher = c
	e, err := executor.New(executor.Config{ID: id, Host: "localhost", Cores: c.cfg.Cores,
		Dir: filepath.Join(c.cfg.Dir, "executor-"+id), Memory: c.cfg.Memory}, env, sink.StatusUpdate)
	if err != nil {
		return "", err
	}
	if c.cfg.Master != nil {
		c.cfg.Master.Register(id, e.BlockManager())
	}
	c.mu.Lock()
	c.execs[id] = e
	c.mu.Unlock()
	sink.ExecutorAdded(e.Info())
	return id, nil
}

func (c *Cluster) executor(id string) *executor.Executor {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.execs[id]
}

// Launch implements scheduler.Backend.
func (c *Cluster) Launch(t *scheduler.Task, executorID string) {
	c.mu.Lock()
	hook := c.hook
	c.mu.Unlock()
	if hook != nil {
		hook(t, executorID)
	}
	e := c.executor(executorID)
	if e == nil {
		// The executor was lost between the offer and the launch: the
		// scheduler already re-queued its tasks when it heard of the loss.
		return
	}
	e.Launch(t)
}

// KillTask implements scheduler.Backend.
func (c *Cluster) KillTask(taskID int64, executorID, reason string) {
	if e := c.executor(executorID); e != nil {
		e.Kill(taskID, reason)
	}
}

// Fetch implements shuffle.Fetcher for the executors.
func (c *Cluster) Fetch(executorID string, shuffleID, mapIndex, reduceID int) ([]byte, error) {
	e := c.executor(executorID)
	if e == nil {
		return nil, fmt.Errorf("executor %s is lost", executorID)
	}
	return e.Fetch(shuffleID, mapIndex, reduceID)
}

// ErrNoSuchExecutor is returned by Kill for an unknown executor.
var ErrNoSuchExecutor = errors.New("no such executor")

// Kill loses an executor: its running tasks fail, its cached blocks and
// shuffle files are deleted, and the scheduler is told, so that the lost work
// is recomputed from lineage.
func (c *Cluster) Kill(executorID string) error {
	c.mu.Lock()
	e := c.execs[executorID]
	delete(c.execs, executorID)
	sink := c.sink
	c.mu.Unlock()
	if e == nil {
		return fmt.Errorf("%w: %s", ErrNoSuchExecutor, executorID)
	}
	sink.ExecutorLost(executorID, "killed")
	e.Stop()
	return nil
}

// Executors returns the ids of the live executors, sorted.
func (c *Cluster) Executors() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	ids := make([]string, 0, len(c.execs))
	for id := range c.execs {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// Stop implements scheduler.Backend: it stops every executor.
func (c *Cluster) Stop() {
	c.mu.Lock()
	execs := c.execs
	c.execs = map[string]*executor.Executor{}
	c.mu.Unlock()
	var wg sync.WaitGroup
	for _, e := range execs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			e.Stop()
		}()
	}
	wg.Wait()
}

// ShuffleSpills returns how many times map tasks of the live executors
// spilled their buffers to disk.
func (c *Cluster) ShuffleSpills() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	var n int64
	for _, e := range c.execs {
		n += e.ShuffleSpills()
	}
	return n
}

// RemoveShuffle deletes a shuffle's files on every live executor.
func (c *Cluster) RemoveShuffle(shuffleID int) {
	c.mu.Lock()
	execs := make([]*executor.Executor, 0, len(c.execs))
	for _, e := range c.execs {
		execs = append(execs, e)
	}
	c.mu.Unlock()
	for _, e := range execs {
		e.RemoveShuffle(shuffleID)
	}
}
