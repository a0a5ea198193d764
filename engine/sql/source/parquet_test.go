package source

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/parquet"
	"github.com/apache/arrow/go/v17/parquet/file"
	"github.com/apache/arrow/go/v17/parquet/pqarrow"

	"gospark/engine/sql/exec"
)

// TestParquetRowGroupPruning writes ten row groups of ids 0–99, 100–199, …
// and checks that predicates on the id (and on a string column) skip the
// row groups their min/max rule out, and that the scan reads only the rest.
func TestParquetRowGroupPruning(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "ids.parquet")
	schema := arrow.NewSchema([]arrow.Field{{Name: "id", Type: exec.Int64}, {Name: "tag", Type: exec.String}}, nil)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w, err := pqarrow.NewFileWriter(schema, f, parquet.NewWriterProperties(parquet.WithMaxRowGroupLength(100)), pqarrow.DefaultWriterProps())
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]int64, 1000)
	tags := exec.NewStringBuilder(1000, 8000)
	for i := range ids {
		ids[i] = int64(i)
		tags.AppendString(string(rune('a' + i/100)))
	}
	rec := exec.NewRecord(schema, []arrow.Array{exec.FixedArray(exec.Int64, ids, nil), tags.Finish()}, 1000)
	if err := w.Write(rec); err != nil {
		t.Fatal(err)
	}
	rec.Release()
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	r, err := file.OpenParquetFile(path, false)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if r.NumRowGroups() != 10 {
		t.Fatalf("%d row groups", r.NumRowGroups())
	}
	cases := []struct {
		preds []ColumnPredicate
		want  int
	}{
		{nil, 10},
		{[]ColumnPredicate{{Column: 0, Op: ">=", Value: int64(750)}}, 3},
		{[]ColumnPredicate{{Column: 0, Op: "<", Value: int64(100)}}, 1},
		{[]ColumnPredicate{{Column: 0, Op: "=", Value: int64(420)}}, 1},
		{[]ColumnPredicate{{Column: 0, Op: ">", Value: int64(5000)}}, 0},
		{[]ColumnPredicate{{Column: 0, Op: "<=", Value: int32(199)}, {Column: 1, Op: "=", Value: "b"}}, 1},
		{[]ColumnPredicate{{Column: 1, Op: ">", Value: "h"}}, 2},
	}
	for _, c := range cases {
		if got := RowGroupsToRead(r.MetaData(), c.preds); len(got) != c.want {
			t.Errorf("%v: reads row groups %v, want %d of them", c.preds, got, c.want)
		}
	}
	// The scan reads only the surviving row groups.
	src, err := NewParquetSource([]string{path})
	if err != nil {
		t.Fatal(err)
	}
	scan := NewParquetScan(src, []int{0}, []ColumnPredicate{{Column: 0, Op: ">=", Value: int64(750)}})
	recs, err := exec.Collect(context.Background(), scan)
	if err != nil {
		t.Fatal(err)
	}
	rows := 0
	for _, r := range recs {
		rows += int(r.NumRows())
	}
	exec.ReleaseAll(recs)
	if rows != 300 || scan.Skipped.Load() != 7 {
		t.Errorf("scan read %d rows and skipped %d row groups, want 300 and 7", rows, scan.Skipped.Load())
	}
}
