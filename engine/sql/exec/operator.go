package exec

import (
	"context"
	"fmt"
	"strings"
	"sync"

	"github.com/apache/arrow/go/v17/arrow"
)

// BatchSize is the number of rows operators aim for in one record batch.
const BatchSize = 64 * 1024

// Operator is a physical operator: DataFusion's ExecutionPlan shape. Every
// operator computes any one of its partitions on its own, as a stream of
// record batches, so that a partition is a task.
type Operator interface {
	// Schema is the schema of every batch the operator produces.
	Schema() *arrow.Schema
	// Children are the operator's inputs.
	Children() []Operator
	// Partitions is the number of output partitions.
	Partitions() int
	// Execute starts computing one partition.
	Execute(ctx context.Context, partition int) (Stream, error)
	// String describes the operator on one line for Explain.
	String() string
}

// Stream yields record batches. Next returns (nil, nil) at the end; the
// caller releases every record it gets. Close releases what the stream
// holds and may be called before the end.
type Stream interface {
	Next() (arrow.Record, error)
	Close()
}

// sliceStream yields records from a slice; it retains each record it hands
// out, so the slice can be shared by many streams.
type sliceStream struct {
	recs []arrow.Record
	i    int
}

// NewSliceStream returns a stream over recs (retaining each as it goes).
func NewSliceStream(recs []arrow.Record) Stream { return &sliceStream{recs: recs} }

func (s *sliceStream) Next() (arrow.Record, error) {
	for s.i < len(s.recs) {
		r := s.recs[s.i]
		s.i++
		if r.NumRows() == 0 {
			continue
		}
		r.Retain()
		return r, nil
	}
	return nil, nil
}

func (s *sliceStream) Close() {}

// funcStream adapts a next func.
type funcStream struct {
	next  func() (arrow.Record, error)
	close func()
}

func (s *funcStream) Next() (arrow.Record, error) { return s.next() }
func (s *funcStream) Close() {
	if s.close != nil {
		s.close()
		s.close = nil
	}
}

// Drain reads a whole stream into a slice and closes it.
func Drain(s Stream) ([]arrow.Record, error) {
	defer s.Close()
	var out []arrow.Record
	for {
		r, err := s.Next()
		if err != nil {
			ReleaseAll(out)
			return nil, err
		}
		if r == nil {
			return out, nil
		}
		out = append(out, r)
	}
}

// ReleaseAll releases every record.
func ReleaseAll(recs []arrow.Record) {
	for _, r := range recs {
		r.Release()
	}
}

// ExecuteAll runs every partition of op at once, one goroutine each, and
// returns each partition's batches. It is the local driver loop used until
// a plan runs on the engine's scheduler.
func ExecuteAll(ctx context.Context, op Operator) ([][]arrow.Record, error) {
	n := op.Partitions()
	out := make([][]arrow.Record, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for p := 0; p < n; p++ {
		wg.Add(1)
		go func(p int) {
			defer wg.Done()
			defer func() {
				if r := recover(); r != nil {
					errs[p] = fmt.Errorf("partition %d: %v", p, r)
				}
			}()
			s, err := op.Execute(ctx, p)
			if err != nil {
				errs[p] = err
				return
			}
			out[p], errs[p] = Drain(s)
		}(p)
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			for _, recs := range out {
				ReleaseAll(recs)
			}
			return nil, err
		}
	}
	return out, nil
}

// Collect runs op and returns all its batches in partition order.
func Collect(ctx context.Context, op Operator) ([]arrow.Record, error) {
	parts, err := ExecuteAll(ctx, op)
	if err != nil {
		return nil, err
	}
	var out []arrow.Record
	for _, p := range parts {
		out = append(out, p...)
	}
	return out, nil
}

// Format renders a physical plan as an indented tree, one operator a line.
func Format(op Operator) string {
	var b strings.Builder
	var walk func(o Operator, depth int)
	walk = func(o Operator, depth int) {
		if depth > 0 {
			b.WriteString(strings.Repeat("   ", depth-1))
			b.WriteString("+- ")
		}
		b.WriteString(o.String())
		b.WriteByte('\n')
		for _, c := range o.Children() {
			walk(c, depth+1)
		}
	}
	walk(op, 0)
	return b.String()
}

// evalAll evaluates exprs over rec.
func evalAll(exprs []Expr, rec arrow.Record) ([]arrow.Array, error) {
	out := make([]arrow.Array, len(exprs))
	for i, e := range exprs {
		a, err := e.Eval(rec)
		if err != nil {
			releaseArrays(out[:i])
			return nil, err
		}
		out[i] = a
	}
	return out, nil
}

func releaseArrays(as []arrow.Array) {
	for _, a := range as {
		if a != nil {
			a.Release()
		}
	}
}

// SchemaOf builds a schema from names and expressions' types.
func SchemaOf(names []string, exprs []Expr) *arrow.Schema {
	fs := make([]arrow.Field, len(exprs))
	for i, e := range exprs {
		fs[i] = arrow.Field{Name: names[i], Type: e.Type(), Nullable: true}
	}
	return arrow.NewSchema(fs, nil)
}

func fieldNames(s *arrow.Schema) string {
	names := make([]string, s.NumFields())
	for i, f := range s.Fields() {
		names[i] = f.Name
	}
	return strings.Join(names, ", ")
}

// FuncStream returns a Stream that calls next, and close (if not nil) once.
func FuncStream(next func() (arrow.Record, error), close func()) Stream {
	return &funcStream{next: next, close: close}
}
