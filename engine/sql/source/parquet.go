package source

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync/atomic"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet/file"
	"github.com/apache/arrow/go/v17/parquet/metadata"
	"github.com/apache/arrow/go/v17/parquet/pqarrow"

	"gospark/engine/sql/exec"
)

// ParquetSource is Parquet input; the schema comes from the first file's
// footer.
type ParquetSource struct {
	Files  []File
	Schema *arrow.Schema
}

// NewParquetSource lists paths and reads the schema.
func NewParquetSource(paths []string) (*ParquetSource, error) {
	files, err := ListFiles(paths)
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no parquet files at %s", strings.Join(paths, ", "))
	}
	r, err := file.OpenParquetFile(files[0].Path, false)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", files[0].Path, err)
	}
	defer r.Close()
	fr, err := pqarrow.NewFileReader(r, pqarrow.ArrowReadProperties{BatchSize: exec.BatchSize}, memory.DefaultAllocator)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", files[0].Path, err)
	}
	s, err := fr.Schema()
	if err != nil {
		return nil, err
	}
	return &ParquetSource{Files: files, Schema: s}, nil
}

// ColumnPredicate is a pushed-down comparison "column op value" that lets
// a scan skip row groups whose min/max statistics rule it out. Value is
// int32, int64, float64, string or arrow.Date32.
type ColumnPredicate struct {
	Column int
	Op     string // =, <, <=, >, >=
	Value  any
}

// String describes a ColumnPredicate on one line, as Explain shows it.
func (p ColumnPredicate) String() string { return fmt.Sprintf("#%d %s %v", p.Column, p.Op, p.Value) }

// ParquetScan reads Parquet files, one partition per file, skipping row
// groups by Predicates.
type ParquetScan struct {
	Src        *ParquetSource
	Columns    []int
	Predicates []ColumnPredicate
	S          *arrow.Schema
	// Skipped counts row groups skipped (for tests and Explain); the
	// partitions update it concurrently.
	Skipped atomic.Int64
}

// NewParquetScan returns a scan of the given columns.
func NewParquetScan(src *ParquetSource, columns []int, preds []ColumnPredicate) *ParquetScan {
	fs := make([]arrow.Field, len(columns))
	for i, c := range columns {
		fs[i] = src.Schema.Field(c)
	}
	return &ParquetScan{Src: src, Columns: columns, Predicates: preds, S: arrow.NewSchema(fs, nil)}
}

// Schema returns the projected schema (the file's types).
func (s *ParquetScan) Schema() *arrow.Schema { return s.S }

// Children returns none.
func (s *ParquetScan) Children() []exec.Operator { return nil }

// Partitions returns the number of files.
func (s *ParquetScan) Partitions() int { return len(s.Src.Files) }

// String describes a ParquetScan on one line, as Explain shows it.
func (s *ParquetScan) String() string {
	str := fmt.Sprintf("FileScan parquet [%s]", schemaNames(s.S))
	if len(s.Predicates) > 0 {
		ps := make([]string, len(s.Predicates))
		for i, p := range s.Predicates {
			ps[i] = fmt.Sprintf("%s %s %v", s.Src.Schema.Field(p.Column).Name, p.Op, p.Value)
		}
		str += ", RowGroupFilters: [" + strings.Join(ps, ", ") + "]"
	}
	return str
}

// RowGroupsToRead returns the row groups of r that the predicates do not
// rule out.
func RowGroupsToRead(md *metadata.FileMetaData, preds []ColumnPredicate) []int {
	var out []int
	for g := 0; g < len(md.RowGroups); g++ {
		rg := md.RowGroup(g)
		keep := true
		for _, p := range preds {
			if p.Column >= rg.NumColumns() {
				continue
			}
			cc, err := rg.ColumnChunk(p.Column)
			if err != nil {
				continue
			}
			if ok, _ := cc.StatsSet(); !ok {
				continue
			}
			st, err := cc.Statistics()
			if err != nil || st == nil || !st.HasMinMax() {
				continue
			}
			if !mayMatch(st, p) {
				keep = false
				break
			}
		}
		if keep {
			out = append(out, g)
		}
	}
	return out
}

