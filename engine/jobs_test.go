package engine_test

import (
	"compress/gzip"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"gospark/engine"
	"gospark/engine/enginetest"
	"gospark/engine/rdd"
)

// sorted returns xs sorted by rdd.Compare, for answers without a defined order.
func sorted(xs []any) []any {
	out := slices.Clone(xs)
	slices.SortFunc(out, rdd.Compare)
	return out
}

func sortedMap[K comparable, V any](m map[K]V) []string {
	var out []string
	for k, v := range m {
		out = append(out, fmt.Sprint(k, "=", v))
	}
	sort.Strings(out)
	return out
}

var text = []string{
	"the quick brown fox jumps over the lazy dog",
	"the dog barks",
	"a fox is quick and the fox is brown",
	"",
	"lazy lazy dog",
}

func words(sc *engine.Context) *engine.RDD {
	return sc.Parallelize(text, 3).FlatMap(strings.Fields)
}

func wordCounts(sc *engine.Context) *engine.RDD {
	return words(sc).MapPairs(func(w string) (string, int) { return w, 1 }).
		ReduceByKey(func(a, b int) int { return a + b })
}

func TestJobsAgreeEverywhere(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir)
	jobs := []struct {
		name string
		job  func(sc *engine.Context) any
		want any
	}{
		{"word count", func(sc *engine.Context) any { return sorted(wordCounts(sc).Collect()) }, nil},
		{"top words by SortBy", func(sc *engine.Context) any {
			return wordCounts(sc).SortBy(func(kv engine.Pair) string {
				return fmt.Sprintf("%03d %s", 100-kv.Value.(int), kv.Key)
			}).Take(4)
		}, []any{engine.Pair{Key: "the", Value: 4}, engine.Pair{Key: "dog", Value: 3}, engine.Pair{Key: "fox", Value: 3}, engine.Pair{Key: "lazy", Value: 3}}},
		{"count", func(sc *engine.Context) any { return words(sc).Count() }, int64(24)},
		{"range count and sum", func(sc *engine.Context) any {
			r := sc.Range(0, 1000, 3, 7)
			return []any{r.Count(), r.Sum(), r.Max(), r.Min()}
		}, []any{int64(334), float64(166833), 999, 0}},
		{"map filter collect keeps order", func(sc *engine.Context) any {
			return sc.Range(0, 20, 1, 4).Map(func(x int) int { return x * x }).Filter(func(x int) bool { return x%2 == 0 }).Collect()
		}, []any{0, 4, 16, 36, 64, 100, 144, 196, 256, 324}},
		{"group by key", func(sc *engine.Context) any {
			g := sc.Parallelize([]int{1, 2, 3, 4, 5, 6, 7}, 3).KeyBy(func(x int) int { return x % 3 }).GroupByKey(2).
				MapValues(func(vs []any) []any { return sorted(vs) })
			return sorted(g.Collect())
		}, []any{engine.Pair{Key: 0, Value: []any{3, 6}}, engine.Pair{Key: 1, Value: []any{1, 4, 7}}, engine.Pair{Key: 2, Value: []any{2, 5}}}},
		{"sort by key descending", func(sc *engine.Context) any {
			return sc.Parallelize([]int{5, 3, 9, 1, 7, 2}, 3).KeyBy(func(x int) string { return fmt.Sprint(x) }).
				SortByKey(false).Keys().Collect()
		}, []any{"9", "7", "5", "3", "2", "1"}},
		{"joins", func(sc *engine.Context) any {
			a := sc.Parallelize([]engine.Pair{{Key: "a", Value: 1}, {Key: "b", Value: 2}, {Key: "c", Value: 3}, {Key: "a", Value: 4}}, 2)
			b := sc.Parallelize([]engine.Pair{{Key: "a", Value: "x"}, {Key: "c", Value: "y"}, {Key: "d", Value: "z"}}, 3)
			return [][]any{sorted(a.Join(b).Collect()), sorted(a.LeftOuterJoin(b).Collect()),
				sorted(a.RightOuterJoin(b).Collect()), sorted(a.FullOuterJoin(b, 4).Collect())}
		}, [][]any{
			{engine.Pair{Key: "a", Value: engine.Pair{Key: 1, Value: "x"}}, engine.Pair{Key: "a", Value: engine.Pair{Key: 4, Value: "x"}}, engine.Pair{Key: "c", Value: engine.Pair{Key: 3, Value: "y"}}},
			{engine.Pair{Key: "a", Value: engine.Pair{Key: 1, Value: "x"}}, engine.Pair{Key: "a", Value: engine.Pair{Key: 4, Value: "x"}}, engine.Pair{Key: "b", Value: engine.Pair{Key: 2, Value: nil}}, engine.Pair{Key: "c", Value: engine.Pair{Key: 3, Value: "y"}}},
			{engine.Pair{Key: "a", Value: engine.Pair{Key: 1, Value: "x"}}, engine.Pair{Key: "a", Value: engine.Pair{Key: 4, Value: "x"}}, engine.Pair{Key: "c", Value: engine.Pair{Key: 3, Value: "y"}}, engine.Pair{Key: "d", Value: engine.Pair{Key: nil, Value: "z"}}},
			{engine.Pair{Key: "a", Value: engine.Pair{Key: 1, Value: "x"}}, engine.Pair{Key: "a", Value: engine.Pair{Key: 4, Value: "x"}}, engine.Pair{Key: "b", Value: engine.Pair{Key: 2, Value: nil}}, engine.Pair{Key: "c", Value: engine.Pair{Key: 3, Value: "y"}}, engine.Pair{Key: "d", Value: engine.Pair{Key: nil, Value: "z"}}},
		}},
		{"cogroup", func(sc *engine.Context) any {
			a := sc.Parallelize([]engine.Pair{{Key: "k", Value: 1}, {Key: "j", Value: 2}}, 2)
			b := sc.Parallelize([]engine.Pair{{Key: "k", Value: "x"}}, 1)
			return sorted(a.Cogroup(b).Collect())
		}, []any{engine.Pair{Key: "j", Value: [][]any{{2}, nil}}, engine.Pair{Key: "k", Value: [][]any{{1}, {"x"}}}}},
		{"aggregate, fold and combine by key", func(sc *engine.Context) any {
			p := sc.Parallelize([]engine.Pair{{Key: "a", Value: 1}, {Key: "b", Value: 5}, {Key: "a", Value: 3}, {Key: "b", Value: 1}, {Key: "c", Value: 2}}, 3)
			sums := p.AggregateByKey([]int{0, 0}, func(acc []int, v int) []int { return []int{acc[0] + v, acc[1] + 1} },
				func(x, y []int) []int { return []int{x[0] + y[0], x[1] + y[1]} })
			folded := p.FoldByKey(100, func(a, b int) int { return max(a, b) })
			combined := p.CombineByKey(func(v int) string { return fmt.Sprint(v) },
				func(c string, v int) string { return c + "+" + fmt.Sprint(v) },
				func(c1, c2 string) string { return c1 + "+" + c2 })
			return []any{sorted(sums.Collect()), sorted(folded.Collect()), len(combined.Collect())}
		}, []any{[]any{engine.Pair{Key: "a", Value: []int{4, 2}}, engine.Pair{Key: "b", Value: []int{6, 2}}, engine.Pair{Key: "c", Value: []int{2, 1}}},
			[]any{engine.Pair{Key: "a", Value: 100}, engine.Pair{Key: "b", Value: 100}, engine.Pair{Key: "c", Value: 100}}, 3}},
		{"distinct, union, cartesian", func(sc *engine.Context) any {
			a := sc.Parallelize([]int{1, 2, 2, 3, 3, 3}, 3)
			b := sc.Parallelize([]int{3, 4}, 1)
			return []any{sorted(a.Distinct().Collect()), a.Union(b).Count(), a.Union(b).GetNumPartitions(), a.Cartesian(b).Count()}
		}, []any{[]any{1, 2, 3}, int64(8), 4, int64(12)}},
		{"coalesce and repartition keep elements", func(sc *engine.Context) any {
			r := sc.Range(0, 100, 1, 8)
			c, p := r.Coalesce(3), r.Repartition(5)
			return []any{c.GetNumPartitions(), c.Collect()[:5], p.GetNumPartitions(), sorted(p.Collect())[95:], r.Coalesce(2, true).Count()}
		}, []any{3, []any{0, 1, 2, 3, 4}, 5, []any{95, 96, 97, 98, 99}, int64(100)}},
		{"partitionBy and glom", func(sc *engine.Context) any {
			p := sc.Parallelize([]int{0, 1, 2, 3, 4, 5}, 2).KeyBy(func(x int) int { return x }).PartitionBy(engine.NewHashPartitioner(3))
			sizes := p.Glom().Map(func(xs []any) int { return len(xs) }).Collect()
			return []any{p.GetNumPartitions(), len(sizes), p.Values().Sum()}
		}, []any{3, 3, float64(15)}},
		{"range partitioner and broadcast", func(sc *engine.Context) any {
			names := sc.Broadcast(map[int]string{0: "zero", 1: "one", 2: "two"})
			keyed := sc.Range(0, 300, 1, 4).KeyBy(func(x int) int { return (x * 7) % 300 })
			p := keyed.PartitionBy(engine.NewRangePartitioner(3, keyed))
			ranges := p.Glom().Map(func(xs []any) []int {
				lo, hi := 1<<30, -1
				for _, x := range xs {
					k := x.(engine.Pair).Key.(int)
					lo, hi = min(lo, k), max(hi, k)
				}
				return []int{lo, hi, len(xs)}
			}).Collect()
			ordered := true
			for i, r := range ranges {
				x := r.([]int)
				if x[2] < 50 || (i > 0 && x[0] <= ranges[i-1].([]int)[1]) {
					ordered = false
				}
			}
			named := p.MapValues(func(x int) string { return names.Value().(map[int]string)[x%3] })
			return []any{p.GetNumPartitions(), ordered, sortedMap(named.Values().CountByValue())}
		}, []any{3, true, []string{"one=100", "two=100", "zero=100"}}},
		{"zipWithIndex", func(sc *engine.Context) any {
			return sc.Parallelize([]string{"a", "b", "c", "d", "e"}, 3).ZipWithIndex().Collect()
		}, []any{engine.Pair{Key: "a", Value: 0}, engine.Pair{Key: "b", Value: 1}, engine.Pair{Key: "c", Value: 2}, engine.Pair{Key: "d", Value: 3}, engine.Pair{Key: "e", Value: 4}}},
		{"actions", func(sc *engine.Context) any {
			r := sc.Parallelize([]int{4, 8, 1, 9, 3, 7}, 3)
			return []any{r.First(), r.Take(4), r.TakeOrdered(2), r.Top(2), r.Reduce(func(a, b int) int { return a + b }),
				r.Fold(0, func(a, b int) int { return a + b }),
				r.Aggregate(0, func(acc, x int) int { return acc + x }, func(a, b int) int { return a + b }),
				r.TakeOrdered(2, func(x int) int { return -x }), r.Stats().Count(), r.Mean()}
		}, []any{4, []any{4, 8, 1, 9}, []any{1, 3}, []any{9, 8}, 32, 32, 32, []any{9, 8}, int64(6), 32.0 / 6}},
		{"countByKey, countByValue, collectAsMap", func(sc *engine.Context) any {
			p := sc.Parallelize([]engine.Pair{{Key: "a", Value: 1}, {Key: "b", Value: 2}, {Key: "a", Value: 3}}, 2)
			return []any{sortedMap(p.CountByKey()), sortedMap(p.Values().CountByValue()), sortedMap(p.CollectAsMap())}
		}, []any{[]string{"a=2", "b=1"}, []string{"1=1", "2=1", "3=1"}, []string{"a=3", "b=2"}}},
		{"sample is repeatable with a seed", func(sc *engine.Context) any {
			r := sc.Range(0, 1000, 1, 4)
			return []any{r.Sample(false, 0.1, 42).Collect(), r.Sample(true, 0.5, 7).Count()}
		}, nil},
		{"mapPartitions in batches", func(sc *engine.Context) any {
			return sc.Range(0, 10, 1, 3).MapPartitionsWithIndex(func(i int, xs []int) []string {
				return []string{fmt.Sprint(i, ":", len(xs))}
			}).Collect()
		}, []any{"0:3", "1:3", "2:4"}},
		{"text files: glob, directory and gzip", func(sc *engine.Context) any {
			a := sc.TextFile(filepath.Join(dir, "*.txt")).Count()
			b := sc.TextFile(dir, 5).Count()
			c := sc.WholeTextFiles(dir).Keys().Map(func(p string) string { return filepath.Base(p) }).Collect()
			tail := sc.TextFile(filepath.Join(dir, "b.txt"), 7).Filter(func(l string) bool { return !strings.HasPrefix(l, "b") }).Collect()
			gz := sc.TextFile(filepath.Join(dir, "c.gz")).Collect()
			return []any{a, b, sorted(c), tail, gz}
		}, []any{int64(2003), int64(2006), []any{"a.txt", "b.txt", "c.gz"}, []any{"crlf", "last"}, []any{"one", "two", "three"}}},
		{"cache and reuse", func(sc *engine.Context) any {
			c := wordCounts(sc).Cache()
			first := c.Count()
			return []any{first, c.Count(), sorted(c.Keys().Collect())[0]}
		}, []any{int64(12), int64(12), "a"}},
	}
	for _, j := range jobs {
		t.Run(j.name, func(t *testing.T) {
			got := enginetest.RunEverywhere(t, j.job)
			if j.want != nil && fmt.Sprint(got) != fmt.Sprint(j.want) {
				t.Fatalf("got  %v\nwant %v", got, j.want)
			}
		})
	}
}

// writeFiles makes a.txt (1000 lines), b.txt (1002 lines, no final newline,
// a CRLF line) and c.gz (3 lines) in dir, plus a _SUCCESS marker that the
// directory listing must skip.
func writeFiles(t *testing.T, dir string) {
	var a strings.Builder
	for i := 0; i < 1000; i++ {
		fmt.Fprintf(&a, "line %d of a\n", i)
	}
	must(t, os.WriteFile(filepath.Join(dir, "a.txt"), []byte(a.String()), 0o644))
	var b strings.Builder
	for i := 0; i < 1001; i++ {
		fmt.Fprintf(&b, "b%d %s\n", i, strings.Repeat("x", i%50))
	}
	b.WriteString("crlf\r\nlast")
	must(t, os.WriteFile(filepath.Join(dir, "b.txt"), []byte(b.String()), 0o644))
	f, err := os.Create(filepath.Join(dir, "c.gz"))
	must(t, err)
	gz := gzip.NewWriter(f)
	gz.Write([]byte("one\ntwo\nthree\n"))
	must(t, gz.Close())
	must(t, f.Close())
	must(t, os.WriteFile(filepath.Join(dir, "_SUCCESS"), nil, 0o644))
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
