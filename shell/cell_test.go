package shell

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

func TestSplitCell(t *testing.T) {
	for _, c := range []struct {
		cell string
		want []string // items; a "D " prefix marks a declaration
	}{
		{"x := 1", []string{"x := 1"}},
		{"x := 1; y := 2\nz := 3", []string{"x := 1", "y := 2", "z := 3"}},
		{"type Pt struct{ X, Y int }\np := Pt{1, 2}\np", []string{"D type Pt struct{ X, Y int }", "p := Pt{1, 2}", "p"}},
		{"for i := 0; i < 3; i++ {\n\tfmt.Println(i)\n}", []string{"for i := 0; i < 3; i++ {\n\tfmt.Println(i)\n}"}},
		{"if v := f(); v > 0 {\n} else {\n}", []string{"if v := f(); v > 0 {\n} else {\n}"}},
		{"func f() int { return 1 }\nf()", []string{"D func f() int { return 1 }", "f()"}},
		{"func (p Pt) M() {}", []string{"D func (p Pt) M() {}"}},
		{"func() { fmt.Println(1) }()", []string{"func() { fmt.Println(1) }()"}},
		{"func(x int) int { return x }(2)", []string{"func(x int) int { return x }(2)"}},
		{"import \"strings\"\nstrings.ToUpper(\"a\")", []string{"D import \"strings\"", "strings.ToUpper(\"a\")"}},
		{"var (\n\ta = 1\n\tb = 2\n)", []string{"D var (\n\ta = 1\n\tb = 2\n)"}},
		{"words.\n\tMap(f).\n\tCount()", []string{"words.\n\tMap(f).\n\tCount()"}},
		{"// a comment\nx := 1 // trailing\n\n/* block */ y := 2", []string{"x := 1", "y := 2"}},
		{"switch x := v.(type) {\ncase int:\n\t_ = x\n}", []string{"switch x := v.(type) {\ncase int:\n\t_ = x\n}"}},
		{"L:\n\tfor {\n\t\tbreak L\n\t}", []string{"L:\n\tfor {\n\t\tbreak L\n\t}"}},
		{"s := `a\nb`\ns", []string{"s := `a\nb`", "s"}},
		{"  \n\t", nil},
	} {
		items, err := parseCell(c.cell)
		if err != nil {
			t.Errorf("%q: %v", c.cell, err)
			continue
		}
		var got []string
		for _, it := range items {
			s := c.cell[it.start:it.end]
			if it.decl {
				s = "D " + s
			}
			got = append(got, s)
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%q:\n got %q\nwant %q", c.cell, got, c.want)
		}
	}
}

func TestParseCellErrors(t *testing.T) {
	for _, c := range []struct {
		cell      string
		line, col int
		msg       string
	}{
		{"x := )", 1, 6, "expected operand"},
		{"a := 1\nb := (2 +\n 3))\nc := 4", 3, 4, "expected"},
		{"func f() {\n\treturn 1 +\n}", 3, 1, "expected operand"},
		{"x := \"abc", 1, 6, "string literal not terminated"},
		{"func f() {}\nx := )", 2, 6, "expected operand"},
	} {
		_, err := parseCell(c.cell)
		pe, ok := err.(*parseError)
		if !ok {
			t.Errorf("%q: error %v, want a parse error", c.cell, err)
			continue
		}
		line, col := lineCol(c.cell, pe.Offset)
		if line != c.line || col != c.col || !strings.Contains(pe.Msg, c.msg) {
			t.Errorf("%q: %d:%d %q, want %d:%d %q", c.cell, line, col, pe.Msg, c.line, c.col, c.msg)
		}
	}
}

