package exec

import (
	"math"
	"math/bits"
	"slices"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/cespare/xxhash/v2"
)

// holisticAcc keeps every non-null input value with its group: median,
// percentile, collect_list, collect_set and count(DISTINCT) need them all.
// Its state is one list column (the group's values).
type holisticAcc struct {
	f      *AggFunc
	elem   arrow.DataType
	vals   Appender
	gidOf  []int32
	groups int
	// floats holds the values of median and percentile (always doubles),
	// appended without going through vals.
	floats []float64
	isF    bool
}

func newHolistic(f *AggFunc) *holisticAcc {
	elem := f.Args[0].Type()
	isF := (f.Name == "median" || f.Name == "percentile") && elem.ID() == arrow.FLOAT64
	return &holisticAcc{f: f, elem: elem, vals: NewAppender(elem), isF: isF}
}

func (a *holisticAcc) Grow(n int) {
	if n > a.groups {
		a.groups = n
	}
}

func (a *holisticAcc) Update(gids []int32, args []arrow.Array) {
	c := args[0]
	if a.isF {
		v := c.(*array.Float64).Float64Values()
		nulls := c.NullN() > 0
		for i, g := range gids {
			if !nulls || c.IsValid(i) {
				a.floats = append(a.floats, v[i])
				a.gidOf = append(a.gidOf, g)
			}
		}
		return
	}
	for i, g := range gids {
		if c.IsValid(i) {
			a.vals.AppendFrom(c, i)
			a.gidOf = append(a.gidOf, g)
		}
	}
}

func (a *holisticAcc) Merge(gids []int32, state []arrow.Array) {
	l := state[0].(*array.List)
	child := l.ListValues()
	for i, g := range gids {
		if l.IsNull(i) {
			continue
		}
		beg, end := l.ValueOffsets(i)
		if a.isF {
			f := child.(*array.Float64)
			for j := beg; j < end; j++ {
				if f.IsValid(int(j)) {
					a.floats = append(a.floats, f.Value(int(j)))
					a.gidOf = append(a.gidOf, g)
				}
			}
			continue
		}
		for j := beg; j < end; j++ {
			if child.IsValid(int(j)) {
				a.vals.AppendFrom(child, int(j))
				a.gidOf = append(a.gidOf, g)
			}
		}
	}
}

// grouped returns the values and, for group g, their positions
// order[offs[g]:offs[g+1]].
func (a *holisticAcc) grouped() (arrow.Array, []int32, []int32) {
	var vals arrow.Array
	if a.isF {
		vals = FixedArray(Float64, a.floats, nil)
		a.floats = nil
	} else {
		vals = a.vals.Finish()
	}
	offs := make([]int32, a.groups+1)
	for _, g := range a.gidOf {
		offs[g+1]++
	}
	for g := 0; g < a.groups; g++ {
		offs[g+1] += offs[g]
	}
	pos := append([]int32(nil), offs[:a.groups]...)
	order := make([]int32, len(a.gidOf))
	for i, g := range a.gidOf {
		order[pos[g]] = int32(i)
		pos[g]++
	}
	return vals, order, offs
}

func listArray(dt arrow.DataType, child arrow.Array, offs []int32) arrow.Array {
	n := len(offs) - 1
	d := array.NewData(arrow.ListOf(dt), n, []*memoryBuffer{nil, bufferOf(offs)}, []arrow.ArrayData{child.Data()}, 0, 0)
	defer d.Release()
	return array.MakeFromData(d)
}

func (a *holisticAcc) lists() arrow.Array {
	vals, order, offs := a.grouped()
	defer vals.Release()
	child := Take(vals, order)
	defer child.Release()
	return listArray(a.elem, child, offs)
}

func (a *holisticAcc) State() []arrow.Array {
	if a.f.Name == "collect_set" || a.f.Name == "count_distinct" {
		return []arrow.Array{a.distinctLists()}
	}
	return []arrow.Array{a.lists()}
}

func (a *holisticAcc) distinctLists() arrow.Array {
	vals, order, offs := a.grouped()
	defer vals.Release()
	keep := make([]int32, 0, len(order))
	newOffs := make([]int32, len(offs))
	gcol := FixedArray(Int32, a.gidOf, nil)
	t := NewGroupTable([]arrow.DataType{Int32, vals.DataType()})
	ids := make([]int32, vals.Len())
	t.Insert([]arrow.Array{gcol, vals}, ids)
	gcol.Release()
	seen := make([]bool, t.Len())
	for g := 0; g < a.groups; g++ {
		for _, i := range order[offs[g]:offs[g+1]] {
			if !seen[ids[i]] {
				seen[ids[i]] = true
				keep = append(keep, i)
			}
		}
		newOffs[g+1] = int32(len(keep))
	}
	child := Take(vals, keep)
	defer child.Release()
	return listArray(a.elem, child, newOffs)
}

