package shell

import (
	"fmt"
	"strings"
	"testing"
)

func TestCellErrors(t *testing.T) {
	ts := newTestSession(t)
	ts.eval("rdd := sc.Range(0, 10)\nfunc add(x int) int {\n\tif x == 3 {\n\t\tpanic(\"three\")\n\t}\n\treturn x\n}\ncounter := 1")
	for _, c := range []struct {
		cell      string
		kind      ErrorKind
		line, col int
		msg       string   // Msg contains
		hint      string   // Hint equals
		report    []string // Report contains
	}{
		{cell: "x := )", kind: CompileError, line: 1, col: 6, msg: "syntax error: expected operand",
			report: []string{"compile error at cell 2:1:6", "   1 | x := )", "     |      ^"}},
		{cell: "a := 1\nb := a +\n\nc := 3", kind: CompileError, line: 4, col: 3, msg: "syntax error: expected ';', found ':='"},
		{cell: "rdd.Colect()", kind: CompileError, line: 1, col: 5, msg: "undefined method: Colect", hint: "did you mean Collect?"},
		{cell: "n := 1\nm := rdd.\n\tMap(add).Cont()", kind: CompileError, line: 3, col: 11, msg: "rdd.\n\tMap(add) has no field or method Cont", hint: "did you mean Count?"},
		{cell: "countr + 1", kind: CompileError, line: 1, col: 1, msg: "undefined: countr", hint: "did you mean counter?"},
		{cell: "strings.Feilds(\"a\")", kind: CompileError, line: 1, col: 9, msg: "Feilds", hint: "did you mean Fields?"},
		{cell: `x := 1 + "a"`, kind: CompileError, line: 1, msg: "mismatched types"},
		{cell: "var m map[string]int\nm[\"a\"] = 1", kind: RuntimeError, line: 2, col: 1, msg: "assignment to entry in nil map"},
		{cell: "panic(\"boom\")", kind: RuntimeError, line: 1, msg: "panic: boom"},
		{cell: "sc.Range(0, 10).Map(add).Count()", kind: JobError, line: 1, msg: "panic in func(int) int passed to Map at cell N:1: three",
			report: []string{"at cell 1:3:5 in add:  if x == 3 {", "in job", "partition"}},
		{cell: "x := 2\nsc.Range(0, 10).\n\tMap(func(v int) int { return v / (v - 5) }).\n\tCollect()", kind: JobError, line: 2,
			msg: "integer divide by zero", report: []string{"at cell N:3:36 in a func literal:  Map(func(v int) int { return v / (v - 5) })."}},
		{cell: "sc.Range(0, 10).Map(func(s string) int { return len(s) })", kind: RuntimeError, line: 1,
			msg: "Map at cell N:1: the func func(string) int takes string but this RDD holds int"},
		{cell: "strings.Repeat(\"x\", -1)", kind: RuntimeError, line: 1, msg: "negative Repeat count", report: []string{"in strings.Repeat"}},
		{cell: "import \"github.com/nope/nope\"", kind: CompileError, line: 1, col: 8, msg: "not available"},
		{cell: "ch := make(chan int)\nv, ok := <-ch", kind: CompileError, line: 2, col: 1, msg: "v, ok := <-ch"},
	} {
		n := fmt.Sprintf("cell %d", ts.Count()+1)
		c.msg = strings.ReplaceAll(c.msg, "cell N", n)
		for i := range c.report {
			c.report[i] = strings.ReplaceAll(c.report[i], "cell N", n)
		}
		ce := ts.fail(c.cell)
		if ce.Kind != c.kind || ce.Line != c.line || (c.col != 0 && ce.Column != c.col) || !strings.Contains(ce.Msg, c.msg) || ce.Hint != c.hint {
			t.Errorf("%q:\n got %v %d:%d msg %q hint %q\nwant %v %d:%d msg %q hint %q\n%s", c.cell, ce.Kind, ce.Line, ce.Column, ce.Msg, ce.Hint,
				c.kind, c.line, c.col, c.msg, c.hint, ce.Report())
			continue
		}
		if want := sourceLine(c.cell, c.line); ce.Source != want {
			t.Errorf("%q: Source %q, want %q", c.cell, ce.Source, want)
		}
		rep := ce.Report()
		for _, w := range c.report {
			if !strings.Contains(rep, w) {
				t.Errorf("%q: report lacks %q:\n%s", c.cell, w, rep)
			}
		}
		if strings.Contains(rep, srcFile) || strings.Contains(ce.Error(), srcFile) {
			t.Errorf("%q: virtual position leaked:\n%s", c.cell, rep)
		}
	}
	// The session is still usable.
	if got := ts.eval("counter + 1"); got != "2" {
		t.Errorf("after errors: %q", got)
	}
}

func TestQuoteLine(t *testing.T) {
	got := quoteLine(12, 3, "\tx := )")
	want := "  12 | \tx := )\n     | \t ^\n"
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
