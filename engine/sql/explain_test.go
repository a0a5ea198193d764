package sql

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestExplainGolden pins the physical plans of representative queries.
// Run with -update to rewrite testdata/explain/*.txt after an intended
// change.
func TestExplainGolden(t *testing.T) {
	s := NewSession(nil)
	s.Conf().Set("spark.sql.shuffle.partitions", "4")
	df := people(s)
	df.CreateOrReplaceTempView("people")
	depts := s.CreateDataFrame([][]any{{"eng", "Engineering"}}, "code STRING, title STRING")
	depts.CreateOrReplaceTempView("depts")
	dir := t.TempDir()
	df.Write().Parquet(filepath.Join(dir, "p"))
	pq := s.Read().Parquet(filepath.Join(dir, "p"))
	cases := map[string]*DataFrame{
		"groupby":          df.GroupBy("Dept").Agg(Sum("Salary").Alias("total"), Avg("Age")),
		"global_agg":       df.Agg(Count("*")),
		"filter_project":   df.Filter(Col("Salary").Gt(Lit(40).Plus(40))).Select("Name", Col("Salary").Multiply(2).Alias("s2")),
		"broadcast_join":   s.SQL("SELECT p.Name, d.title FROM people p JOIN depts d ON p.Dept = d.code"),
		"topn":             df.OrderBy(Col("Salary").Desc()).Limit(3),
		"window_limit":     df.Select("Name", RowNumber().Over(Window.PartitionBy("Dept").OrderBy(Col("Salary").Desc())).Alias("rn")).Filter("rn <= 2"),
		"parquet_pushdown": pq.Filter(Col("Salary").Geq(90).And(Col("Name").Ne("x"))).Select("Name"),
		"distinct_sort":    df.Select("Dept").Distinct().OrderBy("Dept"),
	}
	for name, q := range cases {
		got := strings.ReplaceAll(q.ExplainString(), dir, "DIR")
		path := filepath.Join("testdata", "explain", name+".txt")
		if *update {
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%s: %v (run go test -update)", name, err)
		}
		if got != string(want) {
			t.Errorf("%s plan changed:\n--- got\n%s--- want\n%s", name, got, want)
		}
	}
	// Exchanges over big inputs get more partitions than
	// spark.sql.shuffle.partitions when it is not set explicitly.
	s2 := NewSession(nil)
	s2.Conf().Set("spark.sql.adaptive.advisoryPartitionSizeInBytes", "8")
	small := people(s2)
	if got := small.GroupBy("Dept").Count().ExplainString(); strings.Contains(got, "hashpartitioning(Dept#0, 2)") || strings.Contains(got, "hashpartitioning(Dept#0, 1)") {
		t.Errorf("advisory partition size ignored:\n%s", got)
	}
	expectRows(t, "many partitions", small.GroupBy("Dept").Count(), []string{"eng|2", "ops|2", "|1"}, false)
	// The shuffled join needs the threshold off.
	s.Conf().Set("spark.sql.autoBroadcastJoinThreshold", "-1")
	if got := s.SQL("SELECT p.Name FROM people p JOIN depts d ON p.Dept = d.code").ExplainString(); !strings.Contains(got, "ShuffledHashJoin") || strings.Count(got, "Exchange hashpartitioning") != 2 {
		t.Errorf("shuffled join plan:\n%s", got)
	}
	ext := df.Filter(Col("Salary").Gt(1)).ExplainString("extended")
	for _, part := range []string{"== Analyzed Logical Plan ==", "== Optimized Logical Plan ==", "== Physical Plan ==", "PushedFilters"} {
		if !strings.Contains(ext, part) {
			t.Errorf("extended explain lacks %q:\n%s", part, ext)
		}
	}
}
