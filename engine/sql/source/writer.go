package source

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"strconv"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet"
	"github.com/apache/arrow/go/v17/parquet/compress"
	"github.com/apache/arrow/go/v17/parquet/pqarrow"

	"gospark/engine/sql/exec"
)

// WriteOptions are the text writers' options.
type WriteOptions struct {
	Header bool
	Sep    byte
}

// WriteFile writes records to one file in format csv, json or parquet.
func WriteFile(path, format string, schema *arrow.Schema, recs []arrow.Record, o WriteOptions) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	switch format {
	case "parquet":
		props := parquet.NewWriterProperties(parquet.WithCompression(compress.Codecs.Snappy))
		w, err := pqarrow.NewFileWriter(schema, f, props, pqarrow.NewArrowWriterProperties(pqarrow.WithAllocator(memory.DefaultAllocator)))
		if err != nil {
			f.Close()
			return err
		}
		for _, r := range recs {
			if err := w.Write(r); err != nil {
				w.Close()
				return fmt.Errorf("%s: %w", path, err)
			}
		}
		return w.Close()
	case "csv":
		err = writeCSV(f, schema, recs, o)
	case "json":
		err = writeJSON(f, schema, recs)
	default:
		err = fmt.Errorf("unknown format %s", format)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// cellFormatter appends the text of row i of a column (not NULL) to buf;
// it is typed per column, so writing does not box values.
func cellFormatter(a arrow.Array, dt arrow.DataType) func(buf []byte, i int) []byte {
	switch x := a.(type) {
	case *array.Int32:
		v := x.Int32Values()
		return func(buf []byte, i int) []byte { return strconv.AppendInt(buf, int64(v[i]), 10) }
	case *array.Int64:
		v := x.Int64Values()
		return func(buf []byte, i int) []byte { return strconv.AppendInt(buf, v[i], 10) }
	case *array.Float64:
		v := x.Float64Values()
		return func(buf []byte, i int) []byte { return append(buf, exec.FormatDouble(v[i])...) }
	case *array.String:
		return func(buf []byte, i int) []byte { return append(buf, x.Value(i)...) }
	case *array.Boolean:
		return func(buf []byte, i int) []byte { return strconv.AppendBool(buf, x.Value(i)) }
	}
	return func(buf []byte, i int) []byte { return append(buf, exec.FormatValue(exec.ValueAt(a, i), dt)...) }
}

func writeCSV(f *os.File, schema *arrow.Schema, recs []arrow.Record, o WriteOptions) error {
	w := bufio.NewWriterSize(f, 1<<20)
	sep := o.Sep
	needQuote := func(b []byte) bool {
		for _, c := range b {
			if c == sep || c == '"' || c == '\n' || c == '\r' {
				return true
			}
		}
		return false
	}
	quote := func(dst, b []byte) []byte {
		dst = append(dst, '"')
		for _, c := range b {
			if c == '"' {
				dst = append(dst, '\\')
			}
			dst = append(dst, c)
		}
		return append(dst, '"')
	}
	var line, cell []byte
	if o.Header {
		for i, fd := range schema.Fields() {
			if i > 0 {
				line = append(line, sep)
			}
			if needQuote([]byte(fd.Name)) {
				line = quote(line, []byte(fd.Name))
			} else {
				line = append(line, fd.Name...)
			}
		}
		line = append(line, '\n')
		w.Write(line)
	}
	for _, r := range recs {
		n := int(r.NumRows())
		cols := make([]arrow.Array, r.NumCols())
		fmts := make([]func([]byte, int) []byte, r.NumCols())
		for c := range cols {
			cols[c] = r.Column(c)
			fmts[c] = cellFormatter(cols[c], schema.Field(c).Type)
		}
		for i := 0; i < n; i++ {
			line = line[:0]
			for c, col := range cols {
				if c > 0 {
					line = append(line, sep)
				}
				if col.IsNull(i) {
					continue
				}
				cell = fmts[c](cell[:0], i)
				switch {
				case len(cell) == 0:
					line = append(line, '"', '"')
				case needQuote(cell):
					line = quote(line, cell)
				default:
					line = append(line, cell...)
				}
			}
			line = append(line, '\n')
			if _, err := w.Write(line); err != nil {
				return err
			}
		}
	}
	return w.Flush()
}

// appendJSONString appends s as a JSON string literal.
func appendJSONString(dst, s []byte) []byte {
	dst = append(dst, '"')
	for _, c := range s {
		switch {
		case c == '"' || c == '\\':
			dst = append(dst, '\\', c)
		case c == '\n':
			dst = append(dst, '\\', 'n')
		case c == '\r':
			dst = append(dst, '\\', 'r')
		case c == '\t':
			dst = append(dst, '\\', 't')
		case c < 0x20:
			dst = append(dst, fmt.Sprintf("\\u%04x", c)...)
		default:
			dst = append(dst, c)
		}
	}
	return append(dst, '"')
}

func writeJSON(f *os.File, schema *arrow.Schema, recs []arrow.Record) error {
	w := bufio.NewWriterSize(f, 1<<20)
	keys := make([][]byte, schema.NumFields())
	for c, fd := range schema.Fields() {
		keys[c] = append(appendJSONString(nil, []byte(fd.Name)), ':')
	}
	var line, cell []byte
	for _, r := range recs {
		n := int(r.NumRows())
		cols := make([]arrow.Array, r.NumCols())
		fmts := make([]func([]byte, int) []byte, r.NumCols())
		for c := range cols {
			cols[c] = r.Column(c)
			fmts[c] = cellFormatter(cols[c], schema.Field(c).Type)
		}
		for i := 0; i < n; i++ {
			line = append(line[:0], '{')
			first := true
			for c, col := range cols {
				if col.IsNull(i) {
					continue // Spark leaves NULL fields out
				}
				if !first {
					line = append(line, ',')
				}
				first = false
				line = append(line, keys[c]...)
				cell = fmts[c](cell[:0], i)
				switch col.DataType().ID() {
				case arrow.INT32, arrow.INT64, arrow.BOOL:
					line = append(line, cell...)
				case arrow.FLOAT64:
					v := col.(*array.Float64).Value(i)
					if math.IsNaN(v) || math.IsInf(v, 0) {
						line = appendJSONString(line, cell)
					} else {
						line = strconv.AppendFloat(line, v, 'g', -1, 64)
					}
				case arrow.LIST:
					b, err := json.Marshal(exec.ValueAt(col, i))
					if err != nil {
						return err
					}
					line = append(line, b...)
				default:
					line = appendJSONString(line, cell)
				}
			}
			line = append(line, '}', '\n')
			if _, err := w.Write(line); err != nil {
				return err
			}
		}
	}
	return w.Flush()
}
