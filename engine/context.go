// Package engine is gospark's embedded engine: Context (the shell's sc) makes
// lazy RDDs, and actions on them run as jobs on an in-process local cluster.
//
//	sc, err := engine.NewContext(engine.Conf{"spark.master": "local[4]"})
//	counts := sc.TextFile("logs/*.txt").
//		FlatMap(strings.Fields).
//		MapPairs(func(w string) (string, int) { return w, 1 }).
//		ReduceByKey(func(a, b int) int { return a + b })
//	top := counts.SortBy(func(kv engine.Pair) int { return -kv.Value.(int) }).Take(10)
//
// Transformations panic with a *rdd.UsageError when called the wrong way and
// actions panic with the job's error when the job fails, as Spark's throw;
// Context.Do runs code and returns such failures as errors instead.
package engine

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"weak"

	"gospark/engine/accum"
	"gospark/engine/executor"
	"gospark/engine/rdd"
	"gospark/engine/scheduler"
	"gospark/engine/sql"
	"gospark/engine/storage"
	"gospark/localcluster"
)

// The names users type most, re-exported from the packages that hold them.
type (
	// RDD is a lazily computed, partitioned collection.
	RDD = rdd.RDD
	// Pair is a key/value element.
	Pair = rdd.Pair
	// StorageLevel says where persisted blocks live.
	StorageLevel = storage.StorageLevel
	// Partitioner places the keys of a pair RDD.
	Partitioner = rdd.Partitioner
	// StatCounter holds count, mean, variance, min and max.
	StatCounter = rdd.StatCounter
)

// Storage levels, as in Spark.
var (
	MemoryOnly       = storage.MemoryOnly
	MemoryOnlySer    = storage.MemoryOnlySer
	MemoryAndDisk    = storage.MemoryAndDisk
	MemoryAndDiskSer = storage.MemoryAndDiskSer
	DiskOnly         = storage.DiskOnly
)

// NewHashPartitioner returns a partitioner that places keys by hash.
func NewHashPartitioner(n int) Partitioner { return rdd.NewHashPartitioner(n) }

// NewRangePartitioner returns a partitioner that places the keys of pair
// RDD r in about n sorted ranges, chosen by sampling r (this runs a job).
func NewRangePartitioner(n int, r *RDD, ascending ...bool) Partitioner {
	return rdd.NewRangePartitioner(n, r, ascending...)
}

// Context is the entry point of the engine, Spark's SparkContext: it makes
// RDDs, broadcast variables and accumulators, and runs jobs.
type Context struct {
	conf    Conf
	master  Master
	appID   string
	dir     string
	cores   int
	parConf bool
	par     int

	bus      *scheduler.ListenerBus
	status   *scheduler.StatusTracker
	tracker  *scheduler.MapOutputTracker
	blocks   *storage.BlockManagerMaster
	cluster  *localcluster.Cluster
	dag      *scheduler.DAGScheduler
	stopped  atomic.Bool
	stopOnce sync.Once

	nextRDD     atomic.Int64
	nextShuffle atomic.Int64
	nextOp      atomic.Int64
	nextBcast   atomic.Int64
	epoch       atomic.Int64

	sqlOnce sync.Once
	sql     *sql.Session

	mu       sync.Mutex
	rdds     map[int]weak.Pointer[rdd.RDD]
	shuffles map[int]weak.Pointer[rdd.ShuffleDependency]
	ops      map[int]rdd.ResultOp
	locals   map[int64]*locals
}