func TestIsComplete(t *testing.T) {
	for _, c := range []struct{ code, status, indent string }{
		{"", "complete", ""},
		{"x := 1", "complete", ""},
		{"sc.Range(0, 10).Count()", "complete", ""},
		{"func f() {", "incomplete", "    "},
		{"func f() {\n\tif true {", "incomplete", "        "},
		{"counts := words.MapPairs(f).", "incomplete", ""},
		{"x := 1 +", "incomplete", ""},
		{"f(1,\n", "incomplete", "    "},
		{"s := `raw", "incomplete", ""},
		{"/* comment", "incomplete", ""},
		{"for i := 0; i < 3; i++", "incomplete", ""},
		{"x := )", "invalid", ""},
		{"x := 1 }", "invalid", ""},
		{"x := := 3", "invalid", ""},
		{"s := \"abc\nd\"", "invalid", ""},
		{"func f() {\n}", "complete", ""},
		{"import (\n\t\"strings\"", "incomplete", "    "},
	} {
		st, ind := IsComplete(c.code)
		if st != c.status || ind != c.indent {
			t.Errorf("IsComplete(%q) = %q, %q; want %q, %q", c.code, st, ind, c.status, c.indent)
		}
	}
}

// directiveRE matches the line directives the builder writes.
var directiveRE = regexp.MustCompile(`/\*line [^*]*\*/`)

func TestRewrites(t *testing.T) {
	for _, c := range []struct{ stmt, want string }{
		{"v, ok := m[k]", "var v = m[k]; var ok bool; v, ok = m[k]"},
		{"v, ok := m[f(x)]", "__gs1 := f(x); var v = m[__gs1]; var ok bool; v, ok = m[__gs1]"},
		{"_, ok := m[k]", "var ok bool; _, ok = m[k]"},
		{"p, isPt := e.(Pt)", "var p Pt; var isPt bool; p, isPt = e.(Pt)"},
		{"p, ok := load().(*Pt)", "__gs1 := load(); var p *Pt; var ok bool; p, ok = __gs1.(*Pt)"},
		{"var v, ok = m[k]", "var v = m[k]; var ok bool; v, ok = m[k]"},
		{"a, b := f()", "a, b := f()"},
		{"x := 1", "x := 1"},
		{"for _, s := range xs {\n\tn, err := strconv.Atoi(s)\n\t_, _ = n, err\n}",
			"_ = func() struct{} {\nfor _, s := range xs {\n\tn, err := strconv.Atoi(s)\n\t_, _ = n, err\n}\nreturn struct{}{}\n}()"},
		{"if v, ok := m[k]; ok {\n}", "_ = func() struct{} {\nif v, ok := m[k]; ok {\n}\nreturn struct{}{}\n}()"},
		{"switch x := e.(type) {\n}", "_ = func() struct{} {\nswitch x := e.(type) {\n}\nreturn struct{}{}\n}()"},
		{"if x > 0 {\n\ty := 2\n}", "if x > 0 {\n\ty := 2\n}"},
		{"for i := 0; i < 3; i++ {\n\tgo func() { a, b := f(); _, _ = a, b }()\n}", "for i := 0; i < 3; i++ {\n\tgo func() { a, b := f(); _, _ = a, b }()\n}"},
	} {
		items, err := parseCell(c.stmt)
		if err != nil || len(items) != 1 {
			t.Fatalf("%q: %v", c.stmt, err)
		}
		it := &items[0]
		if it.decl {
			it.Stmt = declStmt(it)
		}
		sb := &srcBuilder{cell: c.stmt, base: 1}
		var rw rewriter
		if _, msg := rw.writeStmt(sb, it); msg != "" {
			t.Errorf("%q: %s", c.stmt, msg)
			continue
		}
		if got := directiveRE.ReplaceAllString(sb.String(), ""); got != c.want {
			t.Errorf("%q:\n got %q\nwant %q", c.stmt, got, c.want)
		}
	}
}

func TestRewriteKeepsPositions(t *testing.T) {
	cell := "x := 1\nv, ok := m[f(x)]"
	items, _ := parseCell(cell)
	sb := &srcBuilder{cell: cell, base: 100}
	var rw rewriter
	rw.writeStmt(sb, &items[1])
	// Every copy of cell text is preceded by its virtual position: line 2
	// of a cell based at virtual line 100 is 101.
	for _, d := range directiveRE.FindAllString(sb.String(), -1) {
		if !strings.HasPrefix(d, "/*line "+srcFile+":101:") {
			t.Errorf("directive %q, want line 101", d)
		}
	}
	if !strings.Contains(sb.String(), "/*line "+srcFile+":101:12*/f(x)") {
		t.Errorf("f(x) lost its column: %q", sb.String())
	}
}

