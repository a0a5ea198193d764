package source

import (
	"context"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"

	"gospark/engine/sql/exec"
)

// PartitionColumn is a column found in key=value folder names (Spark's
// partition discovery).
type PartitionColumn struct {
	Name string
	Type arrow.DataType
}

// DiscoverPartitions reads the key=value folders between each file's root
// and the file, sets the files' PartValues and returns the columns with
// types inferred from the values (int, bigint, double, date or string).
// Files must agree on the keys; when none has any, there are no columns.
func DiscoverPartitions(files []File) ([]PartitionColumn, error) {
	var names []string
	for i := range files {
		rel, err := filepath.Rel(files[i].Root, filepath.Dir(files[i].Path))
		if err != nil || rel == "." {
			rel = ""
		}
		var keys []string
		var vals []*string
		for _, part := range strings.Split(rel, string(filepath.Separator)) {
			k, v, ok := strings.Cut(part, "=")
			if !ok || k == "" {
				continue
			}
			keys = append(keys, k)
			if v == "__HIVE_DEFAULT_PARTITION__" {
				vals = append(vals, nil)
				continue
			}
			if u, err := url.PathUnescape(v); err == nil {
				v = u
			}
			vals = append(vals, &v)
		}
		if i == 0 {
			names = keys
		} else if strings.Join(keys, "/") != strings.Join(names, "/") {
			return nil, fmt.Errorf("conflicting partition folders: %s has %v, %s has %v", files[0].Path, names, files[i].Path, keys)
		}
		files[i].PartValues = vals
	}
	cols := make([]PartitionColumn, len(names))
	for c, n := range names {
		k := kNull
		for _, f := range files {
			if v := f.PartValues[c]; v != nil {
				k = mergeKinds(k, inferValue([]byte(*v)))
			}
		}
		if k == kNull || k == kBool || k == kTimestamp {
			k = kString
		}
		cols[c] = PartitionColumn{Name: n, Type: k.dataType()}
	}
	return cols, nil
}

// FileScan is a scan whose partitions each read (part of) one file.
type FileScan interface {
	exec.Operator
	// FileOf returns the file partition p reads.
	FileOf(p int) File
}

// FileOf returns the file of split p.
func (c *CSVScan) FileOf(p int) File { return c.Splits[p].File }

// FileOf returns the file of split p.
func (j *JSONScan) FileOf(p int) File { return j.Splits[p].File }

// FileOf returns file p.
func (s *ParquetScan) FileOf(p int) File { return s.Src.Files[p] }

// WithPartitionColumns appends partition columns, constant per file, to a
// file scan's batches: the scan's first Keep columns, then Cols[Want…].
type WithPartitionColumns struct {
	Scan FileScan
	Cols []PartitionColumn
	Want []int
	Keep int
	S    *arrow.Schema
}

// NewWithPartitionColumns builds the operator.
func NewWithPartitionColumns(scan FileScan, cols []PartitionColumn, want []int, keep int) *WithPartitionColumns {
	fs := append([]arrow.Field{}, scan.Schema().Fields()[:keep]...)
	for _, w := range want {
		fs = append(fs, arrow.Field{Name: cols[w].Name, Type: cols[w].Type, Nullable: true})
	}
	return &WithPartitionColumns{Scan: scan, Cols: cols, Want: want, Keep: keep, S: arrow.NewSchema(fs, nil)}
}

// Schema returns the scan's kept columns and the partition columns.
func (w *WithPartitionColumns) Schema() *arrow.Schema { return w.S }

// Children returns the scan.
func (w *WithPartitionColumns) Children() []exec.Operator { return []exec.Operator{w.Scan} }

// Partitions is the scan's.
func (w *WithPartitionColumns) Partitions() int { return w.Scan.Partitions() }

// String describes a WithPartitionColumns on one line, as Explain shows it.
func (w *WithPartitionColumns) String() string {
	names := make([]string, len(w.Want))
	for i, c := range w.Want {
		names[i] = w.Cols[c].Name
	}
	return "PartitionColumns [" + strings.Join(names, ", ") + "]"
}

// Execute reads partition p and appends its file's partition values.
func (w *WithPartitionColumns) Execute(ctx context.Context, p int) (exec.Stream, error) {
	in, err := w.Scan.Execute(ctx, p)
	if err != nil {
		return nil, err
	}
	var vals []any
	if p < w.Scan.Partitions() {
		f := w.Scan.FileOf(p)
		for _, c := range w.Want {
			var v any
			if c < len(f.PartValues) && f.PartValues[c] != nil {
				s := exec.ConstArray(*f.PartValues[c], exec.String, 1)
				cv, err := exec.CastArray(s, w.Cols[c].Type)
				s.Release()
				if err != nil {
					return nil, err
				}
				v = exec.ValueAt(cv, 0)
				cv.Release()
			}
			vals = append(vals, v)
		}
	}
	return exec.FuncStream(func() (arrow.Record, error) {
		rec, err := in.Next()
		if rec == nil || err != nil {
			return nil, err
		}
		defer rec.Release()
		n := int(rec.NumRows())
		cols := make([]arrow.Array, 0, w.S.NumFields())
		for i := 0; i < w.Keep; i++ {
			c := rec.Column(i)
			c.Retain()
			cols = append(cols, c)
		}
		for i, c := range w.Want {
			cols = append(cols, exec.ConstArray(vals[i], w.Cols[c].Type, n))
		}
		return exec.NewRecord(w.S, cols, n), nil
	}, in.Close), nil
}
