package engine_test

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gospark/engine"
	"gospark/engine/scheduler"
)

var update = flag.Bool("update", false, "rewrite golden files")

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if got != string(want) {
		t.Fatalf("%s differs:\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

// TestToDebugString pins the lineage text: Spark's layout, shuffle
// boundaries indented with +-, storage levels in brackets.
func TestToDebugString(t *testing.T) {
	sc := newContext(t, engine.Conf{"spark.master": "local[2]"})
	sc.SetLocalProperty(scheduler.PropCallSite, "cell 1")
	defer sc.SetLocalProperty(scheduler.PropCallSite, "")
	lines := sc.Parallelize(text, 3).SetName("text")
	counts := lines.FlatMap(strings.Fields).
		MapPairs(func(w string) (string, int) { return w, 1 }).
		ReduceByKey(func(a, b int) int { return a + b }, 2).Cache()
	other := sc.Parallelize([]engine.Pair{{Key: "fox", Value: 1}}, 1)
	joined := counts.Join(other).Union(sc.Parallelize([]engine.Pair{}, 2))
	golden(t, "wordcount_lineage", counts.ToDebugString()+"\n")
	golden(t, "join_lineage", joined.ToDebugString()+"\n")
}

// TestSaveAsTextFile writes a directory of parts that TextFile reads back.
func TestSaveAsTextFile(t *testing.T) {
	sc := newContext(t, engine.Conf{"spark.master": "local[2]"})
	dir := filepath.Join(t.TempDir(), "out")
	sc.Range(0, 100, 1, 3).Map(func(x int) string { return "row " + strings.Repeat("*", x%5) }).SaveAsTextFile(dir)
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	if strings.Join(names, " ") != "_SUCCESS part-00000 part-00001 part-00002" {
		t.Fatalf("output directory holds %v", names)
	}
	if n := sc.TextFile(dir).Count(); n != 100 {
		t.Fatalf("read back %d lines", n)
	}
	err = sc.Do(context.Background(), func() { sc.Range(0, 1).SaveAsTextFile(dir) })
	if err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("saving over an existing directory: %v", err)
	}
}
