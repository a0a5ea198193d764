package display

import (
	"bytes"
	"fmt"
	"image/color"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// The default plot size in pixels.
const (
	// DefaultPlotWidth is a plot's width when Size is not given.
	DefaultPlotWidth = 640
	// DefaultPlotHeight is a plot's height when Size is not given.
	DefaultPlotHeight = 400
)

// maxPlotSide bounds a plot's width and height in pixels, so that a typo
// cannot ask for gigabytes of image.
const maxPlotSide = 8000

// dpi is the resolution plots are drawn at: 96 dots per inch, the CSS pixel,
// so that a plot's size in pixels is also its PNG's size.
const dpi = 96

// margin is the blank border around a plot.
const margin = vg.Length(8)

// accent is the colour of bars, lines and points.
var accent = color.RGBA{R: 0x4C, G: 0x72, B: 0xB0, A: 0xFF}

// Plot is a chart of collected data, made by Bar, Line, Scatter or Hist.
// It renders as PNG or SVG, and a notebook cell whose value is a Plot shows
// the picture: Plot implements Displayer, PNGer and SVGer. A Plot is safe
// for concurrent use.
type Plot struct {
	mu     sync.Mutex
	p      *plot.Plot
	kind   string
	width  int
	height int
}

// PlotOption sets a property of a plot when it is made.
type PlotOption func(*plotConfig)

type plotConfig struct {
	title, xlabel, ylabel string
	width, height         int
}

// Title sets the title printed above a plot.
func Title(s string) PlotOption { return func(c *plotConfig) { c.title = s } }

// XLabel sets the label of a plot's horizontal axis.
func XLabel(s string) PlotOption { return func(c *plotConfig) { c.xlabel = s } }

// YLabel sets the label of a plot's vertical axis.
func YLabel(s string) PlotOption { return func(c *plotConfig) { c.ylabel = s } }

// Size sets a plot's width and height in pixels; the default is
// DefaultPlotWidth by DefaultPlotHeight.
func Size(width, height int) PlotOption {
	return func(c *plotConfig) { c.width, c.height = width, height }
}

// newPlot applies opts to a fresh gonum plot of the given kind. It fails
// when the size is out of range.
func newPlot(kind string, opts []PlotOption) (*Plot, error) {
	c := plotConfig{width: DefaultPlotWidth, height: DefaultPlotHeight}
	for _, o := range opts {
		if o != nil {
			o(&c)
		}
	}
	if c.width < 1 || c.height < 1 || c.width > maxPlotSide || c.height > maxPlotSide {
		return nil, fmt.Errorf("size %dx%d: width and height must be between 1 and %d pixels",
			c.width, c.height, maxPlotSide)
	}
	p := plot.New()
	p.Title.Text = c.title
	p.Title.Padding = vg.Points(6)
	p.X.Label.Text = c.xlabel
	p.Y.Label.Text = c.ylabel
	p.X.Tick.Marker = distinctTicks{}
	p.Y.Tick.Marker = distinctTicks{}
	grid := plotter.NewGrid()
	grid.Vertical.Color = color.Gray{Y: 0xDD}
	grid.Horizontal.Color = color.Gray{Y: 0xDD}
	p.Add(grid)
	return &Plot{p: p, kind: kind, width: c.width, height: c.height}, nil
}

// PNG draws the plot as a PNG image of its size in pixels.
func (p *Plot) PNG() ([]byte, error) {
	return p.render(pngCanvas)
}

func pngCanvas(w, h vg.Length) vg.CanvasWriterTo {
	return vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(dpi))}
}

func svgCanvas(w, h vg.Length) vg.CanvasWriterTo { return vgsvg.New(w, h) }

// SVG draws the plot as an SVG document whose size in CSS pixels is the
// plot's size. It returns "" in the unlikely event that drawing fails; use
// WriteSVG to see the error.
func (p *Plot) SVG() string {
	var buf bytes.Buffer
	if err := p.WriteSVG(&buf); err != nil {
		return ""
	}
	return buf.String()
}

// WriteSVG draws the plot as an SVG document to w.
func (p *Plot) WriteSVG(w io.Writer) error {
	b, err := p.render(svgCanvas)
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// Display implements Displayer: the bundle holds the PNG image, which every
// Jupyter frontend shows, with String() as the text fallback. SVG is left
// out because a scatter of many points makes a large document; call SVG for
// it.
func (p *Plot) Display() (Data, error) {
	b, err := p.PNG()
	if err != nil {
		return Data{}, err
	}
	return PNG(b).WithText(p.String()), nil
}

// String describes the plot in a line, as a terminal shows it.
func (p *Plot) String() string {
	if p.p.Title.Text != "" {
		return fmt.Sprintf("<%s plot %q, %dx%d>", p.kind, p.p.Title.Text, p.width, p.height)
	}
	return fmt.Sprintf("<%s plot, %dx%d>", p.kind, p.width, p.height)
}

// Save writes the plot to a file whose extension picks the format: .png,
// .svg, .jpg or .jpeg. In a terminal, where no picture can show, this is
// how to look at a plot.
func (p *Plot) Save(path string) error {
	var newCanvas func(w, h vg.Length) vg.CanvasWriterTo
	switch strings.ToLower(filepath.Ext(path)) {
	case ".png":
		newCanvas = pngCanvas
	case ".svg":
		newCanvas = svgCanvas
	case ".jpg", ".jpeg":
		newCanvas = func(w, h vg.Length) vg.CanvasWriterTo {
			return vgimg.JpegCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(dpi))}
		}
	default:
		return fmt.Errorf("display: saving %s plot to %s: unknown extension, want .png, .svg, .jpg or .jpeg", p.kind, path)
	}
	b, err := p.render(newCanvas)
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		return fmt.Errorf("display: saving %s plot: %w", p.kind, err)
	}
	return nil
}

// Gonum returns the underlying gonum plot, for changes this package has no
// option for. Changes made through it show in later renderings; do not make
// them while another goroutine renders the plot.
func (p *Plot) Gonum() *plot.Plot { return p.p }

// render draws the plot on the canvas newCanvas makes and returns the
// bytes it writes. A panic inside gonum becomes an error.
func (p *Plot) render(newCanvas func(w, h vg.Length) vg.CanvasWriterTo) (out []byte, err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("display: drawing %s plot: %v", p.kind, r)
		}
	}()
	w := vg.Length(p.width) * vg.Inch / dpi
	h := vg.Length(p.height) * vg.Inch / dpi
	c := newCanvas(w, h)
	m := min(margin, w/20, h/20)
	p.p.Draw(draw.Crop(draw.New(c), m, -m, m, -m))
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("display: writing %s plot: %w", p.kind, err)
	}
	return buf.Bytes(), nil
}
