package display

import (
	"fmt"
	"image/color"
	"math"
	"reflect"
	"strconv"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// maxBins bounds the number of histogram bins.
const maxBins = 1000

// Bar makes a bar chart with one bar per value, labelled below the axis.
// labels is a slice of anything (each label formatted with FormatCell), or
// nil to number the bars from 0; values is a slice of numbers of any Go
// numeric type, as Floats accepts. It fails, naming the argument, when
// values is empty or not numeric, holds NaN or an infinity, or when labels
// and values differ in length.
func Bar(labels, values any, opts ...PlotOption) (*Plot, error) {
	const fn = "display.Bar"
	vs, err := numbers(fn, "values", values)
	if err != nil {
		return nil, err
	}
	names, err := labelsOf(labels, len(vs))
	if err != nil {
		return nil, fmt.Errorf("%s: labels: %w", fn, err)
	}
	if len(names) != len(vs) {
		return nil, fmt.Errorf("%s: labels has %d entries but values has %d", fn, len(names), len(vs))
	}
	p, err := newPlot("bar", opts)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", fn, err)
	}
	// Bars take 70% of their slot of the data area (about 85% of the plot).
	slot := vg.Length(p.width) * vg.Inch / dpi * 0.85 / vg.Length(len(vs))
	bars, err := plotter.NewBarChart(plotter.Values(vs), max(slot*0.7, 0.5))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", fn, err)
	}
	bars.Color = accent
	bars.LineStyle.Width = 0
	p.p.Add(bars)
	p.p.NominalX(names...)
	p.p.X.Min, p.p.X.Max = -0.5, float64(len(vs))-0.5
	return p, nil
}

// Line makes a line chart joining the points (xs[i], ys[i]) in the order
// given; sort the points by x first when they come from an unordered
// collect. xs may be nil to use 0, 1, 2, ... as x values. It fails, naming
// the argument, when the data is empty or not numeric, holds NaN or an
// infinity, or when xs and ys differ in length.
func Line(xs, ys any, opts ...PlotOption) (*Plot, error) {
	const fn = "display.Line"
	pts, err := points(fn, xs, ys)
	if err != nil {
		return nil, err
	}
	p, err := newPlot("line", opts)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", fn, err)
	}
	l, err := plotter.NewLine(pts)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", fn, err)
	}
	l.Color = accent
	l.Width = vg.Points(2)
	p.p.Add(l)
	return p, nil
}

// Scatter makes a scatter plot of the points (xs[i], ys[i]). xs may be nil
// to use 0, 1, 2, ... as x values. It fails, naming the argument, when the
// data is empty or not numeric, holds NaN or an infinity, or when xs and ys
// differ in length.
func Scatter(xs, ys any, opts ...PlotOption) (*Plot, error) {
	const fn = "display.Scatter"
	pts, err := points(fn, xs, ys)
	if err != nil {
		return nil, err
	}
	p, err := newPlot("scatter", opts)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", fn, err)
	}
	s, err := plotter.NewScatter(pts)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", fn, err)
	}
	s.GlyphStyle = draw.GlyphStyle{Color: accent, Radius: vg.Points(2.5), Shape: draw.CircleGlyph{}}
	p.p.Add(s)
	return p, nil
}

// Hist makes a histogram of values with the given number of equal-width
// bins between the smallest and largest value; bins <= 0 picks Sturges'
// rule, ceil(log2(n)) + 1 bins for n values. The vertical axis, labelled
// "count" unless YLabel says otherwise, counts the values in each bin. It
// fails, naming the argument, when values is empty or not numeric, holds
// NaN or an infinity, or when bins is above 1000.
func Hist(values any, bins int, opts ...PlotOption) (*Plot, error) {
	const fn = "display.Hist"
	vs, err := numbers(fn, "values", values)
	if err != nil {
		return nil, err
	}
	if bins > maxBins {
		return nil, fmt.Errorf("%s: bins is %d, want at most %d", fn, bins, maxBins)
	}
	if bins <= 0 {
		bins = int(math.Ceil(math.Log2(float64(len(vs))))) + 1
	}
	p, err := newPlot("histogram", opts)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", fn, err)
	}
	if p.p.Y.Label.Text == "" {
		p.p.Y.Label.Text = "count"
	}
	h := &plotter.Histogram{FillColor: accent, LineStyle: plotter.DefaultLineStyle}
	h.LineStyle.Color = color.White
	h.Bins, h.Width = binValues(vs, bins)
	p.p.Add(h)
	return p, nil
}