// NewContext starts a context: it parses the configuration, starts the
// executors of the master (local[*] by default) and the scheduler.
func NewContext(conf Conf) (*Context, error) {
	if conf == nil {
		conf = Conf{}
	}
	c := &Context{conf: conf, rdds: map[int]weak.Pointer[rdd.RDD]{}, shuffles: map[int]weak.Pointer[rdd.ShuffleDependency]{},
		ops: map[int]rdd.ResultOp{}, locals: map[int64]*locals{}}
	var err error
	if c.master, err = ParseMaster(conf.Get("spark.master")); err != nil {
		return nil, err
	}
	maxFailures := c.master.MaxFailures
	if _, set := conf["spark.task.maxFailures"]; set || c.master.Cluster || maxFailures == 0 {
		if maxFailures, err = conf.intValue("spark.task.maxFailures"); err != nil {
			return nil, err
		}
	}
	if maxFailures < 1 {
		return nil, confError("spark.task.maxFailures", conf.Get("spark.task.maxFailures"), "want at least 1")
	}
	execMem, err := conf.bytesValue("spark.executor.memory")
	if err != nil {
		return nil, err
	}
	if c.master.Memory > 0 {
		execMem = c.master.Memory
	}
	frac, err := conf.floatValue("spark.memory.fraction")
	if err != nil {
		return nil, err
	}
	wait, err := conf.durationValue("spark.locality.wait")
	if err != nil {
		return nil, err
	}
	c.cores = c.master.Executors * c.master.Cores
	c.par = c.cores
	if _, set := conf["spark.default.parallelism"]; set {
		if c.par, err = conf.intValue("spark.default.parallelism"); err != nil || c.par < 1 {
			return nil, confError("spark.default.parallelism", conf.Get("spark.default.parallelism"), "want an integer >= 1")
		}
		c.parConf = true
	}
	c.appID = fmt.Sprintf("local-%d", time.Now().UnixMilli())
	c.dir, err = os.MkdirTemp(conf.Get("spark.local.dir"), "gospark-"+c.appID+"-")
	if err != nil {
		return nil, fmt.Errorf("creating the scratch directory under spark.local.dir=%s: %w", conf.Get("spark.local.dir"), err)
	}
	c.bus = scheduler.NewListenerBus()
	c.status = scheduler.NewStatusTracker()
	c.bus.AddListener(c.status)
	c.tracker = scheduler.NewMapOutputTracker()
	c.blocks = storage.NewBlockManagerMaster()
	var ids []string
	if !c.master.Cluster {
		ids = []string{"driver"}
	}
	c.cluster = localcluster.New(localcluster.Config{
		Executors: c.master.Executors, Cores: c.master.Cores, Memory: int64(float64(execMem) * frac),
		Dir: c.dir, IDs: ids, Master: c.blocks,
		Env: executor.Env{Lineage: lineage{c}, Locator: c.tracker, Blocks: c.blocks},
	})
	c.dag, err = scheduler.New(c.cluster, c.tracker, c.blocks, c.bus, scheduler.Config{
		TaskSchedulerConfig: scheduler.TaskSchedulerConfig{MaxFailures: maxFailures, LocalityWait: wait},
	})
	if err != nil {
		c.bus.Stop()
		os.RemoveAll(c.dir)
		return nil, err
	}
	return c, nil
}

// Stop stops the executors and the scheduler and deletes the scratch
// directory. Running jobs fail; later actions fail with ErrStopped. Stop may
// be called more than once.
func (c *Context) Stop() {
	c.stopOnce.Do(func() {
		c.stopped.Store(true)
		c.dag.Stop()
		c.bus.Stop()
		os.RemoveAll(c.dir)
	})
}

// ErrStopped is the error of actions on a stopped context.
var ErrStopped = scheduler.ErrStopped

// Master returns the master URL.
func (c *Context) Master() string { return c.master.URL }

// AppName returns spark.app.name.
func (c *Context) AppName() string { return c.conf.Get("spark.app.name") }

// ApplicationID returns the application's id, e.g. "local-1732…".
func (c *Context) ApplicationID() string { return c.appID }

// Conf returns a copy of the configuration, defaults included.
func (c *Context) Conf() Conf {
	out := Conf{}
	for k, v := range confDefaults {
		out[k] = v
	}
	for k, v := range c.conf {
		out[k] = v
	}
	out["spark.master"] = c.master.URL
	out["spark.app.id"] = c.appID
	return out
}

// DefaultParallelism is the partition count of Parallelize and Range when
// none is given: spark.default.parallelism, else the number of task slots.
func (c *Context) DefaultParallelism() int { return c.par }

// ParallelismConfigured reports whether spark.default.parallelism was set;
// shuffles then use it instead of their parents' partition count.
func (c *Context) ParallelismConfigured() bool { return c.parConf }

// Cluster returns the in-process cluster, to add or kill executors.
func (c *Context) Cluster() *localcluster.Cluster { return c.cluster }

// StatusTracker reports running jobs and stages, for progress bars.
func (c *Context) StatusTracker() *scheduler.StatusTracker { return c.status }

// AddListener registers l for scheduler events.
func (c *Context) AddListener(l scheduler.Listener) { c.bus.AddListener(l) }

// RemoveListener unregisters l.
func (c *Context) RemoveListener(l scheduler.Listener) { c.bus.RemoveListener(l) }

// WaitForEvents blocks until the listeners have seen every event posted so far.
func (c *Context) WaitForEvents() { c.bus.WaitUntilEmpty() }

// String describes the context, e.g. for the shell's banner.
func (c *Context) String() string {
	return fmt.Sprintf("Context(master: %s, app: %s, id: %s)", c.master.URL, c.AppName(), c.appID)
}

