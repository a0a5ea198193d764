// Package sql is gospark's DataFrame and SQL API: a Session that reads
// files and runs SQL, immutable DataFrames whose transformations build a
// logical plan, Columns and the built-in functions. Actions plan the query
// (analyzer → optimizer → physical plan) and run vectorized operators over
// Arrow record batches.
//
// Errors follow the engine's convention: a transformation called wrongly
// (an unknown column, a type error) panics at the call with an
// *AnalysisError; an action panics with the job's error. The shell and the
// kernel recover and render both.
package sql

import (
	"context"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"sync"

	"github.com/apache/arrow/go/v17/arrow"

	"gospark/engine/rdd"
	"gospark/engine/sql/exec"
	"gospark/engine/sql/plan"
)

// AnalysisError is a query that cannot be resolved; see plan.AnalysisError.
type AnalysisError = plan.AnalysisError

// Session is the entry point of the DataFrame and SQL API (Spark's
// SparkSession): configuration, temporary views and cached data.
type Session struct {
	driver any

	mu    sync.Mutex
	conf  map[string]string
	views map[string]plan.Node
	cache map[plan.Node]*cacheEntry
}

type cacheEntry struct {
	once  sync.Once
	parts [][]arrow.Record
	err   error
}

// NewSession returns a session. driver is the engine's RDD-side context
// (kept for running plans on the engine's scheduler); it may be nil, in
// which case plans run on in-process goroutines, one per partition.
func NewSession(driver any) *Session {
	return &Session{driver: driver, conf: map[string]string{}, views: map[string]plan.Node{}, cache: map[plan.Node]*cacheEntry{}}
}

// Conf returns the session's runtime configuration.
func (s *Session) Conf() *RuntimeConfig { return &RuntimeConfig{s: s} }

// RuntimeConfig reads and sets spark.sql.* settings.
type RuntimeConfig struct{ s *Session }

// Set sets a configuration key.
func (c *RuntimeConfig) Set(key, value string) {
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	c.s.conf[key] = value
}

// Get returns a key's value, or its default ("" when unknown).
func (c *RuntimeConfig) Get(key string) string {
	c.s.mu.Lock()
	v, ok := c.s.conf[key]
	c.s.mu.Unlock()
	if ok {
		return v
	}
	switch key {
	case "spark.sql.shuffle.partitions":
		// The cores of the local cluster (its default parallelism), like
		// gospark's local mode default.
		if rc, ok := c.s.driver.(rdd.Context); ok && rc != nil {
			return strconv.Itoa(max(1, rc.DefaultParallelism()))
		}
		return strconv.Itoa(runtime.GOMAXPROCS(0))
	case "spark.sql.autoBroadcastJoinThreshold":
		return "10485760"
	case "spark.sql.adaptive.advisoryPartitionSizeInBytes":
		return "1073741824"
	}
	return ""
}

func (s *Session) intConf(key string) int64 {
	v := s.Conf().Get(key)
	v = strings.TrimSpace(strings.ToLower(v))
	mult := int64(1)
	for suf, m := range map[string]int64{"kb": 1 << 10, "mb": 1 << 20, "gb": 1 << 30, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "b": 1} {
		if strings.HasSuffix(v, suf) {
			v, mult = strings.TrimSuffix(v, suf), m
			break
		}
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		panic(&AnalysisError{Msg: fmt.Sprintf("configuration %s=%q is not a number", key, s.Conf().Get(key))})
	}
	return n * mult
}

func (s *Session) planner() *plan.Planner {
	p := &plan.Planner{
		ShufflePartitions:  int(max(1, s.intConf("spark.sql.shuffle.partitions"))),
		BroadcastThreshold: s.intConf("spark.sql.autoBroadcastJoinThreshold"),
		Parallelism:        s.parallelism(),
	}
	s.mu.Lock()
	_, fixed := s.conf["spark.sql.shuffle.partitions"]
	s.mu.Unlock()
	if !fixed {
		// Partitions of about spark.sql.adaptive.advisoryPartitionSizeInBytes
		// (gospark's default 1 GiB: more partitions than cores only for
		// inputs that would not fit otherwise).
		p.AdvisoryPartitionBytes = s.intConf("spark.sql.adaptive.advisoryPartitionSizeInBytes")
	}
	return p
}

// parallelism is the number of tasks that run at once: the engine's
// default parallelism, or the cores of this process.
func (s *Session) parallelism() int {
	if rc, ok := s.driver.(rdd.Context); ok && rc != nil {
		return max(1, rc.DefaultParallelism())
	}
	return runtime.GOMAXPROCS(0)
}

// prepare rewrites a plan for execution: cached parts become memory
// relations, subqueries are rewritten, then the optimizer runs.
func (s *Session) prepare(ctx context.Context, n plan.Node) (plan.Node, error) {
	return s.prepareSkipping(ctx, n, nil)
}

func (s *Session) prepareSkipping(ctx context.Context, n, skip plan.Node) (plan.Node, error) {
	n = s.useCache(ctx, n, skip)
	n, err := s.rewriteSubqueries(ctx, n)
	if err != nil {
		return nil, err
	}
	return plan.Optimize(n), nil
}

