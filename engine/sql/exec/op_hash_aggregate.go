package exec

import (
	"context"
	"fmt"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
)

// AggMode is the stage of a two-phase aggregation.
type AggMode int

// The aggregation modes (see AggFunc).
const (
	Complete AggMode = iota
	Partial
	Final
)

var modeNames = [...]string{"Complete", "Partial", "Final"}

// String describes an AggMode on one line, as Explain shows it.
func (m AggMode) String() string { return modeNames[m] }

// HashAggregate groups rows by Keys and computes Aggs per group, with our
// own typed hash tables and accumulators. Output columns: the keys, then
// one column per aggregate (Complete, Final) or its state columns
// (Partial). In Final mode the input is a Partial aggregate's output: keys
// first, then the states in order, and Keys/Aggs' Args are ignored.
//
// A Partial aggregate whose groups turn out to be nearly as many as its
// rows (the probe in DataFusion's skip-partial-aggregation) stops building
// one big table and aggregates each batch on its own, which keeps memory
// flat and lets the Final stage do the real work once.
type HashAggregate struct {
	Child Operator
	Mode  AggMode
	Keys  []Expr
	Aggs  []*AggFunc
	S     *arrow.Schema
}

// NewHashAggregate builds the operator and its output schema from names:
// key names first, then one name per aggregate.
func NewHashAggregate(child Operator, mode AggMode, keys []Expr, aggs []*AggFunc, names []string) *HashAggregate {
	var fs []arrow.Field
	for i, k := range keys {
		fs = append(fs, arrow.Field{Name: names[i], Type: k.Type(), Nullable: true})
	}
	for i, a := range aggs {
		name := names[len(keys)+i]
		if mode == Partial {
			for j, t := range a.StateTypes() {
				fs = append(fs, arrow.Field{Name: fmt.Sprintf("%s#state%d", name, j), Type: t, Nullable: true})
			}
		} else {
			fs = append(fs, arrow.Field{Name: name, Type: a.T, Nullable: true})
		}
	}
	return &HashAggregate{Child: child, Mode: mode, Keys: keys, Aggs: aggs, S: arrow.NewSchema(fs, nil)}
}

// Schema returns the output schema.
func (h *HashAggregate) Schema() *arrow.Schema { return h.S }

// Children returns the input.
func (h *HashAggregate) Children() []Operator { return []Operator{h.Child} }

// Partitions is the child's.
func (h *HashAggregate) Partitions() int { return h.Child.Partitions() }

// String describes a HashAggregate on one line, as Explain shows it.
func (h *HashAggregate) String() string {
	aggs := make([]Expr, len(h.Aggs))
	for i, a := range h.Aggs {
		aggs[i] = a
	}
	return fmt.Sprintf("HashAggregate(mode=%s, keys=[%s], functions=[%s])", h.Mode, joinExprs(h.Keys), joinExprs(aggs))
}

// Type and Eval let an AggFunc print inside joinExprs; they are never
// evaluated as scalars.
func (f *AggFunc) Type() arrow.DataType { return f.T }

// Eval is not defined for aggregates.
func (f *AggFunc) Eval(arrow.Record) (arrow.Array, error) {
	return nil, fmt.Errorf("aggregate %s evaluated as a scalar", f.Name)
}

type aggState struct {
	h      *HashAggregate
	table  GroupTable
	accs   []Accumulator
	groups int
	gids   []int32
}

func (h *HashAggregate) newState() *aggState {
	s := &aggState{h: h}
	if len(h.Keys) > 0 {
		types := make([]arrow.DataType, len(h.Keys))
		for i, k := range h.Keys {
			types[i] = k.Type()
		}
		s.table = NewGroupTable(types)
	}
	s.accs = make([]Accumulator, len(h.Aggs))
	for i, a := range h.Aggs {
		s.accs[i] = a.NewAccumulator()
	}
	if s.table == nil {
		s.groups = 1
		for _, a := range s.accs {
			a.Grow(1)
		}
	}
	return s
}

func (s *aggState) add(rec arrow.Record) error {
	h := s.h
	n := int(rec.NumRows())
	if cap(s.gids) < n {
		s.gids = make([]int32, n)
	}
	gids := s.gids[:n]
	nk := len(h.Keys)
	if s.table != nil {
		var keys []arrow.Array
		if h.Mode == Final {
			keys = make([]arrow.Array, nk)
			for i := range keys {
				keys[i] = rec.Column(i)
			}
		} else {
			var err error
			if keys, err = evalAll(h.Keys, rec); err != nil {
				return err
			}
			defer releaseArrays(keys)
		}
		s.table.Insert(keys, gids)
		if g := s.table.Len(); g > s.groups {
			s.groups = g
			for _, a := range s.accs {
				a.Grow(g)
			}
		}
	} else {
		for i := range gids {
			gids[i] = 0
		}
	}
	col := nk
	for i, a := range h.Aggs {
		if h.Mode == Final {
			k := len(a.StateTypes())
			state := make([]arrow.Array, k)
			for j := range state {
				state[j] = rec.Column(col + j)
			}
			col += k
			s.accs[i].Merge(gids, state)
			continue
		}
		args, err := evalAll(a.Args, rec)
		if err != nil {
			return err
		}
		s.accs[i].Update(gids, args)
		releaseArrays(args)
	}
	return nil
}