// slices returns numSlices[0] or the default parallelism.
func (c *Context) slices(op string, numSlices []int) int {
	if len(numSlices) > 0 {
		return numSlices[0]
	}
	return c.par
}

// Parallelize distributes the elements of data, a slice of any type, over
// numSlices partitions (default: DefaultParallelism).
func (c *Context) Parallelize(data any, numSlices ...int) *RDD {
	return rdd.Parallelize(c, data, c.slices("Parallelize", numSlices))
}

// Range returns the ints from start to end (exclusive) by step, like
// Spark's sc.range: sc.Range(0, 10, 1, 2).
func (c *Context) Range(start, end int, stepAndSlices ...int) *RDD {
	step := 1
	if len(stepAndSlices) > 0 {
		step = stepAndSlices[0]
	}
	if len(stepAndSlices) > 2 {
		panic(&rdd.UsageError{Op: "Range", Site: c.CallSite(), Msg: "takes start, end, and optionally step and numSlices"})
	}
	return rdd.Range(c, start, end, step, c.slices("Range", stepAndSlices[min(1, len(stepAndSlices)):]))
}

// TextFile reads text files line by line: a file, a directory, a glob or a
// comma-separated list; .gz files are decompressed. minPartitions defaults
// to min(DefaultParallelism, 2), as in Spark.
func (c *Context) TextFile(path string, minPartitions ...int) *RDD {
	n := min(c.par, 2)
	if len(minPartitions) > 0 {
		n = minPartitions[0]
	}
	return rdd.TextFile(c, path, n)
}

// WholeTextFiles reads each file whole as a Pair of its path and content.
func (c *Context) WholeTextFiles(path string, minPartitions ...int) *RDD {
	n := min(c.par, 2)
	if len(minPartitions) > 0 {
		n = minPartitions[0]
	}
	return rdd.WholeTextFiles(c, path, n)
}

// LongAccumulator returns a new accumulator of int64 sums.
func (c *Context) LongAccumulator(name ...string) *accum.Long {
	return accum.NewLong(strings.Join(name, " "))
}

// DoubleAccumulator returns a new accumulator of float64 sums.
func (c *Context) DoubleAccumulator(name ...string) *accum.Double {
	return accum.NewDouble(strings.Join(name, " "))
}

// CollectionAccumulator returns a new accumulator that gathers values.
func (c *Context) CollectionAccumulator(name ...string) *accum.Collection {
	return accum.NewCollection(strings.Join(name, " "))
}

// Unpersist implements rdd.Context.
func (c *Context) Unpersist(r *RDD) { c.blocks.RemoveRDD(r.ID()) }

// NewRDDID implements rdd.Context.
func (c *Context) NewRDDID() int { return int(c.nextRDD.Add(1) - 1) }

// NewShuffleID implements rdd.Context.
func (c *Context) NewShuffleID() int { return int(c.nextShuffle.Add(1) - 1) }

// RegisterRDD implements rdd.Context. The registry holds RDDs weakly: an RDD
// that no user value or running job refers to can be collected.
func (c *Context) RegisterRDD(r *RDD) {
	id := r.ID()
	c.mu.Lock()
	c.rdds[id] = weak.Make(r)
	c.mu.Unlock()
	runtime.AddCleanup(r, func(id int) {
		c.mu.Lock()
		delete(c.rdds, id)
		c.mu.Unlock()
	}, id)
}

// RegisterShuffle implements rdd.Context. When the dependency becomes
// unreachable its map outputs are forgotten, as Spark's ContextCleaner does.
func (c *Context) RegisterShuffle(d *rdd.ShuffleDependency) {
	id := d.ShuffleID
	c.mu.Lock()
	c.shuffles[id] = weak.Make(d)
	c.mu.Unlock()
	runtime.AddCleanup(d, func(id int) {
		c.mu.Lock()
		delete(c.shuffles, id)
		c.mu.Unlock()
		if !c.stopped.Load() {
			c.RemoveShuffle(id)
		}
	}, id)
}

// RemoveShuffle forgets a shuffle's map outputs and deletes its files on
// every executor. The SQL session calls it when a query's job ends; the
// context calls it when a shuffle dependency is no longer reachable.
func (c *Context) RemoveShuffle(shuffleID int) {
	c.tracker.UnregisterShuffle(shuffleID)
	c.cluster.RemoveShuffle(shuffleID)
}

// lineage resolves task ids for the executors.
type lineage struct{ c *Context }

func (l lineage) RDD(id int) (*rdd.RDD, error) {
	l.c.mu.Lock()
	defer l.c.mu.Unlock()
	if r := l.c.rdds[id].Value(); r != nil {
		return r, nil
	}
	return nil, fmt.Errorf("RDD %d is no longer known to the driver", id)
}