// execute runs a plan and returns the batches of each partition.
func (s *Session) execute(ctx context.Context, n plan.Node) ([][]arrow.Record, *arrow.Schema, error) {
	opt, err := s.prepare(ctx, n)
	if err != nil {
		return nil, nil, err
	}
	op, err := s.planner().Plan(opt)
	if err != nil {
		return nil, nil, err
	}
	parts, err := s.run(ctx, op)
	if err != nil {
		return nil, nil, err
	}
	// Name the columns as the logical plan does.
	schema := plan.Schema(n.Output())
	for i, p := range parts {
		for j, r := range p {
			cols := r.Columns()
			for _, c := range cols {
				c.Retain()
			}
			parts[i][j] = exec.NewRecord(schema, cols, int(r.NumRows()))
			r.Release()
		}
	}
	return parts, schema, nil
}

// run executes a physical plan: as a job on the engine's scheduler when
// the session has a driver context, else on in-process goroutines.
func (s *Session) run(ctx context.Context, op exec.Operator) ([][]arrow.Record, error) {
	if rc, ok := s.driver.(rdd.Context); ok && rc != nil {
		return s.runOnEngine(ctx, rc, op)
	}
	return exec.ExecuteAll(ctx, op)
}

// useCache replaces subtrees that are cached with memory relations, filling
// the cache the first time.
func (s *Session) useCache(ctx context.Context, n, skip plan.Node) plan.Node {
	s.mu.Lock()
	empty := len(s.cache) == 0
	s.mu.Unlock()
	if empty {
		return n
	}
	var walk func(n plan.Node) plan.Node
	walk = func(n plan.Node) plan.Node {
		s.mu.Lock()
		e, ok := s.cache[n]
		s.mu.Unlock()
		if ok && n != skip {
			e.once.Do(func() {
				opt, err := s.prepareSkipping(ctx, n, n)
				if err != nil {
					e.err = err
					return
				}
				op, err := s.planner().Plan(opt)
				if err != nil {
					e.err = err
					return
				}
				e.parts, e.err = s.run(ctx, op)
			})
			if e.err == nil {
				return &plan.Relation{Kind: plan.MemorySource, Attrs: n.Output(), Memory: e.parts, Label: "InMemoryRelation"}
			}
			return n
		}
		cs := n.Children()
		if len(cs) == 0 {
			return n
		}
		nc := make([]plan.Node, len(cs))
		changed := false
		for i, c := range cs {
			nc[i] = walk(c)
			changed = changed || nc[i] != c
		}
		if !changed {
			return n
		}
		return plan.WithChildren(n, nc)
	}
	return walk(n)
}

// Table returns the temporary view name as a DataFrame.
func (s *Session) Table(name string) *DataFrame {
	n, err := s.lookupView(name)
	if err != nil {
		panic(err)
	}
	return s.df(n)
}

func (s *Session) lookupView(name string) (plan.Node, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n, ok := s.views[strings.ToLower(name)]
	if !ok {
		names := make([]string, 0, len(s.views))
		for k := range s.views {
			names = append(names, k)
		}
		return nil, &AnalysisError{Msg: fmt.Sprintf("table or view not found: %s (temporary views: %s)", name, strings.Join(names, ", "))}
	}
	return &plan.SubqueryAlias{Child: n, Alias: name}, nil
}

// DropTempView removes a temporary view and reports whether it existed.
func (s *Session) DropTempView(name string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.views[strings.ToLower(name)]
	delete(s.views, strings.ToLower(name))
	return ok
}

// TableNames lists the temporary views.
func (s *Session) TableNames() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for k := range s.views {
		out = append(out, k)
	}
	return out
}

func (s *Session) df(n plan.Node) *DataFrame { return &DataFrame{s: s, plan: n} }

// Range returns a DataFrame with one bigint column "id" from start to end
// (exclusive) by step.
func (s *Session) Range(start, end int64, step ...int64) *DataFrame {
	st := int64(1)
	if len(step) > 0 {
		st = step[0]
	}
	if st == 0 {
		panic(&AnalysisError{Msg: "Range step must not be 0"})
	}
	var vals []int64
	for v := start; (st > 0 && v < end) || (st < 0 && v > end); v += st {
		vals = append(vals, v)
	}
	parts := runtime.GOMAXPROCS(0)
	schema := arrow.NewSchema([]arrow.Field{{Name: "id", Type: exec.Int64, Nullable: false}}, nil)
	var memory [][]arrow.Record
	per := (len(vals) + parts - 1) / max(parts, 1)
	for p := 0; p < parts; p++ {
		lo, hi := min(p*per, len(vals)), min((p+1)*per, len(vals))
		var recs []arrow.Record
		for off := lo; off < hi; off += exec.BatchSize {
			e := min(off+exec.BatchSize, hi)
			col := exec.FixedArray(exec.Int64, append([]int64(nil), vals[off:e]...), nil)
			recs = append(recs, exec.NewRecord(schema, []arrow.Array{col}, e-off))
		}
		memory = append(memory, recs)
	}
	return s.df(&plan.Relation{Kind: plan.MemorySource, Attrs: plan.AttrsOf(schema), Memory: memory, Label: "Range"})
}