func (a *holisticAcc) Final() arrow.Array {
	switch a.f.Name {
	case "collect_list":
		return a.lists()
	case "collect_set":
		return a.distinctLists()
	case "count_distinct":
		l := a.distinctLists().(*array.List)
		defer l.Release()
		out := make([]int64, a.groups)
		for g := range out {
			b, e := l.ValueOffsets(g)
			out[g] = e - b
		}
		return FixedArray(Int64, out, nil)
	}
	// median and percentile over doubles, interpolated like Spark's
	// percentile (and DuckDB's quantile_cont).
	p := a.f.Param
	if a.f.Name == "median" {
		p = 0.5
	}
	vals, order, offs := a.grouped()
	defer vals.Release()
	f := vals.(*array.Float64).Float64Values()
	out := make([]float64, a.groups)
	valid := NewValidBitmap(a.groups)
	buf := []float64{}
	for g := 0; g < a.groups; g++ {
		idx := order[offs[g]:offs[g+1]]
		if len(idx) == 0 {
			valid.Clear(g)
			continue
		}
		buf = buf[:0]
		for _, i := range idx {
			buf = append(buf, f[i])
		}
		out[g] = percentileOf(buf, p)
	}
	return FixedArray(Float64, out, valid)
}

// percentileOf returns the p-th percentile of v (reordered in place) with
// linear interpolation between the closest ranks.
func percentileOf(v []float64, p float64) float64 {
	pos := p * float64(len(v)-1)
	lo := int(math.Floor(pos))
	hi := int(math.Ceil(pos))
	x := selectK(v, lo)
	if hi == lo {
		return x
	}
	y := slices.Min(v[lo+1:])
	return x + (y-x)*(pos-float64(lo))
}

// selectK reorders v so that v[k] is the k-th smallest and everything after
// it is no smaller (quickselect), and returns v[k].
func selectK(v []float64, k int) float64 {
	lo, hi := 0, len(v)-1
	for lo < hi {
		pivot := v[(lo+hi)/2]
		i, j := lo, hi
		for i <= j {
			for v[i] < pivot {
				i++
			}
			for v[j] > pivot {
				j--
			}
			if i <= j {
				v[i], v[j] = v[j], v[i]
				i++
				j--
			}
		}
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return v[k]
		}
	}
	return v[k]
}

// hllAcc is approx_count_distinct: a HyperLogLog sketch per group with
// 2^p six-bit registers (held in bytes), p chosen from the relative
// standard deviation like Spark's HyperLogLogPlusPlus.
type hllAcc struct {
	p    uint
	regs [][]byte
}

func newHLL(rsd float64) *hllAcc {
	if rsd <= 0 {
		rsd = 0.05
	}
	p := uint(math.Ceil(2 * math.Log2(1.106/rsd)))
	if p < 4 {
		p = 4
	}
	return &hllAcc{p: p}
}

func (a *hllAcc) Grow(n int) { a.regs = growTo(a.regs, n) }

func (a *hllAcc) add(g int32, h uint64) {
	r := a.regs[g]
	if r == nil {
		r = make([]byte, 1<<a.p)
		a.regs[g] = r
	}
	idx := h >> (64 - a.p)
	w := h<<a.p | 1<<(a.p-1)
	rho := byte(bits.LeadingZeros64(w) + 1)
	if rho > r[idx] {
		r[idx] = rho
	}
}

func (a *hllAcc) Update(gids []int32, args []arrow.Array) {
	c := args[0]
	hs := make([]uint64, len(gids))
	HashColumns([]arrow.Array{c}, hs)
	for i, g := range gids {
		if c.IsValid(i) {
			a.add(g, mix64(hs[i]^xxhash.Sum64String("hll")))
		}
	}
}

func (a *hllAcc) Merge(gids []int32, state []arrow.Array) {
	b := state[0].(*array.Binary)
	for i, g := range gids {
		s := b.Value(i)
		if len(s) == 0 {
			continue
		}
		if a.regs[g] == nil {
			a.regs[g] = make([]byte, 1<<a.p)
		}
		for j, x := range s {
			if x > a.regs[g][j] {
				a.regs[g][j] = x
			}
		}
	}
}

func (a *hllAcc) State() []arrow.Array {
	bb := array.NewBinaryBuilder(defaultMem, arrow.BinaryTypes.Binary)
	defer bb.Release()
	for _, r := range a.regs {
		bb.Append(r)
	}
	return []arrow.Array{bb.NewArray()}
}

func (a *hllAcc) Final() arrow.Array {
	out := make([]int64, len(a.regs))
	m := float64(uint(1) << a.p)
	alpha := 0.7213 / (1 + 1.079/m)
	for g, r := range a.regs {
		if r == nil {
			continue
		}
		sum, zeros := 0.0, 0
		for _, x := range r {
			sum += 1 / float64(uint64(1)<<x)
			if x == 0 {
				zeros++
			}
		}
		est := alpha * m * m / sum
		if est <= 2.5*m && zeros > 0 {
			est = m * math.Log(m/float64(zeros))
		}
		out[g] = int64(math.Round(est))
	}
	return FixedArray(Int64, out, nil)
}
