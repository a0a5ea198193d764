package source

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"
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

func writeCSV(f *os.File, schema *arrow.Schema, recs []arrow.Record, o WriteOptions) error {
	w := bufio.NewWriterSize(f, 1<<20)
	sep := string(o.Sep)
	quote := func(s string) string {
		if strings.ContainsAny(s, sep+"\"\n\r") {
			return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"`
		}
		return s
	}
	if o.Header {
		names := make([]string, schema.NumFields())
		for i, fd := range schema.Fields() {
			names[i] = quote(fd.Name)
		}
		w.WriteString(strings.Join(names, sep) + "\n")
	}
	for _, r := range recs {
		for i := 0; i < int(r.NumRows()); i++ {
			for c := 0; c < int(r.NumCols()); c++ {
				if c > 0 {
					w.WriteString(sep)
				}
				v := exec.ValueAt(r.Column(c), i)
				if v == nil {
					continue
				}
				s := exec.FormatValue(v, schema.Field(c).Type)
				if s == "" {
					s = `""`
				}
				w.WriteString(quote(s))
			}
			w.WriteByte('\n')
		}
	}
	return w.Flush()
}

func writeJSON(f *os.File, schema *arrow.Schema, recs []arrow.Record) error {
	w := bufio.NewWriterSize(f, 1<<20)
	for _, r := range recs {
		for i := 0; i < int(r.NumRows()); i++ {
			w.WriteByte('{')
			first := true
			for c := 0; c < int(r.NumCols()); c++ {
				v := exec.ValueAt(r.Column(c), i)
				if v == nil {
					continue // Spark leaves NULL fields out
				}
				if !first {
					w.WriteByte(',')
				}
				first = false
				k, _ := json.Marshal(schema.Field(c).Name)
				w.Write(k)
				w.WriteByte(':')
				var val any = v
				switch x := v.(type) {
				case arrow.Date32, arrow.Timestamp:
					val = exec.FormatValue(x, schema.Field(c).Type)
				}
				b, err := json.Marshal(val)
				if err != nil {
					return err
				}
				w.Write(b)
			}
			w.WriteString("}\n")
		}
	}
	return w.Flush()
}