func (s *aggState) emit() arrow.Record {
	var cols []arrow.Array
	if s.table != nil {
		cols = append(cols, s.table.Keys()...)
	}
	for _, a := range s.accs {
		if s.h.Mode == Partial {
			cols = append(cols, a.State()...)
		} else {
			cols = append(cols, a.Final())
		}
	}
	return NewRecord(s.h.S, cols, s.groups)
}

const (
	partialProbeRows  = 100_000
	partialProbeRatio = 0.8
)

// Execute aggregates one partition.
func (h *HashAggregate) Execute(ctx context.Context, p int) (Stream, error) {
	in, err := h.Child.Execute(ctx, p)
	if err != nil {
		return nil, err
	}
	var pending []arrow.Record
	if h.Mode == Final && len(h.Keys) > 0 {
		st, read, err := h.executeRadix(ctx, in)
		if err != nil {
			return nil, err
		}
		if st != nil {
			return st, nil
		}
		// A small input: aggregate the batches already read, then the rest.
		in = &prefixStream{recs: read, rest: in}
	}
	started, finished := false, false
	st := h.newState()
	rows := 0
	skipping := false
	emitAll := func(rec arrow.Record) {
		for off := int64(0); off < rec.NumRows(); off += BatchSize {
			end := min(off+BatchSize, rec.NumRows())
			pending = append(pending, rec.NewSlice(off, end))
		}
		rec.Release()
	}
	next := func() (arrow.Record, error) {
		for len(pending) == 0 {
			if finished {
				return nil, nil
			}
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			rec, err := in.Next()
			if err != nil {
				return nil, err
			}
			if rec == nil {
				finished = true
				if !skipping && (st.groups > 0 || !started || len(h.Keys) == 0) {
					if st.table == nil || st.groups > 0 {
						emitAll(st.emit())
					}
				}
				break
			}
			started = true
			if skipping {
				out, err := h.passThrough(rec)
				if err != nil {
					rec.Release()
					return nil, err
				}
				if out == nil {
					b := h.newState()
					err = b.add(rec)
					if err == nil {
						out = b.emit()
					}
				}
				rec.Release()
				if err != nil {
					return nil, err
				}
				emitAll(out)
				continue
			}
			err = st.add(rec)
			rows += int(rec.NumRows())
			rec.Release()
			if err != nil {
				return nil, err
			}
			if h.Mode == Partial && st.table != nil && rows >= partialProbeRows && float64(st.groups) > partialProbeRatio*float64(rows) {
				skipping = true
				emitAll(st.emit())
			}
		}
		if len(pending) == 0 {
			return nil, nil
		}
		r := pending[0]
		pending = pending[1:]
		return r, nil
	}
	return &funcStream{next: next, close: func() {
		in.Close()
		ReleaseAll(pending)
	}}, nil
}

// passThrough converts raw rows straight into partial-aggregate rows (one
// group per row) when every aggregate can do so cheaply; it returns nil
// when one cannot.
func (h *HashAggregate) passThrough(rec arrow.Record) (arrow.Record, error) {
	for _, a := range h.Aggs {
		switch a.Name {
		case "sum", "count", "avg", "min", "max":
		default:
			return nil, nil
		}
	}
	n := int(rec.NumRows())
	cols, err := evalAll(h.Keys, rec)
	if err != nil {
		return nil, err
	}
	for _, a := range h.Aggs {
		args, err := evalAll(a.Args, rec)
		if err != nil {
			releaseArrays(cols)
			return nil, err
		}
		switch a.Name {
		case "count":
			ones := make([]int64, n)
			for i := range ones {
				ones[i] = 1
				for _, c := range args {
					if c.IsNull(i) {
						ones[i] = 0
					}
				}
			}
			cols = append(cols, FixedArray(Int64, ones, nil))
			releaseArrays(args)
		case "sum", "min", "max":
			st := args[0]
			if want := a.StateTypes()[0]; !arrow.TypeEqual(st.DataType(), want) {
				c, err := CastArray(st, want)
				st.Release()
				if err != nil {
					releaseArrays(cols)
					return nil, err
				}
				st = c
			}
			cols = append(cols, st)
		case "avg":
			v := args[0]
			if v.DataType().ID() != arrow.FLOAT64 {
				c, err := CastArray(v, Float64)
				v.Release()
				if err != nil {
					releaseArrays(cols)
					return nil, err
				}
				v = c
			}
			ones := make([]int64, n)
			for i := range ones {
				if v.IsValid(i) {
					ones[i] = 1
				}
			}
			vals := v.(*array.Float64).Float64Values()
			sums := make([]float64, n)
			for i := range sums {
				if ones[i] == 1 {
					sums[i] = vals[i]
				}
			}
			cols = append(cols, FixedArray(Float64, sums, nil), FixedArray(Int64, ones, nil))
			v.Release()
		}
	}
	return NewRecord(h.S, cols, n), nil
}

// prefixStream yields recs, then the rest of a stream.
type prefixStream struct {
	recs []arrow.Record
	rest Stream
}

func (s *prefixStream) Next() (arrow.Record, error) {
	if len(s.recs) > 0 {
		r := s.recs[0]
		s.recs = s.recs[1:]
		return r, nil
	}
	return s.rest.Next()
}

func (s *prefixStream) Close() {
	ReleaseAll(s.recs)
	s.recs = nil
	s.rest.Close()
}
