package sql_test

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"gospark/engine"
	"gospark/engine/sql"
)

// TestOnEngineScheduler runs DataFrame and SQL queries as jobs on a local
// engine context: exchanges become shuffle stages written as Arrow IPC.
func TestOnEngineScheduler(t *testing.T) {
	sc, err := engine.NewContext(engine.Conf{"spark.master": "local[2]", "spark.app.name": "sqltest"})
	if err != nil {
		t.Fatal(err)
	}
	defer sc.Stop()
	s := sql.NewSession(sc)
	s.Conf().Set("spark.sql.shuffle.partitions", "3")
	s.Conf().Set("spark.sql.autoBroadcastJoinThreshold", "-1")
	df := s.Range(0, 1000).WithColumn("k", sql.Col("id").Mod(7))
	got := df.GroupBy("k").Agg(sql.Count("*").Alias("n"), sql.Sum("id").Alias("s")).OrderBy("k").Collect()
	if len(got) != 7 || got[0][1] != int64(143) || got[6][1] != int64(142) {
		t.Errorf("group by on the scheduler: %v", got)
	}
	df.CreateOrReplaceTempView("t")
	rows := s.SQL("SELECT a.k, count(*) FROM t a JOIN t b ON a.id = b.id WHERE a.k < 2 GROUP BY a.k").Collect()
	var out []string
	for _, r := range rows {
		out = append(out, strings.TrimSpace(strings.Join([]string{fmtAny(r[0]), fmtAny(r[1])}, "|")))
	}
	sort.Strings(out)
	if strings.Join(out, ",") != "0|143,1|143" {
		t.Errorf("shuffled join on the scheduler: %v", out)
	}
	if n := df.Filter(sql.Col("k").Eq(3)).Count(); n != 143 {
		t.Errorf("count %d", n)
	}
	// A broadcast join whose small side is an aggregate (an exchange inside
	// the build side), a global sort and a top-N.
	s.Conf().Set("spark.sql.autoBroadcastJoinThreshold", "10485760")
	counts := df.GroupBy("k").Agg(sql.Count("*").Alias("n"))
	joined := df.Join(sql.Broadcast(counts), "k").Filter(sql.Col("id").Lt(3)).OrderBy("id").Collect()
	if len(joined) != 3 || joined[2][2] != int64(143) || joined[2][1] != int64(2) {
		t.Errorf("broadcast join of an aggregate: %v", joined)
	}
	top := df.OrderBy(sql.Col("id").Desc()).Limit(2).Collect()
	if len(top) != 2 || top[0][0] != int64(999) {
		t.Errorf("top-n: %v", top)
	}
	// A malformed CSV row in FAILFAST mode fails the job with the file and
	// line in the error.
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.csv")
	if err := os.WriteFile(bad, []byte("a,b\n1,2\n3,x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	err = func() (err error) {
		defer func() {
			if r := recover(); r != nil {
				err, _ = r.(error)
			}
		}()
		s.Read().Option("header", "true").Option("mode", "FAILFAST").Schema("a INT, b INT").CSV(bad).Collect()
		return nil
	}()
	if err == nil || !strings.Contains(err.Error(), "bad.csv:3") {
		t.Errorf("failfast on the scheduler: %v", err)
	}
	words := s.CreateDataFrame([][]any{{"a b"}, {"b c b"}}, "line STRING").
		Select(sql.Explode(sql.Split("line", " ")).Alias("w")).GroupBy("w").Count().OrderBy("w").Collect()
	if len(words) != 3 || words[1][1] != int64(3) {
		t.Errorf("word count on the scheduler: %v", words)
	}
}

func fmtAny(v any) string {
	switch x := v.(type) {
	case int64:
		return itoa(x)
	}
	return "?"
}

func itoa(v int64) string {
	if v == 0 {
		return "0"
	}
	s := ""
	for v > 0 {
		s = string(rune('0'+v%10)) + s
		v /= 10
	}
	return s
}
