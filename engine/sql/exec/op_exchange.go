package exec

import (
	"context"
	"fmt"
	"sync"

	"github.com/apache/arrow/go/v17/arrow"
)

// Partitioning says how an Exchange distributes rows.
type Partitioning int

// The partitionings.
const (
	// HashPartitioning sends rows with equal Keys to the same partition.
	HashPartitioning Partitioning = iota
	// SinglePartition gathers everything into one partition.
	SinglePartition
	// RoundRobinPartitioning spreads batches evenly.
	RoundRobinPartitioning
)

// Exchange redistributes its child's rows among N partitions. It is where
// a plan is cut into stages. Until plans run on the engine's scheduler it
// runs in process: the first Execute computes every child partition
// concurrently and buckets the rows; later calls read their bucket.
type Exchange struct {
	Child Operator
	Kind  Partitioning
	Keys  []Expr
	N     int

	once    sync.Once
	buckets [][]arrow.Record
	err     error
}

// Schema is the child's schema.
func (e *Exchange) Schema() *arrow.Schema { return e.Child.Schema() }

// Children returns the input.
func (e *Exchange) Children() []Operator { return []Operator{e.Child} }

// Partitions returns N.
func (e *Exchange) Partitions() int { return e.N }

// String describes an Exchange on one line, as Explain shows it.
func (e *Exchange) String() string {
	switch e.Kind {
	case SinglePartition:
		return "Exchange SinglePartition"
	case RoundRobinPartitioning:
		return fmt.Sprintf("Exchange RoundRobinPartitioning(%d)", e.N)
	}
	return fmt.Sprintf("Exchange hashpartitioning(%s, %d)", joinExprs(e.Keys), e.N)
}

func (e *Exchange) run(ctx context.Context) {
	parts := e.Child.Partitions()
	out := make([][][]arrow.Record, parts)
	errs := make([]error, parts)
	var wg sync.WaitGroup
	for p := 0; p < parts; p++ {
		wg.Add(1)
		go func(p int) {
			defer wg.Done()
			defer func() {
				if r := recover(); r != nil {
					errs[p] = fmt.Errorf("partition %d: %v", p, r)
				}
			}()
			out[p], errs[p] = e.partition(ctx, p)
		}(p)
	}
	wg.Wait()
	e.buckets = make([][]arrow.Record, e.N)
	for _, err := range errs {
		if err != nil {
			e.err = err
		}
	}
	for _, o := range out {
		for b, recs := range o {
			e.buckets[b] = append(e.buckets[b], recs...)
		}
	}
}

func (e *Exchange) partition(ctx context.Context, p int) ([][]arrow.Record, error) {
	s, err := e.Child.Execute(ctx, p)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	out := make([][]arrow.Record, e.N)
	rr := p
	for {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		rec, err := s.Next()
		if err != nil || rec == nil {
			return out, err
		}
		parts, err := e.Split(rec, &rr)
		rec.Release()
		if err != nil {
			return out, err
		}
		for b, p := range parts {
			if p != nil {
				out[b] = append(out[b], p)
			}
		}
	}
}

// Split divides one batch among the N output partitions (nil where a
// partition gets no rows). rr is the round-robin cursor. The caller keeps
// its reference to rec.
func (e *Exchange) Split(rec arrow.Record, rr *int) ([]arrow.Record, error) {
	out := make([]arrow.Record, e.N)
	switch {
	case e.N == 1 || e.Kind == SinglePartition:
		rec.Retain()
		out[0] = rec
		return out, nil
	case e.Kind == RoundRobinPartitioning:
		rec.Retain()
		out[*rr%e.N] = rec
		*rr++
		return out, nil
	}
	keys, err := evalAll(e.Keys, rec)
	if err != nil {
		return nil, err
	}
	n := int(rec.NumRows())
	hashes := make([]uint64, n)
	HashColumns(keys, hashes)
	releaseArrays(keys)
	counts := make([]int32, e.N)
	for i, h := range hashes {
		b := h % uint64(e.N)
		hashes[i] = b
		counts[b]++
	}
	idx := make([][]int32, e.N)
	for b := range idx {
		idx[b] = make([]int32, 0, counts[b])
	}
	for i, b := range hashes {
		idx[b] = append(idx[b], int32(i))
	}
	for b, rows := range idx {
		if len(rows) > 0 {
			out[b] = TakeRecord(rec, rows)
		}
	}
	return out, nil
}

// Execute returns the rows of bucket p, computing all buckets the first
// time. Each bucket's records are released after it is read.
func (e *Exchange) Execute(ctx context.Context, p int) (Stream, error) {
	e.once.Do(func() { e.run(ctx) })
	if e.err != nil {
		return nil, e.err
	}
	recs := e.buckets[p]
	e.buckets[p] = nil
	i := 0
	return &funcStream{next: func() (arrow.Record, error) {
		if i >= len(recs) {
			return nil, nil
		}
		r := recs[i]
		recs[i] = nil
		i++
		return r, nil
	}, close: func() {
		for _, r := range recs[i:] {
			if r != nil {
				r.Release()
			}
		}
	}}, nil
}
