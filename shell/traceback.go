package shell

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// frameRE matches the line yaegi writes to its stderr for every interpreted
// frame a panic crosses: "gospark-cell.go:5002:5: panic: main.add(...)".
var frameRE = regexp.MustCompile(regexp.QuoteMeta(srcFile) + `:(\d+):(\d+): panic: ([^\n]*)\(\.\.\.\)\n`)

// userFrames renders captured interpreter frames, innermost first:
// "  at cell 5:2:5 in add:  if x == 7 { panic("seven") }".
// The frame of the cell's own top-level statement at the error's position
// is left out: the error's header shows it.
func (s *Session) userFrames(frames []string, at cellPos) []string {
	var out []string
	for _, f := range frames {
		m := frameRE.FindStringSubmatch(f + "\n")
		if m == nil {
			continue
		}
		vl, _ := strconv.Atoi(m[1])
		col, _ := strconv.Atoi(m[2])
		p, src, ok := s.lines.resolve(vl, col)
		if !ok {
			continue
		}
		if m[3] == "main" && p.Cell == at.Cell && p.Line == at.Line {
			continue
		}
		where := "at " + p.String()
		if p.Cell == 0 {
			where = fmt.Sprintf("at prelude:%d:%d", p.Line, p.Col)
		}
		switch fn := strings.TrimPrefix(m[3], "main."); {
		case fn == "main":
		case fn == "func":
			where += " in a func literal"
		default:
			where += " in " + fn
		}
		line := fmt.Sprintf("  %s:  %s", where, excerpt(src, col))
		if len(out) > 0 && out[len(out)-1] == line {
			continue // yaegi reports some frames twice
		}
		out = append(out, line)
	}
	return out
}

// excerpt returns a source line for a traceback, trimmed to about 80
// bytes around column col.
func excerpt(src string, col int) string {
	src = strings.TrimRight(src, " \t")
	lead := len(src) - len(strings.TrimLeft(src, " \t"))
	src, col = src[lead:], col-lead
	const width = 80
	if len(src) <= width {
		return src
	}
	from := max(0, min(col-width/2, len(src)-width))
	to := min(len(src), from+width)
	out := src[from:to]
	if from > 0 {
		out = "…" + out
	}
	if to < len(src) {
		out += "…"
	}
	return out
}

// internalFrames are the packages whose frames a traceback leaves out: the
// runtime, the interpreter, and gospark itself.
var internalFrames = []string{"runtime.", "runtime/debug.", "reflect.", "github.com/traefik/yaegi", "gospark/", "main.", "testing.", "panic("}

// compiledFrames picks, from a goroutine stack as debug.Stack prints it,
// the compiled frames worth showing a user: library code their cell called
// (strings.Repeat, a json decoder), innermost first.
func compiledFrames(stack string) []string {
	var out []string
	lines := strings.Split(stack, "\n")
	for i := 0; i+1 < len(lines); i++ {
		fn := lines[i]
		if fn == "" || strings.HasPrefix(fn, "\t") || strings.HasPrefix(fn, "goroutine ") || strings.HasPrefix(fn, "created by ") {
			continue
		}
		loc := strings.TrimSpace(lines[i+1])
		if !strings.HasPrefix(lines[i+1], "\t") {
			continue
		}
		i++
		internal := false
		for _, p := range internalFrames {
			if strings.HasPrefix(fn, p) {
				internal = true
				break
			}
		}
		if internal {
			continue
		}
		if k := strings.LastIndex(fn, "("); k > 0 {
			fn = fn[:k]
		}
		if k := strings.LastIndex(loc, " +0x"); k > 0 {
			loc = loc[:k]
		}
		out = append(out, fmt.Sprintf("  in %s (%s)", fn, filepath.Base(loc)))
	}
	return out
}
