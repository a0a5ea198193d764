package kernel

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"math"
)

// The logo is a white four-pointed spark on a rounded square of Go's blue.
// The SVG and the PNGs draw the same shapes in a 64-unit square.

const logoSVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" width="64" height="64">
  <rect x="0" y="0" width="64" height="64" rx="12" fill="#00ADD8"/>
  <polygon points="` + "32,6 38.4,25.6 58,32 38.4,38.4 32,58 25.6,38.4 6,32 25.6,25.6" + `" fill="#FFFFFF"/>
</svg>
`

var (
	logoBlue  = color.NRGBA{0x00, 0xAD, 0xD8, 0xFF}
	logoWhite = color.NRGBA{0xFF, 0xFF, 0xFF, 0xFF}
)

// logoStar is the spark's outline in 64-unit coordinates.
var logoStar = [][2]float64{{32, 6}, {38.4, 25.6}, {58, 32}, {38.4, 38.4}, {32, 58}, {25.6, 38.4}, {6, 32}, {25.6, 25.6}}

// logoPNG renders the logo as a size×size PNG, with 4×4 supersampling for
// smooth edges.
func logoPNG(size int) ([]byte, error) {
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	const ss = 4
	scale := 64 / float64(size)
	for y := 0; y < size; y++ {
		for x := 0; x < size; x++ {
			var bg, fg int
			for sy := 0; sy < ss; sy++ {
				for sx := 0; sx < ss; sx++ {
					px := (float64(x) + (float64(sx)+0.5)/ss) * scale
					py := (float64(y) + (float64(sy)+0.5)/ss) * scale
					if !inRoundedSquare(px, py, 64, 12) {
						continue
					}
					if inPolygon(px, py, logoStar) {
						fg++
					} else {
						bg++
					}
				}
			}
			img.SetNRGBA(x, y, blend(bg, fg, ss*ss))
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// blend mixes blue and white by their sample counts over n samples; the
// samples outside both are transparent.
func blend(bg, fg, n int) color.NRGBA {
	in := bg + fg
	if in == 0 {
		return color.NRGBA{}
	}
	mix := func(a, b uint8) uint8 {
		return uint8((int(a)*bg + int(b)*fg) / in)
	}
	return color.NRGBA{mix(logoBlue.R, logoWhite.R), mix(logoBlue.G, logoWhite.G), mix(logoBlue.B, logoWhite.B), uint8(255 * in / n)}
}

func inRoundedSquare(x, y, side, r float64) bool {
	if x < 0 || y < 0 || x > side || y > side {
		return false
	}
	cx := math.Min(math.Max(x, r), side-r)
	cy := math.Min(math.Max(y, r), side-r)
	return (x-cx)*(x-cx)+(y-cy)*(y-cy) <= r*r
}

// inPolygon is the even-odd rule.
func inPolygon(x, y float64, pts [][2]float64) bool {
	in := false
	for i, j := 0, len(pts)-1; i < len(pts); j, i = i, i+1 {
		xi, yi, xj, yj := pts[i][0], pts[i][1], pts[j][0], pts[j][1]
		if (yi > y) != (yj > y) && x < (xj-xi)*(y-yi)/(yj-yi)+xi {
			in = !in
		}
	}
	return in
}
