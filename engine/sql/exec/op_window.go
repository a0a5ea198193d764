package exec

import (
	"context"
	"fmt"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
)

// FrameUnbounded marks an open frame side in WindowFunc.
const FrameUnbounded = int64(1) << 62

// WindowFunc is one window function of a Window operator: a ranking
// function (row_number, rank, dense_rank, percent_rank, cume_dist, ntile,
// lag, lead) or an aggregate over a frame.
type WindowFunc struct {
	Name string
	Args []Expr
	Agg  *AggFunc
	T    arrow.DataType
	// Rows frames count rows; otherwise the frame is RANGE and the current
	// row includes its peers (rows equal on the order keys).
	Rows       bool
	Start, End int64
}

// Window computes window functions over partitions of rows that share
// PartitionBy, ordered by OrderBy, and appends one column per function.
// The input must be partitioned by PartitionBy (the planner puts an
// Exchange below).
type Window struct {
	Child       Operator
	PartitionBy []Expr
	OrderBy     []SortKey
	Funcs       []*WindowFunc
	S           *arrow.Schema
}

// NewWindow builds the operator; names name the function columns.
func NewWindow(child Operator, partitionBy []Expr, orderBy []SortKey, funcs []*WindowFunc, names []string) *Window {
	fs := append([]arrow.Field{}, child.Schema().Fields()...)
	for i, f := range funcs {
		fs = append(fs, arrow.Field{Name: names[i], Type: f.T, Nullable: true})
	}
	return &Window{Child: child, PartitionBy: partitionBy, OrderBy: orderBy, Funcs: funcs, S: arrow.NewSchema(fs, nil)}
}

// Schema returns the child's columns and the function columns.
func (w *Window) Schema() *arrow.Schema { return w.S }

// Children returns the input.
func (w *Window) Children() []Operator { return []Operator{w.Child} }

// Partitions is the child's.
func (w *Window) Partitions() int { return w.Child.Partitions() }

// String describes a Window on one line, as Explain shows it.
func (w *Window) String() string {
	fs := make([]string, len(w.Funcs))
	for i, f := range w.Funcs {
		fs[i] = fmt.Sprintf("%s(%s)", f.Name, joinExprs(f.Args))
	}
	return fmt.Sprintf("Window [%s], [%s], [%s]", strings.Join(fs, ", "), joinExprs(w.PartitionBy), sortKeysString(w.OrderBy))
}

