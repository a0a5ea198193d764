package repl

import (
	"slices"
	"strings"
	"testing"

	"gospark/shell"
)

func TestOneLine(t *testing.T) {
	for _, c := range []struct{ cell, want string }{
		{"x := 1", "x := 1"},
		{"func f() int {\n\treturn 1\n}", "func f() int { return 1; }"},
		{"counts := words.MapPairs(f).\n    ReduceByKey(g)", "counts := words.MapPairs(f). ReduceByKey(g)"},
		{"x := 1 // one\ny := 2", "x := 1 /* one */; y := 2"},
		{"f(1,\n\t2)", "f(1, 2)"},
		{"s := `a\nb`", "s := `a\nb`"},
		{"if x {\n\ty()\n} else {\n\tz()\n}", "if x { y(); } else { z(); }"},
		{"a := []int{\n\t1,\n\t2,\n}", "a := []int{ 1, 2, }"},
	} {
		got := oneLine(c.cell)
		if got != c.want {
			t.Errorf("oneLine(%q) = %q, want %q", c.cell, got, c.want)
		}
		// The line is a cell of its own that parses.
		if !strings.Contains(got, "\n") {
			if st, _ := shell.IsComplete(got); st != shell.StatusComplete {
				t.Errorf("oneLine(%q) = %q is %s", c.cell, got, st)
			}
		}
	}
}

func TestCellReader(t *testing.T) {
	cr := newCellReader(strings.NewReader("x := 1\n\nfunc f() {\n}\n:help\n  y := x +\n 2\nz := (\n"))
	var got []string
	var starts []int
	for {
		text, start, err := cr.next()
		if err != nil {
			break
		}
		got = append(got, text)
		starts = append(starts, start)
	}
	want := []string{"x := 1", "func f() {\n}", ":help", "  y := x +\n 2", "z := ("}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("cells %q, want %q", got, want)
	}
	if wantStarts := []int{1, 3, 5, 6, 8}; !slices.Equal(starts, wantStarts) {
		t.Errorf("starts %v, want %v", starts, wantStarts)
	}
}