// binValues counts vs into n equal-width bins spanning their range. A
// range of a single value becomes a bin of width 1 around it.
func binValues(vs []float64, n int) ([]plotter.HistogramBin, float64) {
	lo, hi := vs[0], vs[0]
	for _, v := range vs {
		lo, hi = min(lo, v), max(hi, v)
	}
	if lo == hi {
		lo, hi = lo-0.5, hi+0.5
	}
	w := (hi - lo) / float64(n)
	bins := make([]plotter.HistogramBin, n)
	for i := range bins {
		bins[i].Min = lo + float64(i)*w
		bins[i].Max = lo + float64(i+1)*w
	}
	bins[n-1].Max = hi
	for _, v := range vs {
		i := min(max(int((v-lo)/w), 0), n-1) // clamp: rounding may land on n
		bins[i].Weight++
	}
	return bins, w
}

// points pairs xs and ys into plot points, checking both.
func points(fn string, xs, ys any) (plotter.XYs, error) {
	y, err := numbers(fn, "ys", ys)
	if err != nil {
		return nil, err
	}
	var x []float64
	if xs == nil {
		x = make([]float64, len(y))
		for i := range x {
			x[i] = float64(i)
		}
	} else if x, err = numbers(fn, "xs", xs); err != nil {
		return nil, err
	}
	if len(x) != len(y) {
		return nil, fmt.Errorf("%s: xs has %d values but ys has %d", fn, len(x), len(y))
	}
	pts := make(plotter.XYs, len(x))
	for i := range pts {
		pts[i].X, pts[i].Y = x[i], y[i]
	}
	return pts, nil
}

// numbers converts the argument called name to floats and checks that it
// is not empty and holds only finite values.
func numbers(fn, name string, v any) ([]float64, error) {
	fs, err := Floats(v)
	if err != nil {
		return nil, fmt.Errorf("%s: %s: %w", fn, name, err)
	}
	if len(fs) == 0 {
		return nil, fmt.Errorf("%s: %s is empty", fn, name)
	}
	for i, f := range fs {
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, fmt.Errorf("%s: %s[%d] is %v", fn, name, i, f)
		}
	}
	return fs, nil
}

// labelsOf formats the elements of a slice or array as labels; nil gives
// the labels "0" to "n-1".
func labelsOf(v any, n int) ([]string, error) {
	if v == nil {
		out := make([]string, n)
		for i := range out {
			out[i] = strconv.Itoa(i)
		}
		return out, nil
	}
	if s, ok := v.([]string); ok {
		return s, nil
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Slice && rv.Kind() != reflect.Array {
		return nil, fmt.Errorf("got %T, want a slice", v)
	}
	out := make([]string, rv.Len())
	for i := range out {
		out[i] = formatValue(rv.Index(i), 0)
	}
	return out, nil
}

// Floats converts numbers to []float64 for plotting. v may be a slice or
// array of any Go numeric type (named types such as time.Duration
// included), a slice of interfaces each holding a number (such as the
// []any of a collect), or a single number. A []float64 is returned as is,
// not copied. It fails, saying which element is wrong, for anything else.
func Floats(v any) ([]float64, error) {
	switch x := v.(type) {
	case nil:
		return nil, fmt.Errorf("got nil, want numbers")
	case []float64:
		return x, nil
	}
	rv := reflect.ValueOf(v)
	if f, ok := toFloat(rv); ok {
		return []float64{f}, nil
	}
	if rv.Kind() != reflect.Slice && rv.Kind() != reflect.Array {
		return nil, fmt.Errorf("got %T, want a slice of numbers", v)
	}
	out := make([]float64, rv.Len())
	for i := range out {
		e := rv.Index(i)
		f, ok := toFloat(e)
		if !ok {
			if e = deref(e); e.IsValid() {
				return nil, fmt.Errorf("element %d is a %s, not a number", i, e.Type())
			}
			return nil, fmt.Errorf("element %d is nil, not a number", i)
		}
		out[i] = f
	}
	return out, nil
}

// toFloat reads a number of any numeric kind, looking through interfaces
// and pointers.
func toFloat(v reflect.Value) (float64, bool) {
	v = deref(v)
	switch {
	case !v.IsValid():
		return 0, false
	case v.CanInt():
		return float64(v.Int()), true
	case v.CanUint():
		return float64(v.Uint()), true
	case v.CanFloat():
		return v.Float(), true
	}
	return 0, false
}