// Execute sorts the partition by (partition keys, order keys) and computes
// every function per window partition.
func (w *Window) Execute(ctx context.Context, p int) (Stream, error) {
	in, err := w.Child.Execute(ctx, p)
	if err != nil {
		return nil, err
	}
	recs, err := Drain(in)
	if err != nil {
		return nil, err
	}
	all := ConcatRecords(w.Child.Schema(), recs)
	ReleaseAll(recs)
	defer all.Release()
	keys := make([]SortKey, 0, len(w.PartitionBy)+len(w.OrderBy))
	for _, e := range w.PartitionBy {
		keys = append(keys, SortKey{X: e, NullsFirst: true})
	}
	keys = append(keys, w.OrderBy...)
	idx, err := SortIndices(all, keys)
	if err != nil {
		return nil, err
	}
	sorted := TakeRecord(all, idx)
	n := int(sorted.NumRows())
	// Window partition boundaries.
	starts := []int{0}
	if len(w.PartitionBy) > 0 && n > 0 {
		pk, err := evalAll(w.PartitionBy, sorted)
		if err != nil {
			sorted.Release()
			return nil, err
		}
		types := make([]arrow.DataType, len(pk))
		for i, k := range pk {
			types[i] = k.DataType()
		}
		gids := make([]int32, n)
		NewGroupTable(types).Insert(pk, gids)
		releaseArrays(pk)
		for r := 1; r < n; r++ {
			if gids[r] != gids[r-1] {
				starts = append(starts, r)
			}
		}
	}
	starts = append(starts, n)
	// Peer groups: rows equal on the order keys.
	peerEnd := make([]int, n) // one past the last peer of row r
	peerStart := make([]int, n)
	{
		ocols := make([]arrow.Array, len(w.OrderBy))
		cmps := make([]rowComparator, len(w.OrderBy))
		for i, k := range w.OrderBy {
			a, err := k.X.Eval(sorted)
			if err != nil {
				sorted.Release()
				return nil, err
			}
			ocols[i] = a
			cmps[i] = columnComparator(a, k)
		}
		same := func(a, b int) bool {
			for _, c := range cmps {
				if c(int32(a), int32(b)) != 0 {
					return false
				}
			}
			return true
		}
		for s := 0; s+1 < len(starts); s++ {
			lo, hi := starts[s], starts[s+1]
			for r := lo; r < hi; {
				e := r + 1
				for e < hi && same(r, e) {
					e++
				}
				for k := r; k < e; k++ {
					peerStart[k], peerEnd[k] = r, e
				}
				r = e
			}
		}
		releaseArrays(ocols)
	}
	cols := sorted.Columns()
	out := make([]arrow.Array, 0, len(cols)+len(w.Funcs))
	for _, c := range cols {
		c.Retain()
		out = append(out, c)
	}
	for _, f := range w.Funcs {
		c, err := w.compute(f, sorted, starts, peerStart, peerEnd)
		if err != nil {
			releaseArrays(out)
			sorted.Release()
			return nil, err
		}
		out = append(out, c)
	}
	sorted.Release()
	return recordSlices(NewRecord(w.S, out, n)), nil
}

