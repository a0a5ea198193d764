package shell

import (
	"strings"
	"testing"
)

func TestInspect(t *testing.T) {
	ts := newTestSession(t)
	ts.eval("rdd := sc.Range(0, 10)\n// double returns 2x.\nfunc double(x int) int { return 2 * x }\ntype Pt struct{ X, Y int }\nfunc (p Pt) Norm1() int { return p.X + p.Y }\np := Pt{1, 2}\nn := 42")
	for _, c := range []struct {
		code   string
		cursor int // -1: end of code
		want   []string
	}{
		{"rdd.Map", -1, []string{"func (r *RDD) Map(f any) *RDD", "Map returns"}},
		{"sc.Parallelize", -1, []string{"Parallelize(data any, numSlices ...int) *RDD", "distributes"}},
		{"sc.Range(0, 10).ReduceByKey(f)", 20, []string{"ReduceByKey(f any, numPartitions ...int) *RDD"}},
		{"strings.Fields", -1, []string{"func Fields(s string) []string"}},
		{"x := strings.Fields(", -1, []string{"func Fields(s string) []string"}},
		{"double", -1, []string{"func double(x int) int", "double returns 2x.", "cell 1"}},
		{"n", -1, []string{"var n int = 42"}},
		{"Pt", -1, []string{"type Pt struct{ X, Y int }", "func (p Pt) Norm1() int"}},
		{"p.Norm1", -1, []string{"func (p Pt) Norm1() int"}},
		{"max", -1, []string{"func max[T cmp.Ordered]", "largest"}},
		{"len", -1, []string{"func len(v Type) int"}},
		{"strings", -1, []string{"package strings"}},
		{"engine.MemoryOnly", -1, []string{"MemoryOnly"}},
		{"sc", -1, []string{"SparkContext"}},
	} {
		cur := c.cursor
		if cur < 0 {
			cur = len(c.code)
		}
		doc, found := ts.Inspect(c.code, cur)
		if !found {
			t.Errorf("Inspect(%q, %d): not found", c.code, cur)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(doc, w) {
				t.Errorf("Inspect(%q, %d) = %q; want it to contain %q", c.code, cur, doc, w)
			}
		}
	}
	if doc, found := ts.Inspect("nosuchname", 3); found {
		t.Errorf("unknown name found: %q", doc)
	}
}