func (l lineage) Shuffle(id int) (*rdd.ShuffleDependency, error) {
	l.c.mu.Lock()
	defer l.c.mu.Unlock()
	if d := l.c.shuffles[id].Value(); d != nil {
		return d, nil
	}
	return nil, fmt.Errorf("shuffle %d is no longer known to the driver", id)
}

func (l lineage) ResultOp(id int) (rdd.ResultOp, error) {
	l.c.mu.Lock()
	defer l.c.mu.Unlock()
	if op, ok := l.c.ops[id]; ok {
		return op, nil
	}
	return nil, fmt.Errorf("result operator %d is not registered (its job ended)", id)
}

// RunJob implements rdd.Context: it runs op on partitions of r, with the
// job group, description and context.Context of the calling goroutine.
func (c *Context) RunJob(r *RDD, op rdd.ResultOp, partitions []int, handler func(int, any)) error {
	if c.stopped.Load() {
		return ErrStopped
	}
	if r.Epoch() < c.epoch.Load() {
		return &rdd.UsageError{Op: "action", Site: c.CallSite(), Msg: fmt.Sprintf("%s was built before an interrupt stopped the interpreter, so its funcs can no longer run; re-run the cells that build it", r)}
	}
	id := int(c.nextOp.Add(1))
	c.mu.Lock()
	c.ops[id] = op
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		delete(c.ops, id)
		c.mu.Unlock()
	}()
	ctx, props := c.jobScope()
	if props[scheduler.PropCallSite] == "" {
		props[scheduler.PropCallSite] = c.CallSite()
	}
	err := c.dag.RunJob(ctx, scheduler.JobSpec{RDD: r, Partitions: partitions, ResultOpID: id, Properties: props, Handler: handler})
	runtime.KeepAlive(r)
	return err
}

// engineFrames are the packages whose frames CallSite skips.
var engineFrames = []string{"gospark/engine.", "gospark/engine/", "gospark/localcluster.", "gospark/shell.", "gospark/shell/",
	"reflect.", "runtime.", "github.com/traefik/yaegi"}

// CallSite implements rdd.Context: the goroutine's "callSite.short"
// property when set (the shell sets it to the cell), else the file and line
// of the first caller outside the engine.
func (c *Context) CallSite() string {
	if s := c.LocalProperty(scheduler.PropCallSite); s != "" {
		return s
	}
	pcs := make([]uintptr, 32)
	n := runtime.Callers(2, pcs)
	frames := runtime.CallersFrames(pcs[:n])
	for {
		f, more := frames.Next()
		internal := false
		for _, p := range engineFrames {
			if strings.HasPrefix(f.Function, p) {
				internal = true
				break
			}
		}
		if !internal && f.File != "" {
			return fmt.Sprintf("%s:%d", filepath.Base(f.File), f.Line)
		}
		if !more {
			return ""
		}
	}
}

// Do runs fn on the calling goroutine with ctx as the context of the jobs it
// starts: cancelling ctx cancels them. A panic raised by an action or a
// transformation in fn — a failed job, a wrong func — comes back as the
// error, so Go programs can handle failures as values:
//
//	err := sc.Do(ctx, func() { n = rdd.Count() })
func (c *Context) Do(ctx context.Context, fn func()) (err error) {
	restore := c.setLocal(func(l *locals) { l.ctx = ctx })
	defer restore()
	defer func() {
		if r := recover(); r != nil {
			if e, ok := r.(error); ok {
				err = e
				return
			}
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	fn()
	return nil
}

// FuncEpoch implements rdd.Epocher.
func (c *Context) FuncEpoch() int64 { return c.epoch.Load() }

// InvalidateFuncs makes every existing RDD refuse to run. The shell calls it
// after stopping the interpreter, whose closures made earlier then return
// zero values instead of running.
func (c *Context) InvalidateFuncs() { c.epoch.Add(1) }

// CancelJobGroup cancels the running jobs of a job group.
func (c *Context) CancelJobGroup(groupID string) {
	c.dag.CancelJobGroup(groupID, fmt.Sprintf("part of cancelled job group %s", groupID))
}

// CancelAllJobs cancels every running job.
func (c *Context) CancelAllJobs() { c.dag.CancelAllJobs("cancelled by CancelAllJobs") }

// CancelJob cancels one running job.
func (c *Context) CancelJob(jobID int) { c.dag.CancelJob(jobID, "cancelled by CancelJob") }

// BlockLocations returns the executors holding a block.
func (c *Context) BlockLocations(id storage.BlockID) []string { return c.blocks.Locations(id) }