func (w *Window) compute(f *WindowFunc, rec arrow.Record, starts, peerStart, peerEnd []int) (arrow.Array, error) {
	n := int(rec.NumRows())
	switch f.Name {
	case "row_number", "rank", "dense_rank", "ntile":
		out := make([]int32, n)
		buckets := int64(1)
		if f.Name == "ntile" && len(f.Args) > 0 {
			if l, ok := f.Args[0].(*Literal); ok {
				buckets = toInt64(l.Val)
			}
		}
		for s := 0; s+1 < len(starts); s++ {
			lo, hi := starts[s], starts[s+1]
			dense := int32(0)
			for r := lo; r < hi; r++ {
				switch f.Name {
				case "row_number":
					out[r] = int32(r - lo + 1)
				case "rank":
					out[r] = int32(peerStart[r] - lo + 1)
				case "dense_rank":
					if r == peerStart[r] {
						dense++
					}
					out[r] = dense
				case "ntile":
					size := int64(hi - lo)
					i := int64(r - lo)
					q, rem := size/buckets, size%buckets
					// The first rem buckets have q+1 rows.
					if i < rem*(q+1) {
						out[r] = int32(i/(q+1) + 1)
					} else {
						out[r] = int32(rem + (i-rem*(q+1))/max(q, 1) + 1)
					}
				}
			}
		}
		return FixedArray(Int32, out, nil), nil
	case "percent_rank", "cume_dist":
		out := make([]float64, n)
		for s := 0; s+1 < len(starts); s++ {
			lo, hi := starts[s], starts[s+1]
			size := float64(hi - lo)
			for r := lo; r < hi; r++ {
				if f.Name == "percent_rank" {
					if size > 1 {
						out[r] = float64(peerStart[r]-lo) / (size - 1)
					}
				} else {
					out[r] = float64(peerEnd[r]-lo) / size
				}
			}
		}
		return FixedArray(Float64, out, nil), nil
	case "lag", "lead":
		x, err := f.Args[0].Eval(rec)
		if err != nil {
			return nil, err
		}
		defer x.Release()
		off := int64(1)
		if len(f.Args) > 1 {
			if l, ok := f.Args[1].(*Literal); ok {
				off = toInt64(l.Val)
			}
		}
		if f.Name == "lag" {
			off = -off
		}
		idx := make([]int32, n)
		useDefault := make([]bool, n)
		for s := 0; s+1 < len(starts); s++ {
			lo, hi := starts[s], starts[s+1]
			for r := lo; r < hi; r++ {
				t := int64(r) + off
				if t < int64(lo) || t >= int64(hi) {
					idx[r] = -1
					useDefault[r] = true
				} else {
					idx[r] = int32(t)
				}
			}
		}
		taken := Take(x, idx)
		if len(f.Args) < 3 {
			return taken, nil
		}
		defer taken.Release()
		def, err := f.Args[2].Eval(rec)
		if err != nil {
			return nil, err
		}
		defer def.Release()
		app := NewAppender(f.T)
		for r := 0; r < n; r++ {
			if useDefault[r] {
				app.AppendFrom(def, r)
			} else {
				app.AppendFrom(taken, r)
			}
		}
		return app.Finish(), nil
	}
	if f.Agg == nil {
		return nil, fmt.Errorf("unknown window function %s", f.Name)
	}
	args, err := evalAll(f.Agg.Args, rec)
	if err != nil {
		return nil, err
	}
	defer releaseArrays(args)
	acc := f.Agg.NewAccumulator()
	wholePartition := f.Start <= -FrameUnbounded && f.End >= FrameUnbounded
	if wholePartition {
		gids := make([]int32, n)
		for s := 0; s+1 < len(starts); s++ {
			for r := starts[s]; r < starts[s+1]; r++ {
				gids[r] = int32(s)
			}
		}
		acc.Grow(len(starts) - 1)
		acc.Update(gids, args)
		res := acc.Final()
		defer res.Release()
		return Take(res, gids), nil
	}
	frame := func(r, lo, hi int) (int, int) {
		if f.Rows {
			a, b := lo, hi
			if f.Start > -FrameUnbounded {
				a = max(lo, int(int64(r)+f.Start))
			}
			if f.End < FrameUnbounded {
				b = min(hi, int(int64(r)+f.End+1))
			}
			return a, max(a, b)
		}
		a, b := lo, peerEnd[r]
		if f.Start > -FrameUnbounded {
			a = peerStart[r]
		}
		if f.End >= FrameUnbounded {
			b = hi
		}
		return a, b
	}
	if out, ok := prefixWindowAgg(f, args, starts, frame); ok {
		return out, nil
	}
	// Every output row is its own group fed the rows of its frame.
	acc.Grow(n)
	var rows, gids []int32
	flush := func() {
		if len(rows) == 0 {
			return
		}
		sub := make([]arrow.Array, len(args))
		for i, a := range args {
			sub[i] = Take(a, rows)
		}
		acc.Update(gids, sub)
		releaseArrays(sub)
		rows, gids = rows[:0], gids[:0]
	}
	for s := 0; s+1 < len(starts); s++ {
		lo, hi := starts[s], starts[s+1]
		for r := lo; r < hi; r++ {
			a, b := frame(r, lo, hi) // frame [a, b)
			for k := a; k < b; k++ {
				rows = append(rows, int32(k))
				gids = append(gids, int32(r))
			}
			if len(rows) >= BatchSize {
				flush()
			}
		}
	}
	flush()
	return acc.Final(), nil
}

func toInt64(v any) int64 {
	switch x := v.(type) {
	case int32:
		return int64(x)
	case int64:
		return x
	case float64:
		return int64(x)
	}
	return 0
}

