// Package enginetest runs the same job on several masters and checks that
// the answers agree, so tests of the engine read like user code:
//
//	enginetest.RunEverywhere(t, func(sc *engine.Context) any {
//		return sc.Parallelize([]int{1, 2, 3}, 2).Map(func(x int) int { return x * 2 }).Collect()
//	})
//
// The masters are local[1], local[4], and a three-executor local cluster in
// which an executor is killed in the middle of the job (and a replacement
// added) — see Chaos.
package enginetest

import (
	"context"
	"fmt"
	"reflect"
	"sync"
	"testing"

	"gospark/engine"
	"gospark/engine/scheduler"
)

// Env is one place a job runs.
type Env struct {
	// Name describes the master, e.g. "local[4]".
	Name string
	// Conf is the configuration to start the context with.
	Conf engine.Conf
	// Chaos kills an executor while the job runs.
	Chaos bool
}

// Envs are the places RunEverywhere runs a job.
var Envs = []Env{
	{Name: "local[1]", Conf: engine.Conf{"spark.master": "local[1]"}},
	{Name: "local[4]", Conf: engine.Conf{"spark.master": "local[4]"}},
	{Name: "local-cluster[3,2,256] with an executor killed", Chaos: true, Conf: engine.Conf{
		"spark.master": "local-cluster[3,2,256]", "spark.locality.wait": "10ms"}},
}

// Chaos kills one executor of a context's local cluster at a precise point
// of a job, and adds a replacement:
//
//   - just before the first task that reads shuffle output is launched, it
//     kills another executor — one that ran map tasks — so the reducer's
//     fetches fail and the lost map outputs are recomputed from lineage
//     (the FetchFailed path);
//   - in a job without a shuffle, just before the second result task is
//     launched, it kills the executor that runs the first one, so that task
//     is lost and re-run elsewhere.
//
// The kill runs synchronously on the launching goroutine, so it always
// happens before the job can finish.
type Chaos struct {
	sc       *engine.Context
	mu       sync.Mutex
	armed    bool
	killed   []string
	mapExecs []string
	first    string
	results  int
}

// NewChaos installs a killer on sc's cluster; Arm it before each job.
func NewChaos(sc *engine.Context) *Chaos {
	c := &Chaos{sc: sc}
	sc.Cluster().SetLaunchHook(c.beforeLaunch)
	return c
}

// Arm makes the killer kill once more.
func (c *Chaos) Arm() {
	c.mu.Lock()
	c.armed, c.mapExecs, c.first, c.results = true, nil, "", 0
	c.mu.Unlock()
}

// Killed returns the executors killed so far.
func (c *Chaos) Killed() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.killed...)
}

func (c *Chaos) beforeLaunch(t *scheduler.Task, target string) {
	c.mu.Lock()
	if !c.armed {
		c.mu.Unlock()
		return
	}
	victim := ""
	switch {
	case t.Kind == scheduler.ShuffleMapTask && !t.ShuffleInput:
		c.mapExecs = append(c.mapExecs, target)
	case t.ShuffleInput:
		for _, e := range c.mapExecs {
			if e != target {
				victim = e
			}
		}
	default:
		c.results++
		if c.results == 1 {
			c.first = target
		} else if c.first != target {
			victim = c.first
		}
	}
	if victim == "" {
		c.mu.Unlock()
		return
	}
	c.armed = false
	c.mu.Unlock()
	if err := c.sc.Cluster().Kill(victim); err != nil {
		return
	}
	c.mu.Lock()
	c.killed = append(c.killed, victim)
	c.mu.Unlock()
	c.sc.Cluster().AddExecutor()
}

// RunEverywhere runs job on every Env and fails t unless all the answers are
// deeply equal and every chaos run really killed an executor. It returns the
// answer. Jobs must return values that do not depend on how the data was
// spread over executors (sort what has no defined order).
func RunEverywhere(t testing.TB, job func(sc *engine.Context) any) any {
	t.Helper()
	var first any
	for i, env := range Envs {
		got, killed, err := Run(env, job)
		if err != nil {
			t.Fatalf("%s: %v", env.Name, err)
		}
		if env.Chaos && len(killed) == 0 {
			t.Fatalf("%s: no executor was killed; the chaos run tested nothing (make the job use more than one task)", env.Name)
		}
		if i == 0 {
			first = got
			continue
		}
		if !reflect.DeepEqual(got, first) {
			t.Fatalf("%s gave\n  %v\nbut %s gave\n  %v", env.Name, got, Envs[0].Name, first)
		}
	}
	return first
}

// Run runs job on one Env, returning its answer or the failure it raised,
// and the executors it killed.
func Run(env Env, job func(sc *engine.Context) any) (out any, killed []string, err error) {
	sc, err := engine.NewContext(env.Conf)
	if err != nil {
		return nil, nil, err
	}
	defer sc.Stop()
	var chaos *Chaos
	if env.Chaos {
		chaos = NewChaos(sc)
		chaos.Arm()
	}
	err = sc.Do(context.Background(), func() { out = job(sc) })
	if chaos != nil {
		killed = chaos.Killed()
	}
	if err != nil {
		return nil, killed, fmt.Errorf("job failed: %w", err)
	}
	return out, killed, nil
}
