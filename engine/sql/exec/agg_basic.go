package exec

import (
	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
)

func growTo[T any](s []T, n int) []T {
	if n <= len(s) {
		return s
	}
	if n <= cap(s) {
		return s[:n]
	}
	c := 2 * cap(s)
	if c < n {
		c = n
	}
	out := make([]T, n, c)
	copy(out, s)
	return out
}

// countAcc is count(x) (non-null x) or count(*).
type countAcc struct {
	star bool
	n    []int64
}

func (a *countAcc) Grow(n int) { a.n = growTo(a.n, n) }

func (a *countAcc) Update(gids []int32, args []arrow.Array) {
	cnt := a.n
	if a.star || len(args) == 0 {
		for _, g := range gids {
			cnt[g]++
		}
		return
	}
	for _, c := range args { // count(a, b) counts rows where all are non-null
		if c.NullN() > 0 {
			for i, g := range gids {
				ok := true
				for _, c2 := range args {
					if c2.IsNull(i) {
						ok = false
						break
					}
				}
				if ok {
					cnt[g]++
				}
			}
			return
		}
	}
	for _, g := range gids {
		cnt[g]++
	}
}

func (a *countAcc) Merge(gids []int32, state []arrow.Array) {
	v := state[0].(*array.Int64).Int64Values()
	for i, g := range gids {
		a.n[g] += v[i]
	}
}

func (a *countAcc) State() []arrow.Array { return []arrow.Array{a.Final()} }
func (a *countAcc) Final() arrow.Array   { return FixedArray(Int64, a.n, nil) }

// sumAcc is sum over bigint or double; the sum of no values is NULL.
type sumAcc[T int64 | float64] struct {
	dt   arrow.DataType
	sum  []T
	seen []bool
}

func (a *sumAcc[T]) Grow(n int) { a.sum, a.seen = growTo(a.sum, n), growTo(a.seen, n) }

func values[T int64 | float64](c arrow.Array) []T {
	switch x := c.(type) {
	case *array.Int64:
		return any(x.Int64Values()).([]T)
	case *array.Float64:
		return any(x.Float64Values()).([]T)
	}
	panic("exec: values of " + c.DataType().String())
}

func (a *sumAcc[T]) add(gids []int32, c arrow.Array) {
	if i32, ok := c.(*array.Int32); ok {
		v := i32.Int32Values()
		sum, seen := a.sum, a.seen
		nulls := c.NullN() > 0
		for i, g := range gids {
			if !nulls || c.IsValid(i) {
				sum[g] += T(v[i])
				seen[g] = true
			}
		}
		return
	}
	v := values[T](c)
	sum, seen := a.sum, a.seen
	if c.NullN() == 0 {
		for i, g := range gids {
			sum[g] += v[i]
			seen[g] = true
		}
		return
	}
	for i, g := range gids {
		if c.IsValid(i) {
			sum[g] += v[i]
			seen[g] = true
		}
	}
}

func (a *sumAcc[T]) Update(gids []int32, args []arrow.Array) { a.add(gids, args[0]) }
func (a *sumAcc[T]) Merge(gids []int32, state []arrow.Array) { a.add(gids, state[0]) }
func (a *sumAcc[T]) State() []arrow.Array                    { return []arrow.Array{a.Final()} }

func (a *sumAcc[T]) Final() arrow.Array {
	return FixedArray(a.dt, a.sum, boolsToBitmap(a.seen))
}

func boolsToBitmap(b []bool) Bitmap {
	var out Bitmap
	for i, ok := range b {
		if !ok {
			if out == nil {
				out = NewValidBitmap(len(b))
			}
			out.Clear(i)
		}
	}
	return out
}

// avgAcc is avg over doubles: a sum and a count.
type avgAcc struct {
	sum []float64
	n   []int64
}

func (a *avgAcc) Grow(n int) { a.sum, a.n = growTo(a.sum, n), growTo(a.n, n) }

func (a *avgAcc) Update(gids []int32, args []arrow.Array) {
	c := args[0]
	switch x := c.(type) {
	case *array.Int32:
		avgInts(a, gids, c, x.Int32Values())
		return
	case *array.Int64:
		avgInts(a, gids, c, x.Int64Values())
		return
	}
	v := c.(*array.Float64).Float64Values()
	sum, cnt := a.sum, a.n
	if c.NullN() == 0 {
		for i, g := range gids {
			sum[g] += v[i]
			cnt[g]++
		}
		return
	}
	for i, g := range gids {
		if c.IsValid(i) {
			sum[g] += v[i]
			cnt[g]++
		}
	}
}