// prefixWindowAgg computes sum, count and avg over any frame, and min and
// max over frames that start at the partition's first row, from running
// totals: linear in the rows, where feeding each frame to an accumulator
// costs rows × frame size. ok is false for the other aggregates.
func prefixWindowAgg(f *WindowFunc, args []arrow.Array, starts []int, frame func(r, lo, hi int) (int, int)) (arrow.Array, bool) {
	name := f.Agg.Name
	switch name {
	case "sum", "count", "avg", "mean":
	case "min", "max":
		// Doubles hold int and double values exactly; bigint may not fit.
		if f.Start > -FrameUnbounded || (f.T.ID() != arrow.INT32 && f.T.ID() != arrow.FLOAT64) {
			return nil, false
		}
	default:
		return nil, false
	}
	var col arrow.Array
	if len(args) > 0 {
		col = args[0]
	}
	n := 0
	if len(starts) > 0 {
		n = starts[len(starts)-1]
	}
	// Values as doubles and as integers (exact sums of int columns).
	isInt := col != nil && (col.DataType().ID() == arrow.INT32 || col.DataType().ID() == arrow.INT64)
	fv := make([]float64, n)
	iv := make([]int64, n)
	valid := make([]bool, n)
	for i := 0; i < n; i++ {
		if col == nil {
			valid[i] = true
			continue
		}
		if col.IsNull(i) {
			continue
		}
		valid[i] = true
		switch c := col.(type) {
		case *array.Int32:
			iv[i], fv[i] = int64(c.Value(i)), float64(c.Value(i))
		case *array.Int64:
			iv[i], fv[i] = c.Value(i), float64(c.Value(i))
		case *array.Float64:
			fv[i] = c.Value(i)
		default:
			if name != "count" {
				return nil, false
			}
		}
	}
	outValid := NewValidBitmap(n)
	var outF []float64
	var outI []int64
	if f.T.ID() == arrow.FLOAT64 {
		outF = make([]float64, n)
	} else {
		outI = make([]int64, n)
	}
	// Prefix arrays per window partition: P[k] covers rows [lo, lo+k).
	for s := 0; s+1 < len(starts); s++ {
		lo, hi := starts[s], starts[s+1]
		m := hi - lo
		cnt := make([]int64, m+1)
		sumI := make([]int64, m+1)
		sumF := make([]float64, m+1)
		best := make([]float64, m+1)
		seen := make([]bool, m+1)
		for k := 0; k < m; k++ {
			i := lo + k
			cnt[k+1], sumI[k+1], sumF[k+1], best[k+1], seen[k+1] = cnt[k], sumI[k], sumF[k], best[k], seen[k]
			if !valid[i] {
				continue
			}
			cnt[k+1]++
			sumI[k+1] += iv[i]
			sumF[k+1] += fv[i]
			if !seen[k] || (name == "min" && fv[i] < best[k]) || (name == "max" && fv[i] > best[k]) {
				best[k+1] = fv[i]
			}
			seen[k+1] = true
		}
		for r := lo; r < hi; r++ {
			a, b := frame(r, lo, hi)
			a, b = a-lo, b-lo
			c := cnt[b] - cnt[a]
			switch name {
			case "count":
				outI[r] = c
			case "sum":
				if c == 0 {
					outValid.Clear(r)
				} else if outI != nil {
					outI[r] = sumI[b] - sumI[a]
				} else {
					outF[r] = sumF[b] - sumF[a]
				}
			case "avg", "mean":
				if c == 0 {
					outValid.Clear(r)
				} else if isInt {
					outF[r] = float64(sumI[b]-sumI[a]) / float64(c)
				} else {
					outF[r] = (sumF[b] - sumF[a]) / float64(c)
				}
			default: // running min or max
				if !seen[b] {
					outValid.Clear(r)
				} else if outF != nil {
					outF[r] = best[b]
				} else {
					outI[r] = int64(best[b])
				}
			}
		}
	}
	if outF != nil {
		return FixedArray(Float64, outF, outValid), true
	}
	switch f.T.ID() {
	case arrow.INT64:
		return FixedArray(Int64, outI, outValid), true
	case arrow.INT32:
		v := make([]int32, n)
		for i, x := range outI {
			v[i] = int32(x)
		}
		return FixedArray(Int32, v, outValid), true
	}
	return nil, false
}
