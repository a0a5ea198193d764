package display

import (
	"strconv"

	"gonum.org/v1/plot"
)

// distinctTicks is gonum's default ticker with labels printed at the
// smallest precision that tells every labelled tick apart: over a narrow
// range the default labels repeat ("3.2, 3.2, 3.1, 3.1").
type distinctTicks struct{}

// Ticks implements plot.Ticker.
func (distinctTicks) Ticks(min, max float64) []plot.Tick {
	ticks := plot.DefaultTicks{}.Ticks(min, max)
	for prec := 1; prec <= 15; prec++ {
		seen := map[string]bool{}
		ok := true
		for _, t := range ticks {
			if t.Label == "" {
				continue
			}
			l := strconv.FormatFloat(t.Value, 'g', prec, 64)
			if seen[l] {
				ok = false
				break
			}
			seen[l] = true
		}
		if ok {
			for i, t := range ticks {
				if t.Label != "" {
					ticks[i].Label = strconv.FormatFloat(t.Value, 'g', prec, 64)
				}
			}
			return ticks
		}
	}
	return ticks
}
