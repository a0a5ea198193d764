// Command gospark-bench runs benchmarks of the DataFrame path that
// ../shared/bench/compare.py sets side by side with DuckDB and Polars.
//
//	gospark-bench groupby <csv> <reps> [questions…]
//	gospark-bench wordcount <txt> <reps>
//
// loads the db-benchmark groupby CSV through the DataFrame API (cached),
// runs the ten groupby questions through the DataFrame API, and prints one
// JSON line for the load and one per question: the median time of reps
// runs, the answer's row count and its checksum (the aggregate that
// anchors/groupby-duckdb.js computes over the answer).
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"runtime/pprof"
	"sort"
	"strconv"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"

	"gospark/engine"
	"gospark/engine/sql"
	"gospark/engine/sql/exec"
)

func main() {
	if len(os.Args) < 3 || (os.Args[1] != "groupby" && os.Args[1] != "wordcount") {
		fmt.Fprintln(os.Stderr, "usage: gospark-bench groupby <csv> [reps] [questions…] | wordcount <txt> [reps]")
		os.Exit(2)
	}
	reps := 5
	if len(os.Args) > 3 {
		n, err := strconv.Atoi(os.Args[3])
		if err != nil || n < 1 {
			fmt.Fprintln(os.Stderr, "reps must be a positive number")
			os.Exit(2)
		}
		reps = n
	}
	run := groupby
	if os.Args[1] == "wordcount" {
		run = wordcount
	}
	if err := bench(run, os.Args[2], reps, os.Args[min(4, len(os.Args)):]); err != nil {
		fmt.Fprintln(os.Stderr, "gospark-bench:", err)
		os.Exit(1)
	}
}

// question is one db-benchmark question: the query and the columns whose
// sums make the checksum.
type question struct {
	name  string
	query func(x *sql.DataFrame) *sql.DataFrame
	chk   []string
}

var questions = []question{
	{"q1", func(x *sql.DataFrame) *sql.DataFrame {
		return x.GroupBy("id1").Agg(sql.Sum("v1").Alias("v1"))
	}, []string{"v1"}},
	{"q2", func(x *sql.DataFrame) *sql.DataFrame {
		return x.GroupBy("id1", "id2").Agg(sql.Sum("v1").Alias("v1"))
	}, []string{"v1"}},
	{"q3", func(x *sql.DataFrame) *sql.DataFrame {
		return x.GroupBy("id3").Agg(sql.Sum("v1").Alias("v1"), sql.Avg("v3").Alias("v3"))
	}, []string{"v1", "v3"}},
	{"q4", func(x *sql.DataFrame) *sql.DataFrame {
		return x.GroupBy("id4").Agg(sql.Avg("v1").Alias("v1"), sql.Avg("v2").Alias("v2"), sql.Avg("v3").Alias("v3"))
	}, []string{"v1", "v2", "v3"}},
	{"q5", func(x *sql.DataFrame) *sql.DataFrame {
		return x.GroupBy("id6").Agg(sql.Sum("v1").Alias("v1"), sql.Sum("v2").Alias("v2"), sql.Sum("v3").Alias("v3"))
	}, []string{"v1", "v2", "v3"}},
	{"q6", func(x *sql.DataFrame) *sql.DataFrame {
		return x.GroupBy("id4", "id5").Agg(sql.Median("v3").Alias("median_v3"), sql.Stddev("v3").Alias("sd_v3"))
	}, []string{"median_v3", "sd_v3"}},
	{"q7", func(x *sql.DataFrame) *sql.DataFrame {
		return x.GroupBy("id3").Agg(sql.Max("v1").Minus(sql.Min("v2")).Alias("range_v1_v2"))
	}, []string{"range_v1_v2"}},
	{"q8", func(x *sql.DataFrame) *sql.DataFrame {
		w := sql.Window.PartitionBy("id6").OrderBy(sql.Col("v3").Desc())
		return x.Filter(sql.Col("v3").IsNotNull()).
			Select(sql.Col("id6"), sql.Col("v3").Alias("largest2_v3"), sql.RowNumber().Over(w).Alias("order_v3")).
			Filter(sql.Col("order_v3").Leq(2)).
			Select("id6", "largest2_v3")
	}, []string{"largest2_v3"}},
	{"q9", func(x *sql.DataFrame) *sql.DataFrame {
		return x.GroupBy("id2", "id4").Agg(sql.Pow(sql.Corr("v1", "v2"), 2).Alias("r2"))
	}, []string{"r2"}},
	{"q10", func(x *sql.DataFrame) *sql.DataFrame {
		return x.GroupBy("id1", "id2", "id3", "id4", "id5", "id6").Agg(sql.Sum("v3").Alias("v3"), sql.Count("*").Alias("count"))
	}, []string{"v3", "count"}},
}

func emit(v map[string]any) {
	b, _ := json.Marshal(v)
	fmt.Println(string(b))
}

