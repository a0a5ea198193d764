package sql

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"

	"gospark/engine/sql/exec"
	"gospark/engine/sql/source"
)

// DataFrameWriter saves a DataFrame as files (Spark's df.write). The output
// is a directory of part files, one per partition, plus _SUCCESS.
type DataFrameWriter struct {
	df          *DataFrame
	mode        string
	partitionBy []string
	opts        map[string]string
}

// Write returns a writer with mode errorifexists.
func (df *DataFrame) Write() *DataFrameWriter {
	return &DataFrameWriter{df: df, mode: "errorifexists", opts: map[string]string{}}
}

// Mode sets what happens when the path exists: errorifexists (default),
// append, overwrite or ignore.
func (w *DataFrameWriter) Mode(m string) *DataFrameWriter {
	m = strings.ToLower(m)
	switch m {
	case "error", "errorifexists", "default":
		m = "errorifexists"
	case "append", "overwrite", "ignore":
	default:
		panic(&AnalysisError{Msg: fmt.Sprintf("unknown save mode %q (errorifexists, append, overwrite, ignore)", m)})
	}
	n := *w
	n.mode = m
	return &n
}

// PartitionBy writes rows into key=value/ folders by these columns.
func (w *DataFrameWriter) PartitionBy(cols ...string) *DataFrameWriter {
	for _, c := range cols {
		w.df.resolve(Col(c))
	}
	n := *w
	n.partitionBy = cols
	return &n
}

// Option sets a writer option (header, sep for CSV).
func (w *DataFrameWriter) Option(key string, value any) *DataFrameWriter {
	n := *w
	n.opts = map[string]string{}
	for k, v := range w.opts {
		n.opts[k] = v
	}
	n.opts[strings.ToLower(key)] = fmt.Sprint(value)
	return &n
}

// CSV writes CSV files.
func (w *DataFrameWriter) CSV(path string) { w.save(path, "csv") }

// JSON writes JSON Lines files.
func (w *DataFrameWriter) JSON(path string) { w.save(path, "json") }

// Parquet writes Parquet files.
func (w *DataFrameWriter) Parquet(path string) { w.save(path, "parquet") }

func (w *DataFrameWriter) save(path, format string) {
	if _, err := os.Stat(path); err == nil {
		switch w.mode {
		case "errorifexists":
			panic(&AnalysisError{Msg: fmt.Sprintf("path %s already exists (use Mode(\"overwrite\") or Mode(\"append\"))", path)})
		case "ignore":
			return
		case "overwrite":
			if err := os.RemoveAll(path); err != nil {
				panic(err)
			}
		}
	}
	if err := os.MkdirAll(path, 0o755); err != nil {
		panic(err)
	}
	parts, schema, err := w.df.s.execute(context.Background(), w.df.plan)
	if err != nil {
		panic(err)
	}
	defer func() {
		for _, p := range parts {
			exec.ReleaseAll(p)
		}
	}()
	opts := source.WriteOptions{Header: strings.EqualFold(w.opts["header"], "true"), Sep: ','}
	if s := w.opts["sep"]; s != "" {
		opts.Sep = s[0]
	}
	job := fmt.Sprintf("%08x", os.Getpid())
	for i, p := range parts {
		if len(w.partitionBy) == 0 {
			name := filepath.Join(path, fmt.Sprintf("part-%05d-%s.%s", i, job, format))
			name = uniqueName(name)
			if err := source.WriteFile(name, format, schema, p, opts); err != nil {
				panic(err)
			}
			continue
		}
		if err := w.writePartitioned(path, format, schema, p, i, job, opts); err != nil {
			panic(err)
		}
	}
	if err := os.WriteFile(filepath.Join(path, "_SUCCESS"), nil, 0o644); err != nil {
		panic(err)
	}
}

func uniqueName(name string) string {
	if _, err := os.Stat(name); err != nil {
		return name
	}
	ext := filepath.Ext(name)
	for k := 1; ; k++ {
		n := fmt.Sprintf("%s-%d%s", strings.TrimSuffix(name, ext), k, ext)
		if _, err := os.Stat(n); err != nil {
			return n
		}
	}
}

// writePartitioned splits rows by the partition columns' values.
func (w *DataFrameWriter) writePartitioned(path, format string, schema *arrow.Schema, recs []arrow.Record, part int, job string, opts source.WriteOptions) error {
	keyIdx := make([]int, len(w.partitionBy))
	for i, c := range w.partitionBy {
		keyIdx[i] = -1
		for j, f := range schema.Fields() {
			if strings.EqualFold(f.Name, c) {
				keyIdx[i] = j
			}
		}
	}
	var dataIdx []int
	var dataFields []arrow.Field
	for j, f := range schema.Fields() {
		isKey := false
		for _, k := range keyIdx {
			if k == j {
				isKey = true
			}
		}
		if !isKey {
			dataIdx = append(dataIdx, j)
			dataFields = append(dataFields, f)
		}
	}
	dataSchema := arrow.NewSchema(dataFields, nil)
	groups := map[string][]arrow.Record{}
	var order []string
	for _, rec := range recs {
		rows := map[string][]int32{}
		for r := 0; r < int(rec.NumRows()); r++ {
			var dir []string
			for i, k := range keyIdx {
				v := exec.ValueAt(rec.Column(k), r)
				s := "__HIVE_DEFAULT_PARTITION__"
				if v != nil {
					s = escapePathValue(exec.FormatValue(v, schema.Field(k).Type))
				}
				dir = append(dir, w.partitionBy[i]+"="+s)
			}
			d := filepath.Join(dir...)
			if _, ok := rows[d]; !ok {
				if _, seen := groups[d]; !seen {
					order = append(order, d)
				}
			}
			rows[d] = append(rows[d], int32(r))
		}
		for d, idx := range rows {
			cols := make([]arrow.Array, len(dataIdx))
			for i, j := range dataIdx {
				cols[i] = exec.Take(rec.Column(j), idx)
			}
			groups[d] = append(groups[d], exec.NewRecord(dataSchema, cols, len(idx)))
		}
	}
	for _, d := range order {
		dir := filepath.Join(path, d)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		name := uniqueName(filepath.Join(dir, fmt.Sprintf("part-%05d-%s.%s", part, job, format)))
		err := source.WriteFile(name, format, dataSchema, groups[d], opts)
		exec.ReleaseAll(groups[d])
		if err != nil {
			return err
		}
	}
	return nil
}

func escapePathValue(s string) string {
	r := strings.NewReplacer("/", "%2F", "=", "%3D", ":", "%3A", "%", "%25")
	return r.Replace(s)
}
