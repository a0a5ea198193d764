package shell

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// The shell compiles every chunk under one file name, so that the
// interpreter's file-scoped imports are shared by all cells, and gives each
// cell its own range of "virtual" line numbers through //line directives.
// A position the interpreter reports — a compile error, the frame of a panic
// in a func defined ten cells ago — therefore names one line of one cell.

// srcFile is the file name of every compiled chunk.
const srcFile = "gospark-cell.go"

// cellSource is one evaluated cell, kept to quote its lines in errors.
type cellSource struct {
	n    int    // the cell's number
	base int    // the virtual line of the cell's line 1
	src  string // the cell's text
}

// lineTable maps virtual lines back to cells.
type lineTable struct {
	mu    sync.Mutex
	next  int
	cells []cellSource // by base
}

func newLineTable() *lineTable { return &lineTable{next: 1} }

// add registers a cell and returns the virtual line of its line 1.
func (t *lineTable) add(n int, src string) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	base := t.next
	t.next += strings.Count(src, "\n") + 2
	t.cells = append(t.cells, cellSource{n: n, base: base, src: src})
	return base
}

// lookup returns the cell holding virtual line vl and the line within it.
func (t *lineTable) lookup(vl int) (cellSource, int, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	k := sort.Search(len(t.cells), func(i int) bool { return t.cells[i].base > vl }) - 1
	if k < 0 {
		return cellSource{}, 0, false
	}
	c := t.cells[k]
	return c, vl - c.base + 1, true
}

// line returns the source line at p, or "".
func (t *lineTable) line(p cellPos) string {
	t.mu.Lock()
	defer t.mu.Unlock()
	for i := len(t.cells) - 1; i >= 0; i-- {
		if t.cells[i].n == p.Cell {
			return sourceLine(t.cells[i].src, p.Line)
		}
	}
	return ""
}

// cellPos is a position in a cell.
type cellPos struct {
	Cell, Line, Col int
}

func (p cellPos) String() string {
	if p.Col > 0 {
		return fmt.Sprintf("cell %d:%d:%d", p.Cell, p.Line, p.Col)
	}
	return fmt.Sprintf("cell %d:%d", p.Cell, p.Line)
}

// posRE matches a position the interpreter prints: "gospark-cell.go:12:5".
var posRE = regexp.MustCompile(regexp.QuoteMeta(srcFile) + `:(\d+):(\d+)`)

// resolve maps a virtual line and column to a cell position.
func (t *lineTable) resolve(vl, col int) (cellPos, string, bool) {
	c, line, ok := t.lookup(vl)
	if !ok {
		return cellPos{}, "", false
	}
	return cellPos{Cell: c.n, Line: line, Col: col}, sourceLine(c.src, line), true
}

// rewritePositions replaces the virtual positions in an interpreter message
// with cell positions, and returns the first one found.
func (t *lineTable) rewritePositions(msg string) (string, cellPos, bool) {
	var first cellPos
	found := false
	out := posRE.ReplaceAllStringFunc(msg, func(m string) string {
		sub := posRE.FindStringSubmatch(m)
		vl, _ := strconv.Atoi(sub[1])
		col, _ := strconv.Atoi(sub[2])
		p, _, ok := t.resolve(vl, col)
		if !ok {
			return m
		}
		if !found {
			first, found = p, true
		}
		return p.String()
	})
	return out, first, found
}

// sourceLine returns line n (from 1) of src, or "".
func sourceLine(src string, n int) string {
	for i := 1; ; i++ {
		j := strings.IndexByte(src, '\n')
		if i == n {
			if j < 0 {
				return src
			}
			return src[:j]
		}
		if j < 0 {
			return ""
		}
		src = src[j+1:]
	}
}

// lineCol converts a byte offset of src to a line and a column, from 1.
// The column counts bytes, as Go's positions do.
func lineCol(src string, off int) (int, int) {
	off = min(max(off, 0), len(src))
	line := 1 + strings.Count(src[:off], "\n")
	col := off - strings.LastIndexByte(src[:off], '\n')
	return line, col
}
