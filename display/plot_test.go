package display

import (
	"bytes"
	"encoding/base64"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestPlotsRender(t *testing.T) {
	tests := []struct {
		name string
		make func() (*Plot, error)
		w, h int
		text string
	}{
		{"bar", func() (*Plot, error) {
			return Bar([]string{"a", "b", "c"}, []int{3, 1, 2}, Title("Counts"), XLabel("word"), YLabel("n"))
		}, DefaultPlotWidth, DefaultPlotHeight, `<bar plot "Counts", 640x400>`},
		{"bar with nil labels and many bars", func() (*Plot, error) { return Bar(nil, make([]float64, 500), Size(300, 200)) },
			300, 200, "<bar plot, 300x200>"},
		{"line", func() (*Plot, error) { return Line([]float64{0, 1, 2}, []int64{1, 4, 9}, Size(320, 240)) },
			320, 240, "<line plot, 320x240>"},
		{"line of ys only", func() (*Plot, error) { return Line(nil, []any{1, 2.5, uint8(3)}) },
			DefaultPlotWidth, DefaultPlotHeight, "<line plot, 640x400>"},
		{"scatter", func() (*Plot, error) { return Scatter([]int{1, 2, 3}, []float32{3, 1, 2}, Size(101, 99)) },
			101, 99, "<scatter plot, 101x99>"},
		{"histogram", func() (*Plot, error) { return Hist([]float64{1, 2, 2, 3, 3, 3, 10}, 4, Title("h")) },
			DefaultPlotWidth, DefaultPlotHeight, `<histogram plot "h", 640x400>`},
		{"histogram of one value, default bins", func() (*Plot, error) { return Hist([]int{5, 5, 5}, 0) },
			DefaultPlotWidth, DefaultPlotHeight, "<histogram plot, 640x400>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := tt.make()
			if err != nil {
				t.Fatal(err)
			}
			b, err := p.PNG()
			if err != nil {
				t.Fatal(err)
			}
			img, err := png.Decode(bytes.NewReader(b))
			if err != nil {
				t.Fatalf("PNG does not decode: %v", err)
			}
			if got := img.Bounds().Size(); got.X != tt.w || got.Y != tt.h {
				t.Errorf("PNG is %dx%d, want %dx%d", got.X, got.Y, tt.w, tt.h)
			}
			svg := p.SVG()
			if !strings.HasPrefix(svg, "<?xml") || !strings.Contains(svg, "<svg") || !strings.HasSuffix(strings.TrimSpace(svg), "</svg>") {
				t.Errorf("SVG = %.80q...", svg)
			}
			if p.String() != tt.text {
				t.Errorf("String = %q, want %q", p.String(), tt.text)
			}
			d, ok := Render(p)
			if !ok || d.MIME[MIMEPNG] != base64.StdEncoding.EncodeToString(b) || d.String() != tt.text {
				t.Errorf("Render: ok=%v mimes=%v text=%q", ok, keys(d.MIME), d.String())
			}
		})
	}
}

func TestPlotSave(t *testing.T) {
	p, err := Scatter(nil, []int{1, 2}, Size(50, 40))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "p.png")
	if err := p.Save(path); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cfg, err := png.DecodeConfig(f)
	if err != nil || cfg.Width != 50 || cfg.Height != 40 {
		t.Errorf("saved png: %+v, %v", cfg, err)
	}
	if err := p.Save(filepath.Join(t.TempDir(), "p.pdf")); err == nil {
		t.Error("unknown extension: no error")
	}
}

