package source

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"sync"

	"github.com/apache/arrow/go/v17/arrow"

	"gospark/engine/sql/exec"
)

// MalformedError reports a malformed record in FAILFAST mode.
type MalformedError struct {
	Path   string
	Line   int
	Reason string
	Record string
}

// Error returns the message of a MalformedError.
func (e *MalformedError) Error() string {
	rec := e.Record
	if len(rec) > 200 {
		rec = rec[:200] + "…"
	}
	return fmt.Sprintf("malformed record at %s:%d (mode FAILFAST): %s: %q", e.Path, e.Line, e.Reason, rec)
}

// CSVSource describes CSV input: files, options and the schema of the
// file's columns (plus the corrupt-record column if the user asked for it).
type CSVSource struct {
	Files  []File
	Opts   CSVOptions
	Schema *arrow.Schema
	// corrupt is the index of the corrupt-record column in Schema, or -1.
	corrupt int
}

// NewCSVSource lists paths and settles the schema: the user's, or inferred
// from every row (Spark's inferSchema pass), or all strings.
func NewCSVSource(paths []string, opts CSVOptions, userSchema []arrow.Field, parallelism int) (*CSVSource, error) {
	files, err := ListFiles(paths)
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no files found at %s", strings.Join(paths, ", "))
	}
	src := &CSVSource{Files: files, Opts: opts, corrupt: -1}
	if userSchema != nil {
		src.Schema = arrow.NewSchema(userSchema, nil)
		for i, f := range userSchema {
			if f.Name == opts.CorruptColumn && f.Type.ID() == arrow.STRING {
				src.corrupt = i
			}
		}
		return src, nil
	}
	names, err := src.headerNames()
	if err != nil {
		return nil, err
	}
	kinds := make([]kind, len(names))
	if opts.InferSchema {
		if kinds, err = src.infer(len(names), parallelism); err != nil {
			return nil, err
		}
	} else {
		for i := range kinds {
			kinds[i] = kString
		}
	}
	fs := make([]arrow.Field, len(names))
	for i, n := range names {
		k := kinds[i]
		if k == kNull {
			k = kString
		}
		fs[i] = arrow.Field{Name: n, Type: k.dataType(), Nullable: true}
	}
	src.Schema = arrow.NewSchema(fs, nil)
	return src, nil
}