func mayMatch(st metadata.TypedStatistics, p ColumnPredicate) bool {
	var c func(x any) int // compares x with the predicate's value
	var min, max any
	switch s := st.(type) {
	case *metadata.Int32Statistics:
		min, max = s.Min(), s.Max()
		var v int64
		switch x := p.Value.(type) {
		case int32:
			v = int64(x)
		case int64:
			v = x
		case arrow.Date32:
			v = int64(x)
		default:
			return true
		}
		c = func(x any) int { return cmp64(int64(x.(int32)), v) }
	case *metadata.Int64Statistics:
		min, max = s.Min(), s.Max()
		var v int64
		switch x := p.Value.(type) {
		case int32:
			v = int64(x)
		case int64:
			v = x
		default:
			return true
		}
		c = func(x any) int { return cmp64(x.(int64), v) }
	case *metadata.Float64Statistics:
		min, max = s.Min(), s.Max()
		v, ok := p.Value.(float64)
		if !ok {
			return true
		}
		c = func(x any) int {
			switch y := x.(float64); {
			case y < v:
				return -1
			case y > v:
				return 1
			}
			return 0
		}
	case *metadata.ByteArrayStatistics:
		min, max = string(s.Min()), string(s.Max())
		v, ok := p.Value.(string)
		if !ok {
			return true
		}
		c = func(x any) int { return strings.Compare(x.(string), v) }
	default:
		return true
	}
	switch p.Op {
	case "=":
		return c(min) <= 0 && c(max) >= 0
	case "<":
		return c(min) < 0
	case "<=":
		return c(min) <= 0
	case ">":
		return c(max) > 0
	case ">=":
		return c(max) >= 0
	}
	return true
}

func cmp64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Execute reads one file's surviving row groups.
func (s *ParquetScan) Execute(ctx context.Context, p int) (exec.Stream, error) {
	path := s.Src.Files[p].Path
	r, err := file.OpenParquetFile(path, false)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	fr, err := pqarrow.NewFileReader(r, pqarrow.ArrowReadProperties{BatchSize: exec.BatchSize, Parallel: false}, memory.DefaultAllocator)
	if err != nil {
		r.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	groups := RowGroupsToRead(r.MetaData(), s.Predicates)
	s.Skipped.Add(int64(r.NumRowGroups() - len(groups)))
	if len(groups) == 0 {
		r.Close()
		return exec.NewSliceStream(nil), nil
	}
	rr, err := fr.GetRecordReader(ctx, s.Columns, groups)
	if err != nil {
		r.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	next := func() (arrow.Record, error) {
		if !rr.Next() {
			if err := rr.Err(); err != nil && !errors.Is(err, io.EOF) {
				return nil, fmt.Errorf("%s: %w", path, err)
			}
			return nil, nil
		}
		rec := rr.Record()
		// Rename to the scan's schema and convert types the engine does not
		// use (int8, float32, ns timestamps…).
		cols := make([]arrow.Array, rec.NumCols())
		for i := range cols {
			c := rec.Column(i)
			if arrow.TypeEqual(c.DataType(), s.S.Field(i).Type) {
				c.Retain()
				cols[i] = c
				continue
			}
			cc, err := exec.CastArray(c, s.S.Field(i).Type)
			if err != nil {
				releaseCols(cols[:i])
				return nil, err
			}
			cols[i] = cc
		}
		return exec.NewRecord(s.S, cols, int(rec.NumRows())), nil
	}
	return exec.FuncStream(next, func() { rr.Release(); r.Close() }), nil
}

func releaseCols(cs []arrow.Array) {
	for _, c := range cs {
		c.Release()
	}
}