func TestPlotErrors(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name string
		make func() (*Plot, error)
		want string
	}{
		{"bar mismatched", func() (*Plot, error) { return Bar([]string{"a"}, []int{1, 2}) },
			"display.Bar: labels has 1 entries but values has 2"},
		{"bar empty", func() (*Plot, error) { return Bar(nil, []int{}) }, "display.Bar: values is empty"},
		{"bar nil values", func() (*Plot, error) { return Bar(nil, nil) }, "display.Bar: values: got nil, want numbers"},
		{"bar labels not a slice", func() (*Plot, error) { return Bar("a", []int{1}) }, "display.Bar: labels: got string, want a slice"},
		{"bar NaN", func() (*Plot, error) { return Bar(nil, []float64{1, nan}) }, "display.Bar: values[1] is NaN"},
		{"line mismatched", func() (*Plot, error) { return Line([]int{1, 2, 3}, []int{1, 2, 3, 4}) },
			"display.Line: xs has 3 values but ys has 4"},
		{"line infinite x", func() (*Plot, error) { return Line([]float64{math.Inf(1)}, []int{1}) }, "display.Line: xs[0] is +Inf"},
		{"line text", func() (*Plot, error) { return Line(nil, []any{1, "two"}) },
			"display.Line: ys: element 1 is a string, not a number"},
		{"scatter nil element", func() (*Plot, error) { return Scatter(nil, []any{1, nil}) },
			"display.Scatter: ys: element 1 is nil, not a number"},
		{"scatter not numbers", func() (*Plot, error) { return Scatter(nil, "abc") },
			"display.Scatter: ys: got string, want a slice of numbers"},
		{"scatter empty xs", func() (*Plot, error) { return Scatter([]int{}, []int{}) }, "display.Scatter: ys is empty"},
		{"hist NaN", func() (*Plot, error) { return Hist([]float64{nan}, 3) }, "display.Hist: values[0] is NaN"},
		{"hist too many bins", func() (*Plot, error) { return Hist([]int{1}, 5000) }, "display.Hist: bins is 5000, want at most 1000"},
		{"bad size", func() (*Plot, error) { return Hist([]int{1}, 1, Size(0, 10)) },
			"display.Hist: size 0x10: width and height must be between 1 and 8000 pixels"},
		{"huge size", func() (*Plot, error) { return Line(nil, []int{1}, Size(10, 1e6)) },
			"display.Line: size 10x1000000: width and height must be between 1 and 8000 pixels"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := tt.make()
			if err == nil || err.Error() != tt.want {
				t.Errorf("error = %v, want %q", err, tt.want)
			}
			if p != nil {
				t.Errorf("plot = %v, want nil", p)
			}
		})
	}
}

func TestFloats(t *testing.T) {
	one := 1
	tests := []struct {
		in   any
		want []float64
		err  string
	}{
		{[]float64{1.5}, []float64{1.5}, ""},
		{[]int{1, -2}, []float64{1, -2}, ""},
		{[]uint16{7}, []float64{7}, ""},
		{[3]int8{1, 2, 3}, []float64{1, 2, 3}, ""},
		{[]time.Duration{2}, []float64{2}, ""},
		{[]any{1, 2.5, float32(0.5), &one}, []float64{1, 2.5, 0.5, 1}, ""},
		{42, []float64{42}, ""},
		{[]int{}, []float64{}, ""},
		{nil, nil, "got nil, want numbers"},
		{"x", nil, "got string, want a slice of numbers"},
		{[]string{"1"}, nil, "element 0 is a string, not a number"},
		{[]any{1, true}, nil, "element 1 is a bool, not a number"},
		{map[string]int{"a": 1}, nil, "got map[string]int, want a slice of numbers"},
	}
	for _, tt := range tests {
		got, err := Floats(tt.in)
		if tt.err != "" {
			if err == nil || err.Error() != tt.err {
				t.Errorf("Floats(%#v) error = %v, want %q", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Floats(%#v) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}

func TestBinValues(t *testing.T) {
	tests := []struct {
		vs     []float64
		n      int
		counts []float64
		width  float64
	}{
		{[]float64{0, 1, 2, 3, 4}, 2, []float64{2, 3}, 2},
		{[]float64{0, 0.1, 0.2, 0.3, 0.7, 0.8, 0.9, 1}, 3, []float64{4, 0, 4}, 1.0 / 3},
		{[]float64{5, 5}, 4, []float64{0, 0, 2, 0}, 0.25},
	}
	for _, tt := range tests {
		bins, w := binValues(tt.vs, tt.n)
		var counts []float64
		for _, b := range bins {
			counts = append(counts, b.Weight)
		}
		if !reflect.DeepEqual(counts, tt.counts) || math.Abs(w-tt.width) > 1e-12 {
			t.Errorf("binValues(%v, %d) = %v width %v, want %v width %v", tt.vs, tt.n, counts, w, tt.counts, tt.width)
		}
	}
}
