package engine_test

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"gospark/engine"
)

// BenchmarkEmptyTasks measures scheduling throughput: jobs of 1000 empty
// tasks on local[2]; the tasks/s metric is the figure to watch.
func BenchmarkEmptyTasks(b *testing.B) {
	for _, master := range []string{"local[2]", "local-cluster[2,1,64]"} {
		b.Run(master, func(b *testing.B) {
			sc, err := engine.NewContext(engine.Conf{"spark.master": master})
			if err != nil {
				b.Fatal(err)
			}
			defer sc.Stop()
			r := sc.Range(0, 0, 1, 1000)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if r.Count() != 0 {
					b.Fatal("count")
				}
			}
			b.ReportMetric(float64(1000*b.N)/b.Elapsed().Seconds(), "tasks/s")
		})
	}
}

// wordCorpus returns a text of about size bytes: 10 words a line, drawn
// from a Zipf(1.1) distribution over 100k words, like ../shared/bench/gen
// -words. It is written once into the temp directory and reused.
// GOSPARK_WORDS names an existing corpus to use instead.
func wordCorpus(b *testing.B, size int64) string {
	if p := os.Getenv("GOSPARK_WORDS"); p != "" {
		return p
	}
	path := filepath.Join(os.TempDir(), fmt.Sprintf("gospark-words-%dMB.txt", size>>20))
	if fi, err := os.Stat(path); err == nil && fi.Size() >= size {
		return path
	}
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	r := rand.New(rand.NewPCG(108, 2024))
	z := rand.NewZipf(r, 1.1, 1, 100000-1)
	letters := "abcdefghijklmnopqrstuvwxyz"
	var n int64
	buf := make([]byte, 0, 256)
	for i := 0; n < size; i++ {
		k := z.Uint64()
		buf = append(buf, 'w')
		buf = strconv.AppendUint(buf, k, 10)
		buf = append(buf, letters[k%26], letters[(k/26)%26])
		if i%10 == 9 {
			buf = append(buf, '\n')
			w.Write(buf)
			n += int64(len(buf))
			buf = buf[:0]
		} else {
			buf = append(buf, ' ')
		}
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	f.Close()
	if err := os.Rename(tmp, path); err != nil {
		b.Fatal(err)
	}
	return path
}

// BenchmarkWordCount counts the words of a ~200 MB text on local[2] with
// compiled funcs: TextFile → FlatMap → MapPairs → ReduceByKey. MB/s is the
// figure to watch.
func BenchmarkWordCount(b *testing.B) {
	path := wordCorpus(b, 200<<20)
	fi, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	sc, err := engine.NewContext(engine.Conf{"spark.master": "local[2]"})
	if err != nil {
		b.Fatal(err)
	}
	defer sc.Stop()
	b.SetBytes(fi.Size())
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		n := sc.TextFile(path).FlatMap(strings.Fields).
			MapPairs(func(w string) (string, int) { return w, 1 }).
			ReduceByKey(func(a, b int) int { return a + b }).Count()
		if n == 0 {
			b.Fatal("no words")
		}
	}
}
