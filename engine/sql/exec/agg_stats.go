package exec

import (
	"math"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
)

// momentAcc computes variance and standard deviation with the count, mean
// and sum of squared deviations (M2) of each group, updated with Welford's
// method and merged with Chan's formula, as Spark's CentralMomentAgg does.
type momentAcc struct {
	kind        string
	n, mean, m2 []float64
	buf         []float64
}

func (a *momentAcc) Grow(n int) {
	a.n, a.mean, a.m2 = growTo(a.n, n), growTo(a.mean, n), growTo(a.m2, n)
}

func (a *momentAcc) Update(gids []int32, args []arrow.Array) {
	c := args[0]
	v := floatsOf(c, &a.buf)
	nulls := c.NullN() > 0
	cnt, mean, m2 := a.n, a.mean, a.m2
	for i, g := range gids {
		if nulls && c.IsNull(i) {
			continue
		}
		x := v[i]
		cnt[g]++
		d := x - mean[g]
		mean[g] += d / cnt[g]
		m2[g] += d * (x - mean[g])
	}
}

func (a *momentAcc) Merge(gids []int32, state []arrow.Array) {
	n2 := state[0].(*array.Float64).Float64Values()
	mean2 := state[1].(*array.Float64).Float64Values()
	m22 := state[2].(*array.Float64).Float64Values()
	for i, g := range gids {
		if n2[i] == 0 {
			continue
		}
		n1 := a.n[g]
		n := n1 + n2[i]
		d := mean2[i] - a.mean[g]
		a.mean[g] += d * n2[i] / n
		a.m2[g] += m22[i] + d*d*n1*n2[i]/n
		a.n[g] = n
	}
}

func (a *momentAcc) State() []arrow.Array {
	return []arrow.Array{FixedArray(Float64, a.n, nil), FixedArray(Float64, a.mean, nil), FixedArray(Float64, a.m2, nil)}
}

func (a *momentAcc) Final() arrow.Array {
	out := make([]float64, len(a.n))
	valid := NewValidBitmap(len(a.n))
	for g, n := range a.n {
		switch a.kind {
		case "stddev_samp", "var_samp":
			if n == 0 {
				valid.Clear(g)
				continue
			}
			if n == 1 {
				out[g] = math.NaN()
				continue
			}
			out[g] = a.m2[g] / (n - 1)
		default:
			if n == 0 {
				valid.Clear(g)
				continue
			}
			out[g] = a.m2[g] / n
		}
		if a.kind == "stddev_samp" || a.kind == "stddev_pop" {
			out[g] = math.Sqrt(out[g])
		}
	}
	return FixedArray(Float64, out, valid)
}

// corrAcc computes corr and covariance with Spark's PearsonCorrelation
// state: n, the two means, the co-moment and the two M2s.
type corrAcc struct {
	kind                  string
	n, xm, ym, ck, xk, yk []float64
	bx, by                []float64
}

func (a *corrAcc) Grow(n int) {
	a.n, a.xm, a.ym = growTo(a.n, n), growTo(a.xm, n), growTo(a.ym, n)
	a.ck, a.xk, a.yk = growTo(a.ck, n), growTo(a.xk, n), growTo(a.yk, n)
}

func (a *corrAcc) Update(gids []int32, args []arrow.Array) {
	xc, yc := args[0], args[1]
	xs := floatsOf(xc, &a.bx)
	ys := floatsOf(yc, &a.by)
	nulls := xc.NullN() > 0 || yc.NullN() > 0
	for i, g := range gids {
		if nulls && (xc.IsNull(i) || yc.IsNull(i)) {
			continue
		}
		x, y := xs[i], ys[i]
		a.n[g]++
		n := a.n[g]
		dx := x - a.xm[g]
		dy := y - a.ym[g]
		a.xm[g] += dx / n
		a.ym[g] += dy / n
		a.ck[g] += dx * (y - a.ym[g])
		a.xk[g] += dx * (x - a.xm[g])
		a.yk[g] += dy * (y - a.ym[g])
	}
}

func (a *corrAcc) Merge(gids []int32, state []arrow.Array) {
	col := func(i int) []float64 { return state[i].(*array.Float64).Float64Values() }
	n2, xm2, ym2, ck2, xk2, yk2 := col(0), col(1), col(2), col(3), col(4), col(5)
	for i, g := range gids {
		if n2[i] == 0 {
			continue
		}
		n1 := a.n[g]
		n := n1 + n2[i]
		dx := xm2[i] - a.xm[g]
		dy := ym2[i] - a.ym[g]
		a.ck[g] += ck2[i] + dx*dy*n1*n2[i]/n
		a.xk[g] += xk2[i] + dx*dx*n1*n2[i]/n
		a.yk[g] += yk2[i] + dy*dy*n1*n2[i]/n
		a.xm[g] += dx * n2[i] / n
		a.ym[g] += dy * n2[i] / n
		a.n[g] = n
	}
}

func (a *corrAcc) State() []arrow.Array {
	out := make([]arrow.Array, 6)
	for i, s := range [][]float64{a.n, a.xm, a.ym, a.ck, a.xk, a.yk} {
		out[i] = FixedArray(Float64, s, nil)
	}
	return out
}

func (a *corrAcc) Final() arrow.Array {
	out := make([]float64, len(a.n))
	valid := NewValidBitmap(len(a.n))
	for g, n := range a.n {
		switch {
		case n == 0:
			valid.Clear(g)
		case a.kind == "covar_pop":
			out[g] = a.ck[g] / n
		case a.kind == "covar_samp":
			if n == 1 {
				valid.Clear(g)
				continue
			}
			out[g] = a.ck[g] / (n - 1)
		default:
			if n == 1 {
				out[g] = math.NaN()
				continue
			}
			out[g] = a.ck[g] / math.Sqrt(a.xk[g]*a.yk[g])
		}
	}
	return FixedArray(Float64, out, valid)
}