func TestMinMaxEdits(t *testing.T) {
	for _, c := range []struct{ cell, want string }{
		{"max(2, 3.5)", "(3.5)"},
		{"min(2, 3.5)", "(2.0)"},
		{"min(3, 1, 2)", "(1)"},
		{"max(-1, -2)", "(-1)"},
		{`max("a", "b")`, `("b")`},
		{"max(2.5, y)", "max(y, 2.5)"},
		{"min(1, 2, z, 3)", "min(z, 1, 2, 3)"},
		{"min(y, 2)", "min(y, 2)"},
		{"x := max(1, 2) + min(f(), 0.5)", "x := (2) + min(f(), 0.5)"},
	} {
		items, err := parseCell(c.cell)
		if err != nil {
			t.Fatal(err)
		}
		sb := &srcBuilder{cell: c.cell, base: 1, edits: minMaxEdits(c.cell, &items[0], func(string) bool { return true })}
		sb.orig(items[0].start, items[0].end)
		if got := directiveRE.ReplaceAllString(sb.String(), ""); got != c.want {
			t.Errorf("%q: got %q, want %q", c.cell, got, c.want)
		}
	}
}

func TestLineTable(t *testing.T) {
	lt := newLineTable()
	b1 := lt.add(1, "a\nb\nc")
	b2 := lt.add(2, "x")
	for _, c := range []struct {
		vl       int
		cell, ln int
		src      string
	}{
		{b1, 1, 1, "a"}, {b1 + 2, 1, 3, "c"}, {b2, 2, 1, "x"},
	} {
		p, src, ok := lt.resolve(c.vl, 4)
		if !ok || p.Cell != c.cell || p.Line != c.ln || src != c.src {
			t.Errorf("resolve(%d) = %v %q %v", c.vl, p, src, ok)
		}
	}
	msg, p, ok := lt.rewritePositions(srcFile + ":" + itoa(b1+1) + ":7: undefined: q")
	if !ok || msg != "cell 1:2:7: undefined: q" || p != (cellPos{1, 2, 7}) {
		t.Errorf("rewritePositions = %q %v %v", msg, p, ok)
	}
}

func TestRangeIntEdits(t *testing.T) {
	ints := map[string]bool{"n": true}
	for _, c := range []struct{ cell, want string }{
		{"for i := range 10 {\n}", "for i, __gs1 := (10)-(10), 10; i < __gs1; i++ {\n}"},
		{"for range n {\n}", "for __gs1, __gs2 := (n)-(n), n; __gs1 < __gs2; __gs1++ {\n}"},
		{"for i = range len(xs) {\n}", "for i = (len(xs))-(len(xs)); i < len(xs); i++ {\n}"},
		{"for i := range xs {\n}", "for i := range xs {\n}"},
		{"for i := range f() {\n}", "for i := range f() {\n}"},
		{"for k, v := range m {\n}", "for k, v := range m {\n}"},
		{"func g(k int) {\n\tfor j := range k * 2 {\n\t}\n}", "func g(k int) {\n\tfor j, __gs1 := (k * 2)-(k * 2), k * 2; j < __gs1; j++ {\n\t}\n}"},
	} {
		items, err := parseCell(c.cell)
		if err != nil {
			t.Fatal(err)
		}
		var rw rewriter
		edits := rangeIntEdits(c.cell, &items[0], func(name string) bool { return ints[name] }, rw.hidden)
		sb := &srcBuilder{cell: c.cell, base: 1, edits: edits}
		sb.orig(items[0].start, items[0].end)
		if got := directiveRE.ReplaceAllString(sb.String(), ""); got != c.want {
			t.Errorf("%q:\n got %q\nwant %q", c.cell, got, c.want)
		}
	}
}
