package sql

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/ipc"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"gospark/engine/rdd"
	"gospark/engine/sql/exec"
)

// Running a physical plan on the engine's scheduler: every Exchange cuts
// the plan. The operators below it become a map stage — an RDD whose
// partitions are the child's partitions, written through a
// ShuffleDependency whose MapSide hash-splits Arrow batches and whose
// Serializer writes Arrow IPC — and the Exchange itself becomes a
// shuffleRead leaf of the stage above, which reads its reduce partition
// from the engine's shuffle layer. The root stage runs as result tasks
// that return their partition's batches. So a GROUP BY is two stages
// (partial aggregate → shuffle → final aggregate) and a shuffled join
// three, scheduled, retried and shown like any RDD job.

type taskKey struct{}

// taskContext returns the engine task running the current partition.
func taskContext(ctx context.Context) *rdd.TaskContext {
	tc, _ := ctx.Value(taskKey{}).(*rdd.TaskContext)
	return tc
}

// ShuffleRemover is implemented by driver contexts that can drop a
// shuffle's map outputs. A SQL query's shuffles serve that query only, so
// the session hands them back once its job is over.
type ShuffleRemover interface {
	RemoveShuffle(shuffleID int)
}

// runOnEngine runs op as a job on the driver's scheduler.
func (s *Session) runOnEngine(ctx context.Context, rc rdd.Context, op exec.Operator) ([][]arrow.Record, error) {
	var deps []*rdd.ShuffleDependency
	root, err := stageRDD(rc, op, &deps)
	if err != nil {
		return nil, err
	}
	if rm, ok := rc.(ShuffleRemover); ok {
		defer func() {
			for _, d := range deps {
				rm.RemoveShuffle(d.ShuffleID)
			}
		}()
	}
	n := op.Partitions()
	parts := make([]int, n)
	for i := range parts {
		parts[i] = i
	}
	out := make([][]arrow.Record, n)
	err = rc.RunJob(root, collectBatches{}, parts, func(p int, v any) {
		out[p], _ = v.([]arrow.Record)
	})
	if err != nil {
		for _, p := range out {
			exec.ReleaseAll(p)
		}
		return nil, err
	}
	return out, nil
}

// stageRDD makes the RDD of op's partitions, turning every Exchange in op
// into a shuffle dependency.
func stageRDD(rc rdd.Context, op exec.Operator, all *[]*rdd.ShuffleDependency) (*rdd.RDD, error) {
	var deps []rdd.Dependency
	var cut func(o exec.Operator) (exec.Operator, error)
	cut = func(o exec.Operator) (exec.Operator, error) {
		if ex, ok := o.(*exec.Exchange); ok {
			child, err := stageRDD(rc, ex.Child, all)
			if err != nil {
				return nil, err
			}
			dep := shuffleOf(rc, child, ex)
			deps = append(deps, dep)
			*all = append(*all, dep)
			return &shuffleRead{dep: dep, ex: ex}, nil
		}
		return exec.WithChildren(o, cut)
	}
	top, err := cut(op)
	if err != nil {
		return nil, err
	}
	return rdd.New(rc, rdd.Spec{Kind: "SQLExecutionRDD", OpName: "sql", NumPartitions: top.Partitions(),
		Op: planOp{op: top}, Deps: deps, Name: top.String()}), nil
}

// planOp computes a partition of a stage by executing its operators.
type planOp struct{ op exec.Operator }

// Compute streams the partition's batches.
func (p planOp) Compute(tc *rdd.TaskContext, r *rdd.RDD, split int) rdd.Iterator {
	ctx := context.WithValue(tc.Context, taskKey{}, tc)
	st, err := p.op.Execute(ctx, split)
	if err != nil {
		panic(err)
	}
	tc.OnCompletion(st.Close)
	return func() (any, bool) {
		rec, err := st.Next()
		if err != nil {
			panic(err)
		}
		if rec == nil {
			return nil, false
		}
		return rec, true
	}
}

// collectBatches is the result operator: the partition's batches.
type collectBatches struct{}