// bench runs one benchmark on a new session, with the CPU profile when
// asked for, turning a panic of the DataFrame API into an error.
func bench(run func(*sql.Session, string, int, []string) error, path string, reps int, args []string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	s, stop, err := newSession()
	if err != nil {
		return err
	}
	defer stop()
	stopProfile, err := profile()
	if err != nil {
		return err
	}
	defer stopProfile()
	return run(s, path, reps, args)
}

// newSession returns the session the benchmarks run on.
func newSession() (*sql.Session, func(), error) {
	// The session runs on an engine context (local[*]): every exchange is a
	// shuffle stage on the scheduler. GOSPARK_DRIVER=local runs plans on
	// in-process goroutines instead, for comparison.
	if os.Getenv("GOSPARK_DRIVER") == "local" {
		return sql.NewSession(nil), func() {}, nil
	}
	sc, err := engine.NewContext(engine.Conf{"spark.master": "local[*]", "spark.app.name": "gospark-bench"})
	if err != nil {
		return nil, nil, err
	}
	return sql.NewSession(sc), sc.Stop, nil
}

// profile starts a CPU profile when GOSPARK_CPUPROFILE names a file.
func profile() (func(), error) {
	prof := os.Getenv("GOSPARK_CPUPROFILE")
	if prof == "" {
		return func() {}, nil
	}
	f, err := os.Create(prof)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		return nil, err
	}
	return pprof.StopCPUProfile, nil
}

// wordcount loads a text file (cached) and counts its words, like the
// anchors' wordcount.js: one JSON line with the load and count medians.
func wordcount(s *sql.Session, path string, reps int, _ []string) error {
	t0 := time.Now()
	lines := s.Read().Text(path).Cache()
	lines.Count()
	load := time.Since(t0).Seconds()
	var times []float64
	var distinct, total int64
	for r := 0; r < reps; r++ {
		t := time.Now()
		ans := lines.Select(sql.Explode(sql.Split("value", " ")).Alias("word")).GroupBy("word").Agg(sql.Count("*").Alias("n"))
		recs := ans.Records(context.Background())
		times = append(times, time.Since(t).Seconds())
		if r == 0 {
			distinct, _ = checksum(ans.Columns(), recs, nil)
			_, sums := checksum(ans.Columns(), recs, []string{"n"})
			total = int64(sums[0])
		}
		exec.ReleaseAll(recs)
	}
	run1 := times[0]
	sort.Float64s(times)
	emit(map[string]any{"engine": "gospark", "bench": "wordcount", "path": path, "distinct_words": distinct, "total_words": total,
		"load_median_s": round(load, 3), "count_median_s": round(median(times), 4), "count_run1_s": round(run1, 4), "reps": reps})
	return nil
}

func groupby(s *sql.Session, path string, reps int, only []string) error {
	t0 := time.Now()
	x := s.Read().Option("header", "true").Option("inferSchema", "true").CSV(path).Cache()
	rows := x.Count()
	load := time.Since(t0).Seconds()
	emit(map[string]any{"engine": "gospark", "rows": rows, "load_s": round(load, 3)})
	want := map[string]bool{}
	for _, q := range only {
		want[q] = true
	}
	ctx := context.Background()
	for _, q := range questions {
		if len(want) > 0 && !want[q.name] {
			continue
		}
		var times []float64
		var outRows int64
		var chk []float64
		for r := 0; r < reps; r++ {
			t := time.Now()
			ans := q.query(x)
			recs := ans.Records(ctx)
			times = append(times, time.Since(t).Seconds())
			if r == 0 {
				outRows, chk = checksum(ans.Columns(), recs, q.chk)
			}
			exec.ReleaseAll(recs)
		}
		run1 := times[0]
		sort.Float64s(times)
		emit(map[string]any{"engine": "gospark", "q": q.name, "out_rows": outRows, "chk": chk,
			"run1_s": round(run1, 4), "median_s": round(median(times), 4), "reps": reps})
	}
	return nil
}

func median(s []float64) float64 {
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

func round(v float64, digits int) float64 {
	p := math.Pow(10, float64(digits))
	return math.Round(v*p) / p
}

// checksum sums the named columns over the answer, rounding like the
// anchor (three decimals).
func checksum(cols []string, recs []arrow.Record, names []string) (int64, []float64) {
	var n int64
	sums := make([]float64, len(names))
	for _, r := range recs {
		n += r.NumRows()
		for k, name := range names {
			for c, col := range cols {
				if col != name {
					continue
				}
				switch a := r.Column(c).(type) {
				case *array.Int64:
					for i, v := range a.Int64Values() {
						if a.IsValid(i) {
							sums[k] += float64(v)
						}
					}
				case *array.Int32:
					for i, v := range a.Int32Values() {
						if a.IsValid(i) {
							sums[k] += float64(v)
						}
					}
				case *array.Float64:
					for i, v := range a.Float64Values() {
						if a.IsValid(i) && !math.IsNaN(v) {
							sums[k] += v
						}
					}
				}
			}
		}
	}
	for i := range sums {
		sums[i] = round(sums[i], 3)
	}
	return n, sums
}