func avgInts[T int32 | int64](a *avgAcc, gids []int32, c arrow.Array, v []T) {
	sum, cnt := a.sum, a.n
	nulls := c.NullN() > 0
	for i, g := range gids {
		if !nulls || c.IsValid(i) {
			sum[g] += float64(v[i])
			cnt[g]++
		}
	}
}

func (a *avgAcc) Merge(gids []int32, state []arrow.Array) {
	s := state[0].(*array.Float64).Float64Values()
	n := state[1].(*array.Int64).Int64Values()
	for i, g := range gids {
		a.sum[g] += s[i]
		a.n[g] += n[i]
	}
}

func (a *avgAcc) State() []arrow.Array {
	return []arrow.Array{FixedArray(Float64, a.sum, nil), FixedArray(Int64, a.n, nil)}
}

func (a *avgAcc) Final() arrow.Array {
	out := make([]float64, len(a.sum))
	var valid Bitmap
	for g, s := range a.sum {
		if a.n[g] == 0 {
			if valid == nil {
				valid = NewValidBitmap(len(out))
			}
			valid.Clear(g)
			continue
		}
		out[g] = s / float64(a.n[g])
	}
	return FixedArray(Float64, out, valid)
}

// minMaxAcc is min or max over a fixed-width ordered type.
type minMaxAcc[T int32 | int64 | float64 | arrow.Date32 | arrow.Timestamp] struct {
	dt   arrow.DataType
	max  bool
	get  func(arrow.Array) []T
	v    []T
	seen []bool
}

func newMinMax(dt arrow.DataType, max bool) Accumulator {
	switch dt.ID() {
	case arrow.INT32:
		return &minMaxAcc[int32]{dt: dt, max: max, get: func(a arrow.Array) []int32 { return a.(*array.Int32).Int32Values() }}
	case arrow.INT64:
		return &minMaxAcc[int64]{dt: dt, max: max, get: func(a arrow.Array) []int64 { return a.(*array.Int64).Int64Values() }}
	case arrow.FLOAT64:
		return &minMaxAcc[float64]{dt: dt, max: max, get: func(a arrow.Array) []float64 { return a.(*array.Float64).Float64Values() }}
	case arrow.DATE32:
		return &minMaxAcc[arrow.Date32]{dt: dt, max: max, get: func(a arrow.Array) []arrow.Date32 { return a.(*array.Date32).Date32Values() }}
	case arrow.TIMESTAMP:
		return &minMaxAcc[arrow.Timestamp]{dt: dt, max: max, get: func(a arrow.Array) []arrow.Timestamp { return a.(*array.Timestamp).TimestampValues() }}
	case arrow.STRING:
		return &minMaxString{max: max}
	case arrow.BOOL:
		return &minMaxBool{max: max}
	}
	panic("exec: min/max of " + dt.String())
}

func (a *minMaxAcc[T]) Grow(n int) { a.v, a.seen = growTo(a.v, n), growTo(a.seen, n) }

func (a *minMaxAcc[T]) Update(gids []int32, args []arrow.Array) {
	c := args[0]
	v := a.get(c)
	best, seen := a.v, a.seen
	nulls := c.NullN() > 0
	if a.max {
		for i, g := range gids {
			if nulls && c.IsNull(i) {
				continue
			}
			if !seen[g] || v[i] > best[g] {
				best[g], seen[g] = v[i], true
			}
		}
		return
	}
	for i, g := range gids {
		if nulls && c.IsNull(i) {
			continue
		}
		if !seen[g] || v[i] < best[g] {
			best[g], seen[g] = v[i], true
		}
	}
}

func (a *minMaxAcc[T]) Merge(gids []int32, state []arrow.Array) { a.Update(gids, state) }
func (a *minMaxAcc[T]) State() []arrow.Array                    { return []arrow.Array{a.Final()} }
func (a *minMaxAcc[T]) Final() arrow.Array                      { return FixedArray(a.dt, a.v, boolsToBitmap(a.seen)) }