// Run drains the partition.
func (collectBatches) Run(tc *rdd.TaskContext, it rdd.Iterator) any {
	var out []arrow.Record
	for x, ok := it(); ok; x, ok = it() {
		out = append(out, x.(arrow.Record))
	}
	return out
}

// bucketPartitioner sends bucket i to reduce partition i: the SQL map side
// has already hashed the rows.
type bucketPartitioner struct{ n int }

func (b bucketPartitioner) NumPartitions() int    { return b.n }
func (b bucketPartitioner) Partition(key any) int { return key.(int) }
func (b bucketPartitioner) String() string        { return fmt.Sprintf("sqlbuckets(%d)", b.n) }

func shuffleOf(rc rdd.Context, child *rdd.RDD, ex *exec.Exchange) *rdd.ShuffleDependency {
	dep := rdd.NewShuffleDependency(child, bucketPartitioner{n: ex.N}, nil, false)
	dep.Serializer = arrowIPC{}
	dep.MapSide = func(tc *rdd.TaskContext, it rdd.Iterator, emit func(int, any)) {
		rr := tc.PartitionID
		for x, ok := it(); ok; x, ok = it() {
			rec := x.(arrow.Record)
			parts, err := ex.Split(rec, &rr)
			rec.Release()
			if err != nil {
				panic(err)
			}
			for b, p := range parts {
				if p != nil {
					emit(b, p)
				}
			}
		}
	}
	return dep
}

// shuffleRead is the leaf an Exchange becomes in the stage that consumes
// it.
type shuffleRead struct {
	dep *rdd.ShuffleDependency
	ex  *exec.Exchange
}

func (s *shuffleRead) Schema() *arrow.Schema     { return s.ex.Schema() }
func (s *shuffleRead) Children() []exec.Operator { return nil }
func (s *shuffleRead) Partitions() int           { return s.ex.N }
func (s *shuffleRead) String() string            { return "ShuffleRead " + s.ex.String() }

// Execute reads reduce partition p from every map output.
func (s *shuffleRead) Execute(ctx context.Context, p int) (exec.Stream, error) {
	tc := taskContext(ctx)
	if tc == nil {
		return nil, errors.New("sql: a shuffle read outside an engine task")
	}
	it := tc.ShuffleRead(s.dep, p)
	return exec.FuncStream(func() (arrow.Record, error) {
		x, ok := it()
		if !ok {
			return nil, nil
		}
		return x.(arrow.Record), nil
	}, nil), nil
}

// arrowIPC writes shuffle records as an Arrow IPC stream.
type arrowIPC struct{}

func (arrowIPC) NewWriter(w io.Writer) rdd.RecordWriter { return &ipcWriter{w: w} }
func (arrowIPC) NewReader(r io.Reader) rdd.RecordReader { return &ipcReader{r: r} }

type ipcWriter struct {
	w  io.Writer
	iw *ipc.Writer
}

func (x *ipcWriter) Write(v any) error {
	rec := v.(arrow.Record)
	if x.iw == nil {
		x.iw = ipc.NewWriter(x.w, ipc.WithSchema(rec.Schema()), ipc.WithAllocator(memory.DefaultAllocator))
	}
	return x.iw.Write(rec)
}

func (x *ipcWriter) Flush() error {
	if x.iw == nil {
		return nil
	}
	return x.iw.Close()
}

type ipcReader struct {
	r   io.Reader
	ir  *ipc.Reader
	eof bool
}

func (x *ipcReader) Read() (any, error) {
	if x.eof {
		return nil, io.EOF
	}
	if x.ir == nil {
		ir, err := ipc.NewReader(x.r, ipc.WithAllocator(memory.DefaultAllocator))
		if err != nil {
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				x.eof = true
				return nil, io.EOF
			}
			return nil, err
		}
		x.ir = ir
	}
	if !x.ir.Next() {
		x.eof = true
		if err := x.ir.Err(); err != nil && !errors.Is(err, io.EOF) {
			return nil, err
		}
		x.ir.Release()
		return nil, io.EOF
	}
	rec := x.ir.Record()
	rec.Retain()
	return rec, nil
}
