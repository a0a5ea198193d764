package sql

import (
	"fmt"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"

	"gospark/engine/sql/exec"
	"gospark/engine/sql/plan"
	"gospark/engine/sql/source"
)

// DataFrameReader loads files as DataFrames (Spark's spark.read).
type DataFrameReader struct {
	s      *Session
	format string
	opts   map[string]string
	schema []arrow.Field
}

// Read returns a reader.
func (s *Session) Read() *DataFrameReader {
	return &DataFrameReader{s: s, opts: map[string]string{}}
}

// Option sets a reader option (header, inferSchema, sep, nullValue, mode,
// columnNameOfCorruptRecord, …).
func (r *DataFrameReader) Option(key string, value any) *DataFrameReader {
	n := *r
	n.opts = map[string]string{}
	for k, v := range r.opts {
		n.opts[k] = v
	}
	n.opts[strings.ToLower(key)] = fmt.Sprint(value)
	return &n
}

// Options sets several options.
func (r *DataFrameReader) Options(opts map[string]string) *DataFrameReader {
	out := r
	for k, v := range opts {
		out = out.Option(k, v)
	}
	return out
}

// Schema sets the schema as DDL ("a INT, b STRING") instead of inferring
// it.
func (r *DataFrameReader) Schema(ddl string) *DataFrameReader {
	fields, err := exec.ParseDDL(ddl)
	if err != nil {
		panic(&AnalysisError{Msg: err.Error()})
	}
	n := *r
	n.schema = fields
	return &n
}

// Format sets the format for Load: csv, json or parquet.
func (r *DataFrameReader) Format(f string) *DataFrameReader {
	n := *r
	n.format = strings.ToLower(f)
	return &n
}

// Load reads paths in the format set by Format (Parquet by default, as
// spark.sql.sources.default).
func (r *DataFrameReader) Load(paths ...string) *DataFrame {
	switch r.format {
	case "csv":
		return r.CSV(paths...)
	case "json":
		return r.JSON(paths...)
	case "parquet", "":
		return r.Parquet(paths...)
	}
	panic(&AnalysisError{Msg: fmt.Sprintf("unknown data source format %q (csv, json, parquet)", r.format)})
}

// CSV reads CSV files, directories or globs.
func (r *DataFrameReader) CSV(paths ...string) *DataFrame {
	opts, err := source.ParseCSVOptions(r.opts)
	if err != nil {
		panic(&AnalysisError{Msg: err.Error()})
	}
	src, err := source.NewCSVSource(paths, opts, r.schema, r.s.parallelism())
	if err != nil {
		panic(&AnalysisError{Msg: err.Error()})
	}
	return r.s.df(withPartitions(&plan.Relation{Kind: plan.CSVSource, Attrs: plan.AttrsOf(src.Schema), CSV: src, Label: "csv"}, src.Files))
}

// JSON reads JSON Lines files (one object per line).
func (r *DataFrameReader) JSON(paths ...string) *DataFrame {
	mode, err := source.ParseMode(r.opts["mode"])
	if err != nil {
		panic(&AnalysisError{Msg: err.Error()})
	}
	corrupt := r.opts["columnnameofcorruptrecord"]
	if corrupt == "" {
		corrupt = "_corrupt_record"
	}
	src, err := source.NewJSONSource(paths, mode, corrupt, r.schema, r.s.parallelism())
	if err != nil {
		panic(&AnalysisError{Msg: err.Error()})
	}
	return r.s.df(withPartitions(&plan.Relation{Kind: plan.JSONSource, Attrs: plan.AttrsOf(src.Schema), JSON: src, Label: "json"}, src.Files))
}

// Parquet reads Parquet files; filters on its columns skip row groups.
func (r *DataFrameReader) Parquet(paths ...string) *DataFrame {
	src, err := source.NewParquetSource(paths)
	if err != nil {
		panic(&AnalysisError{Msg: err.Error()})
	}
	return r.s.df(withPartitions(&plan.Relation{Kind: plan.ParquetSource, Attrs: plan.AttrsOf(src.Schema), Parquet: src, Label: "parquet"}, src.Files))
}

// Text reads lines of text into one string column "value".
func (r *DataFrameReader) Text(paths ...string) *DataFrame {
	return r.Option("sep", "\x00").Option("quote", "").Schema("value STRING").CSV(paths...)
}

// withPartitions adds the columns of key=value folders (Spark's partition
// discovery) to a file relation.
func withPartitions(r *plan.Relation, files []source.File) *plan.Relation {
	cols, err := source.DiscoverPartitions(files)
	if err != nil {
		panic(&AnalysisError{Msg: err.Error()})
	}
	for _, c := range cols {
		if hasName(r.Attrs, c.Name) {
			return r // the files have the column themselves: keep theirs
		}
	}
	for _, c := range cols {
		r.Attrs = append(r.Attrs, plan.Attr{ID: plan.NewID(), Name: c.Name, T: c.Type})
		r.PartCols = append(r.PartCols, c)
	}
	return r
}