type minMaxString struct {
	max  bool
	v    []string
	seen []bool
}

func (a *minMaxString) Grow(n int) { a.v, a.seen = growTo(a.v, n), growTo(a.seen, n) }

func (a *minMaxString) Update(gids []int32, args []arrow.Array) {
	c := args[0].(*array.String)
	for i, g := range gids {
		if c.IsNull(i) {
			continue
		}
		s := unsafeString(strAt(c, i))
		if !a.seen[g] || (a.max && s > a.v[g]) || (!a.max && s < a.v[g]) {
			a.v[g], a.seen[g] = string([]byte(s)), true
		}
	}
}

func (a *minMaxString) Merge(gids []int32, state []arrow.Array) { a.Update(gids, state) }
func (a *minMaxString) State() []arrow.Array                    { return []arrow.Array{a.Final()} }

func (a *minMaxString) Final() arrow.Array {
	b := NewStringBuilder(len(a.v), 0)
	for g, s := range a.v {
		if a.seen[g] {
			b.AppendString(s)
		} else {
			b.AppendNull()
		}
	}
	return b.Finish()
}

type minMaxBool struct {
	max     bool
	v, seen []bool
}

func (a *minMaxBool) Grow(n int) { a.v, a.seen = growTo(a.v, n), growTo(a.seen, n) }

func (a *minMaxBool) Update(gids []int32, args []arrow.Array) {
	c := args[0].(*array.Boolean)
	for i, g := range gids {
		if c.IsNull(i) {
			continue
		}
		x := c.Value(i)
		if !a.seen[g] || (a.max && x && !a.v[g]) || (!a.max && !x && a.v[g]) {
			a.v[g], a.seen[g] = x, true
		}
	}
}

func (a *minMaxBool) Merge(gids []int32, state []arrow.Array) { a.Update(gids, state) }
func (a *minMaxBool) State() []arrow.Array                    { return []arrow.Array{a.Final()} }

func (a *minMaxBool) Final() arrow.Array {
	vals := NewBitmap(len(a.v))
	for i, x := range a.v {
		if x {
			vals.Set(i)
		}
	}
	return BoolArray(vals, boolsToBitmap(a.seen), len(a.v))
}

// firstLastAcc is first or last (ignoring nothing: like Spark's default,
// a NULL value counts). The state carries a "seen" flag beside the value.
type firstLastAcc struct {
	dt   arrow.DataType
	last bool
	seen []bool
	held []arrow.Array
	src  []int32 // per group: index into held
	row  []int32 // per group: row within held[src]
}

func newFirstLast(dt arrow.DataType, last bool) Accumulator {
	return &firstLastAcc{dt: dt, last: last}
}

func (a *firstLastAcc) Grow(n int) {
	a.seen, a.src, a.row = growTo(a.seen, n), growTo(a.src, n), growTo(a.row, n)
}

func (a *firstLastAcc) take(gids []int32, c arrow.Array, seenCol *array.Boolean) {
	c.Retain()
	a.held = append(a.held, c)
	h := int32(len(a.held) - 1)
	for i, g := range gids {
		if seenCol != nil && !seenCol.Value(i) {
			continue
		}
		if !a.seen[g] || a.last {
			a.seen[g], a.src[g], a.row[g] = true, h, int32(i)
		}
	}
}

func (a *firstLastAcc) Update(gids []int32, args []arrow.Array) { a.take(gids, args[0], nil) }
func (a *firstLastAcc) Merge(gids []int32, state []arrow.Array) {
	a.take(gids, state[0], state[1].(*array.Boolean))
}

func (a *firstLastAcc) State() []arrow.Array {
	vals := a.Final()
	seen := NewBitmap(len(a.seen))
	for i, s := range a.seen {
		if s {
			seen.Set(i)
		}
	}
	return []arrow.Array{vals, BoolArray(seen, nil, len(a.seen))}
}

func (a *firstLastAcc) Final() arrow.Array {
	app := NewAppender(a.dt)
	for g := range a.seen {
		if !a.seen[g] {
			app.AppendNull()
			continue
		}
		app.AppendFrom(a.held[a.src[g]], int(a.row[g]))
	}
	out := app.Finish()
	for _, h := range a.held {
		h.Release()
	}
	a.held = nil
	return out
}
