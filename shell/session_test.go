package shell

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gospark/display"
	"gospark/engine"
	"gospark/engine/scheduler"
)

// syncBuffer is a bytes.Buffer safe for the session's writer goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

func (b *syncBuffer) Reset() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.b.Reset()
}

type testSession struct {
	*Session
	t        *testing.T
	out, err *syncBuffer
	tasks    atomic.Int64 // running tasks
}

func newTestSession(t *testing.T) *testSession {
	t.Helper()
	out, errb := &syncBuffer{}, &syncBuffer{}
	s, err := NewSession(Options{Conf: engine.Conf{"spark.master": "local[2]"}, Stdout: out, Stderr: errb})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	ts := &testSession{Session: s, t: t, out: out, err: errb}
	s.Context().AddListener(scheduler.ListenerFunc(func(e scheduler.Event) {
		switch e.(type) {
		case scheduler.TaskStart:
			ts.tasks.Add(1)
		case scheduler.TaskEnd:
			ts.tasks.Add(-1)
		}
	}))
	return ts
}

// eval runs a cell that must succeed and returns its result's text.
func (ts *testSession) eval(cell string) string {
	ts.t.Helper()
	r, err := ts.Eval(context.Background(), cell)
	if err != nil {
		var ce *CellError
		if errors.As(err, &ce) {
			ts.t.Fatalf("cell %q failed:\n%s", cell, ce.Report())
		}
		ts.t.Fatalf("cell %q failed: %v", cell, err)
	}
	return r.Text
}

// fail runs a cell that must fail and returns its error.
func (ts *testSession) fail(cell string) *CellError {
	ts.t.Helper()
	r, err := ts.Eval(context.Background(), cell)
	if err == nil {
		ts.t.Fatalf("cell %q succeeded with %q; want an error", cell, r.Text)
	}
	var ce *CellError
	if !errors.As(err, &ce) {
		ts.t.Fatalf("cell %q: error %T %v, want a *CellError", cell, err, err)
	}
	return ce
}

func TestEvalBasics(t *testing.T) {
	ts := newTestSession(t)
	for _, c := range []struct{ cell, want string }{
		{`1 + 2`, "3"},
		{`x := 40`, ""},
		{`x + 2`, "42"},
		{`sc.Range(0, 10, 1, 2).Count()`, "10"},
		{`strings.Fields("a b c")`, "[a b c]"},
		{`strconv.Atoi("12")`, "12"},
		{`strconv.Atoi("x")`, `(0, strconv.Atoi: parsing "x": invalid syntax)`},
		{"type Pt struct{ X, Y int }\np := Pt{1, 2}\np", "{X:1 Y:2}"},
		{`func f() {}`, ""},
		{`f()`, ""},
		{`"hi"`, `"hi"`},
		{"sc.Range(0, 3).Count() // how many", "3"},
		{"var ages = map[string]int{\"ann\": 3}\nage, known := ages[\"ann\"]\nfmt.Sprint(age, known)", `"3 true"`},
		{"var e any = 2.5\nif f, ok := e.(float64); ok {\n\tfmt.Println(f)\n}", ""},
		{"xs := []int{3, 1, 2}\nSorted(xs)", "[1 2 3]"},
		{"Sum([]float64{1.5, 2})", "3.5"},
		{"total := 0\nfor i := range 5 {\n\ttotal += i\n}\ntotal", "10"},
		{"var n64 int64 = 3\nm := 0\nfor range n64 {\n\tm++\n}\nm", "3"},
		{"func count(n int) (c int) {\n\tfor j := range n {\n\t\tc += j\n\t}\n\treturn\n}\ncount(4)", "6"},
		{"ys := []string{\"a\", \"b\"}\nfor i := range len(ys) {\n\tfmt.Print(i)\n}\nfor i := range ys {\n\tfmt.Print(ys[i])\n}", ""},
		{"type Person struct { Name string; Age int }\ndf := spark.CreateDataFrame([]Person{{\"ann\", 31}, {\"bob\", 25}})\ndf.Count()", "2"},
		{"df", "DataFrame[Name: string, Age: bigint]"},
		{"type Pt struct{ X, Y, Z int }\nfunc (p Pt) Sum() int { return p.X + p.Y + p.Z }\nPt{1, 2, 3}.Sum()", "6"},
		{"sc.Parallelize([]Pt{{1, 2, 3}}).Map(func(p Pt) int { return p.Sum() }).Collect()", "[6]"},
		{"type rec struct{ name string; n int }\n[]rec{{\"a\", 1}}", "[{name:a n:1}]"},
		{`min(3, 1, 2)`, "1"},
		{`max(1.5, 2.5)`, "2.5"},
		{`words := sc.Parallelize([]string{"a b", "b c"}).FlatMap(strings.Fields)
counts := words.MapPairs(func(w string) (string, int) { return w, 1 }).
	ReduceByKey(func(a, b int) int { return a + b })
counts.SortByKey().Collect()`, "[{a 1} {b 2} {c 1}]"},
	} {
		if got := ts.eval(c.cell); got != c.want {
			t.Errorf("%q = %q, want %q", c.cell, got, c.want)
		}
	}
}

