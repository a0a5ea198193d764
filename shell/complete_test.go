package shell

import (
	"slices"
	"strings"
	"testing"
)

func TestComplete(t *testing.T) {
	ts := newTestSession(t)
	ts.eval("rdd := sc.Range(0, 10)\ntype Pt struct{ X, Y int; name string }\nfunc (p Pt) Norm1() int { return p.X + p.Y }\np := Pt{1, 2, \"a\"}\nfunc mkRDD() *engine.RDD { return rdd }\nwords := []string{\"a\"}\ncounter := 3")
	for _, c := range []struct {
		code  string
		want  []string // all must be among the matches
		not   []string // none may be
		exact bool     // matches must equal want
	}{
		{code: "sc.", want: []string{"Parallelize", "Range", "TextFile", "CancelAllJobs"}, not: []string{"RunJob", "NewRDDID", "FuncEpoch"}},
		{code: "sc.Ra", want: []string{"Range"}, exact: true},
		{code: "rdd.Re", want: []string{"ReduceByKey", "Repartition", "Reduce"}, not: []string{"Map"}},
		{code: "sc.Range(0, 10).Ma", want: []string{"Map", "MapPairs", "MapPartitions"}},
		{code: "sc.Parallelize([]int{1, 2}).Map(func(x int) int { return x }).Co", want: []string{"Collect", "Count", "Coalesce"}},
		{code: "x := rdd.Map(f).Fi", want: []string{"Filter", "First"}, exact: true},
		{code: "strings.Fi", want: []string{"Fields", "FieldsFunc"}},
		{code: "fmt.Print", want: []string{"Print", "Printf", "Println"}, exact: true},
		{code: "engine.Mem", want: []string{"MemoryOnly", "MemoryAndDisk"}},
		{code: "p.", want: []string{"X", "Y", "name", "Norm1"}},
		{code: "mkRDD().Cou", want: []string{"Count", "CountByKey", "CountByValue"}},
		{code: "rdd.Collect()[0].", want: nil, exact: true},
		{code: "words[0].", want: nil, exact: true},
		{code: "coun", want: []string{"counter"}},
		{code: "str", want: []string{"strings", "strconv", "string"}},
		{code: "Keys", want: []string{"Keys"}},
		{code: "sc.StatusTracker().Active", want: []string{"ActiveJobs", "ActiveStages"}},
		{code: "sc.LongAccumulator().", want: []string{"Add", "Value"}},
		{code: "rdd.ToDebugString().", want: nil, exact: true},
		{code: "ma", want: []string{"make", "map", "max"}},
	} {
		got, start, end := ts.Complete(c.code, len(c.code))
		if end != len(c.code) || start > end {
			t.Errorf("%q: range [%d:%d]", c.code, start, end)
		}
		if c.exact && !slices.Equal(got, c.want) {
			t.Errorf("%q: got %v, want exactly %v", c.code, got, c.want)
			continue
		}
		for _, w := range c.want {
			if !slices.Contains(got, w) {
				t.Errorf("%q: %q missing from %v", c.code, w, got)
			}
		}
		for _, w := range c.not {
			if slices.Contains(got, w) {
				t.Errorf("%q: %q should not be in %v", c.code, w, got)
			}
		}
		word := c.code[start:end]
		for _, g := range got {
			if !strings.HasPrefix(g, word) {
				t.Errorf("%q: match %q does not extend %q", c.code, g, word)
			}
		}
	}
}

func TestCompleteMidLine(t *testing.T) {
	ts := newTestSession(t)
	code := "n := sc.Ran(0, 10).Count()"
	got, start, end := ts.Complete(code, strings.Index(code, "(0"))
	if !slices.Equal(got, []string{"Range"}) || code[start:end] != "Ran" {
		t.Errorf("got %v [%d:%d]", got, start, end)
	}
}

func TestCompleteWhileRunning(t *testing.T) {
	ts := newTestSession(t)
	ts.eval("rdd := sc.Range(0, 10)")
	done := ts.evalAsync("time.Sleep(300 * time.Millisecond)")
	ts.waitRunning()
	got, _, _ := ts.Complete("rdd.Coll", 8)
	if !slices.Equal(got, []string{"Collect", "CollectAsMap", "CollectInto"}) {
		t.Errorf("while a cell runs: %v", got)
	}
	got, _, _ = ts.Complete("sc.Paral", 8)
	if !slices.Contains(got, "Parallelize") {
		t.Errorf("while a cell runs: %v", got)
	}
	if err := waitErr(t, done); err != nil {
		t.Fatal(err)
	}
}