// headerNames reads the first line of the first file: the names when
// header is set, else _c0, _c1, ….
func (s *CSVSource) headerNames() ([]string, error) {
	f, err := os.Open(s.Files[0].Path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	buf := make([]byte, 1<<20)
	n, _ := f.Read(buf)
	buf = buf[:n]
	if i := indexByte(buf, '\n'); i >= 0 {
		buf = buf[:i]
	}
	buf = bytes.TrimSuffix(buf, []byte("\r"))
	var scratch []byte
	fields, _ := splitFields(buf, &s.Opts, nil, &scratch)
	names := make([]string, len(fields))
	for i, f := range fields {
		if s.Opts.Header {
			names[i] = string(f)
			if names[i] == "" {
				names[i] = fmt.Sprintf("_c%d", i)
			}
		} else {
			names[i] = fmt.Sprintf("_c%d", i)
		}
	}
	if n == 0 {
		return nil, nil
	}
	return names, nil
}

// infer scans every split in parallel and merges the kinds seen.
func (s *CSVSource) infer(ncols, parallelism int) ([]kind, error) {
	splits := PlanSplits(s.Files, parallelism, true)
	res := make([][]kind, len(splits))
	errs := make([]error, len(splits))
	var wg sync.WaitGroup
	sem := make(chan struct{}, max(1, parallelism))
	for i, sp := range splits {
		wg.Add(1)
		go func(i int, sp Split) {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			res[i], errs[i] = s.inferSplit(sp, ncols)
		}(i, sp)
	}
	wg.Wait()
	out := make([]kind, ncols)
	for i := range splits {
		if errs[i] != nil {
			return nil, errs[i]
		}
		for c, k := range res[i] {
			out[c] = mergeKinds(out[c], k)
		}
	}
	return out, nil
}

func (s *CSVSource) inferSplit(sp Split, ncols int) ([]kind, error) {
	data, err := readLines(sp)
	if err != nil {
		return nil, err
	}
	kinds := make([]kind, ncols)
	// Once a column is a string nothing changes it; skip its values.
	var fields [][]byte
	var scratch []byte
	first := sp.Start == 0 && s.Opts.Header
	for len(data) > 0 {
		if first {
			first = false
			if i := indexByte(data, '\n'); i >= 0 {
				data = data[i+1:]
			} else {
				data = nil
			}
			continue
		}
		scratch = scratch[:0]
		var line []byte
		fields, line, data, _ = nextRecord(data, &s.Opts, fields, &scratch, true)
		if len(line) == 0 {
			continue
		}
		for c, f := range fields {
			if c >= ncols {
				break
			}
			k := kinds[c]
			if k == kString || len(f) == 0 || bstr(f) == s.Opts.NullValue {
				continue
			}
			// Fast check: a value of the kind already seen needs no work.
			v := inferValue(f)
			kinds[c] = mergeKinds(k, v)
		}
	}
	return kinds, nil
}

// CSVScan is the physical scan of CSV splits. Its Columns list, for each
// output column, its index in the source schema (projection pushdown: the
// other fields are tokenized but never converted).
type CSVScan struct {
	Src *CSVSource
	splitScan
}

// NewCSVScan plans the splits of src for the given parallelism.
func NewCSVScan(src *CSVSource, columns []int, parallelism int) *CSVScan {
	return &CSVScan{Src: src, splitScan: newSplitScan(src.Schema, src.Files, columns, parallelism)}
}

// String describes a CSVScan on one line, as Explain shows it.
func (c *CSVScan) String() string {
	paths := make([]string, 0, len(c.Src.Files))
	for _, f := range c.Src.Files {
		paths = append(paths, f.Path)
	}
	if len(paths) > 3 {
		paths = append(paths[:3], "…")
	}
	return fmt.Sprintf("FileScan csv [%s] Location: [%s], PartitionCount: %d", schemaNames(c.S), strings.Join(paths, ", "), c.Partitions())
}

func schemaNames(s *arrow.Schema) string {
	names := make([]string, s.NumFields())
	for i, f := range s.Fields() {
		names[i] = f.Name
	}
	return strings.Join(names, ", ")
}

// Execute parses one split.
func (c *CSVScan) Execute(ctx context.Context, p int) (exec.Stream, error) {
	if p >= len(c.Splits) {
		return exec.NewSliceStream(nil), nil
	}
	sp := c.Splits[p]
	data, err := readLines(sp)
	if err != nil {
		return nil, err
	}
	src := c.Src
	o := &src.Opts
	// For each file field, the output column it feeds, or -1.
	nfile := src.Schema.NumFields()
	if src.corrupt >= 0 {
		nfile--
	}
	target := make([]int, nfile)
	for i := range target {
		target[i] = -1
	}
	corruptOut := -1
	for out, col := range c.Columns {
		switch {
		case col == src.corrupt:
			corruptOut = out
		case src.corrupt >= 0 && col > src.corrupt:
			target[col-1] = out
		default:
			target[col] = out
		}
	}
	builders := make([]*colBuilder, len(c.Columns))
	for i, f := range c.S.Fields() {
		builders[i] = newColBuilder(f.Type, exec.BatchSize)
	}
	nullValue := o.NullValue
	first := sp.Start == 0 && o.Header
	var fields [][]byte
	var scratch []byte
	lineInSplit := 0
	rows := 0
	next := func() (arrow.Record, error) {
		for len(data) > 0 && rows < exec.BatchSize {
			lineInSplit++
			if first {
				first = false
				if i := indexByte(data, '\n'); i >= 0 {
					data = data[i+1:]
				} else {
					data = nil
				}
				continue
			}
			scratch = scratch[:0]
			var ok bool
			var line []byte
			fields, line, data, ok = nextRecord(data, o, fields, &scratch, true)
			if len(line) == 0 {
				continue
			}
			reason := ""
			if !ok {
				reason = "unbalanced quotes"
			} else if len(fields) != nfile {
				reason = fmt.Sprintf("expected %d fields, found %d", nfile, len(fields))
			}
			for f, out := range target {
				if out < 0 {
					continue
				}
				b := builders[out]
				if f >= len(fields) {
					b.appendNull()
					continue
				}
				v := fields[f]
				if len(v) == len(nullValue) && bstr(v) == nullValue {
					b.appendNull()
					continue
				}
				if !b.appendText(v) && reason == "" {
					reason = fmt.Sprintf("cannot parse %q as %s for column %s", v, exec.SimpleString(b.dt), c.S.Field(out).Name)
				}
			}
			if reason != "" {
				switch o.Mode {
				case FailFast:
					return nil, &MalformedError{Path: sp.File.Path, Line: c.fileLine(sp, lineInSplit), Reason: reason, Record: string(line)}
				case DropMalformed:
					for _, b := range builders {
						b.truncate(rows)
					}
					continue
				}
			}
			if corruptOut >= 0 {
				if reason != "" {
					builders[corruptOut].appendText(line)
				} else {
					builders[corruptOut].appendNull()
				}
			}
			rows++
		}
		if rows == 0 {
			return nil, ctx.Err()
		}
		cols := make([]arrow.Array, len(builders))
		for i, b := range builders {
			cols[i] = b.finish(exec.BatchSize)
		}
		n := rows
		rows = 0
		return exec.NewRecord(c.S, cols, n), nil
	}
	return exec.FuncStream(next, nil), nil
}

// fileLine converts a line index within a split into a line number in the
// file.
func (c *CSVScan) fileLine(sp Split, lineInSplit int) int {
	if sp.Start == 0 {
		return lineInSplit
	}
	return lineNumber(sp.File.Path, sp.Start) + lineInSplit - 1
}

// lineNumber returns the number of the first line that starts at or after
// offset (lines count from 1).
func lineNumber(path string, offset int64) int {
	data, err := os.ReadFile(path)
	if err != nil || offset > int64(len(data)) {
		return 0
	}
	n := bytes.Count(data[:offset], []byte("\n")) + 1
	if offset > 0 && data[offset-1] != '\n' {
		n++
	}
	return n
}
