package display

// MIMEClearOutput is the key of a bundle that clears the output it is
// published into instead of showing anything: Jupyter's clear_output. Its
// value says whether to wait for the next output before clearing.
const MIMEClearOutput = "application/vnd.gospark.clear-output+json"

// ClearOutput returns a bundle that, displayed, clears the cell's output: at
// once, or when the next output arrives if wait is true (which avoids
// flicker in loops that redraw). A terminal shows nothing for it.
func ClearOutput(wait bool) Data {
	return Data{MIME: map[string]any{MIMEClearOutput: map[string]bool{"wait": wait}}}
}

// IsClearOutput reports whether d asks to clear the output, and whether to
// wait for the next output first.
func IsClearOutput(d Data) (clear, wait bool) {
	v, ok := d.MIME[MIMEClearOutput]
	if !ok {
		return false, false
	}
	switch x := v.(type) {
	case bool:
		return true, x
	case map[string]bool:
		return true, x["wait"]
	case map[string]any:
		w, _ := x["wait"].(bool)
		return true, w
	}
	return true, false
}