func TestPrintGoesToStdout(t *testing.T) {
	ts := newTestSession(t)
	if got := ts.eval(`fmt.Println("hello")`); got != "" {
		t.Errorf("Println result %q, want none", got)
	}
	ts.eval(`fmt.Fprintln(os.Stderr, "to stderr")`)
	if got := ts.out.String(); got != "hello\n" {
		t.Errorf("stdout %q", got)
	}
	if got := ts.err.String(); got != "to stderr\n" {
		t.Errorf("stderr %q", got)
	}
	if strings.Contains(ts.out.String(), "gospark-sync") {
		t.Error("sync marker leaked")
	}
}

func TestIIFERunsOnce(t *testing.T) {
	ts := newTestSession(t)
	ts.eval(`func() { fmt.Println("once") }()`)
	ts.eval("1")
	ts.eval("x := 2")
	ts.eval("fmt.Println(\"after\")")
	if got := ts.out.String(); got != "once\nafter\n" {
		t.Errorf("stdout %q", got)
	}
}

func TestDisplay(t *testing.T) {
	var got []display.Data
	out := &syncBuffer{}
	var before string
	s, err := NewSession(Options{Conf: engine.Conf{"spark.master": "local[1]"}, Stdout: out, Stderr: io.Discard,
		Display: func(d display.Data) { got, before = append(got, d), out.String() }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Eval(context.Background(), `fmt.Print("before ")
Display(display.HTML("<b>hi</b>"))`); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].MIME["text/html"] != "<b>hi</b>" {
		t.Errorf("published %v", got)
	}
	if before != "before " {
		t.Errorf("output printed before the display reached Stdout as %q when it was published", before)
	}
	r, err := s.Eval(context.Background(), `&display.Table{Header: []string{"k"}, Cells: [][]string{{"a"}}}`)
	if err != nil {
		t.Fatal(err)
	}
	if r.Data == nil || r.Data.MIME["text/html"] == nil || !strings.Contains(r.Text, "|  k|") {
		t.Errorf("rich result: %+v", r)
	}
}

func TestHistoryFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hist")
	s, err := NewSession(Options{Conf: engine.Conf{"spark.master": "local[1]"}, Stdout: io.Discard, Stderr: io.Discard, HistoryFile: path})
	if err != nil {
		t.Fatal(err)
	}
	s.Eval(context.Background(), "x := 1\ny := 2")
	s.Eval(context.Background(), "x +")
	s.Close()
	cells, err := ReadHistory(path, 0)
	if err != nil || !slices.Equal(cells, []string{"x := 1\ny := 2", "x +"}) {
		t.Errorf("history %q, %v", cells, err)
	}
}

// Cells that start goroutines end with a short sleep: an interpreted
// goroutine still running when the next cell starts races with it inside
// yaegi (the global frame), which the race detector reports.
func TestGoroutinePanicIsReported(t *testing.T) {
	ts := newTestSession(t)
	ts.eval("done := make(chan int)\nfunc work(n int64, c chan int) {\n\tc <- int(n)\n\tpanic(\"worker failed\")\n}\ngo work(7, done)\n<-done\ntime.Sleep(20 * time.Millisecond)")
	ts.eval("go func() { panic(\"in goroutine\") }()\ntime.Sleep(50 * time.Millisecond)")
	for i := 0; i < 3; i++ {
		ts.eval(fmt.Sprintf("var wg sync.WaitGroup\nwg.Add(1)\ngo func(k int) {\n\tdefer wg.Done()\n\tfmt.Println(\"k\", k)\n}(%d)\nwg.Wait()\ntime.Sleep(20 * time.Millisecond)", i))
	}
	if got := ts.eval("1 + 1"); got != "2" {
		t.Errorf("after the goroutine panics: %q", got)
	}
	time.Sleep(50 * time.Millisecond)
	ts.Session.stderr.Sync()
	errOut := ts.err.String()
	for _, w := range []string{"panic in the goroutine started at cell 1:6:1: worker failed", "panic in the goroutine started at cell 2:1:1: in goroutine"} {
		if !strings.Contains(errOut, w) {
			t.Errorf("stderr lacks %q:\n%s", w, errOut)
		}
	}
	if got := ts.out.String(); got != "k 0\nk 1\nk 2\n" {
		t.Errorf("stdout %q", got)
	}
}

func TestClearOutputAndInput(t *testing.T) {
	ts := newTestSession(t)
	ts.eval("Display(display.ClearOutput(true))")
	if got := ts.out.String(); got != "" {
		t.Errorf("ClearOutput printed %q in a terminal", got)
	}
	var prompts []string
	s, err := NewSession(Options{Conf: engine.Conf{"spark.master": "local[1]"}, Stdout: io.Discard, Stderr: io.Discard,
		Input: func(p string, _ bool) (string, error) { prompts = append(prompts, p); return "ann", nil }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	r, err := s.Eval(context.Background(), `"hello " + Input("name? ")`)
	if err != nil || r.Text != `"hello ann"` || !slices.Equal(prompts, []string{"name? "}) {
		t.Errorf("Input: %q %v %q", r.Text, err, prompts)
	}
}

func TestSQLPackageIsGosparks(t *testing.T) {
	ts := newTestSession(t)
	if got := ts.eval(`spark.Range(0, 4).Agg(sql.Sum("id")).Collect()`); !strings.Contains(got, "6") {
		t.Errorf("sql.Sum: %q", got)
	}
}
