package shell

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

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
