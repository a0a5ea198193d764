package source

import (
	"context"
	"os"
	"testing"

	"gospark/engine/sql/exec"
)

// BenchmarkCSVLoad loads the file named by $GOSPARK_CSV (skipped when it
// is not set): inference pass plus parse, all partitions in parallel.
func BenchmarkCSVLoad(b *testing.B) {
	path := os.Getenv("GOSPARK_CSV")
	if path == "" {
		b.Skip("GOSPARK_CSV not set")
	}
	for i := 0; i < b.N; i++ {
		opts := CSVOptions{Header: true, InferSchema: true, Sep: ',', Quote: '"', Escape: '\\'}
		src, err := NewCSVSource([]string{path}, opts, nil, 2)
		if err != nil {
			b.Fatal(err)
		}
		cols := make([]int, src.Schema.NumFields())
		for i := range cols {
			cols[i] = i
		}
		scan := NewCSVScan(src, cols, 2)
		parts, err := exec.ExecuteAll(context.Background(), scan)
		if err != nil {
			b.Fatal(err)
		}
		rows := 0
		for _, p := range parts {
			for _, r := range p {
				rows += int(r.NumRows())
			}
		}
		b.ReportMetric(float64(rows), "rows")
		if i == 0 {
			b.Log(src.Schema)
		}
	}
}
