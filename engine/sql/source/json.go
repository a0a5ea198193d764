package source

import (
	"bytes"
	"context"
	"fmt"
	"sort"
	"sync"

	"github.com/apache/arrow/go/v17/arrow"

	"gospark/engine/sql/exec"
)

// JSONSource is JSON Lines input: one object per line.
type JSONSource struct {
	Files   []File
	Schema  *arrow.Schema
	Mode    Mode
	corrupt int
}

// NewJSONSource lists paths and settles the schema: the user's or one
// inferred from every line (field names sorted, like Spark).
func NewJSONSource(paths []string, mode Mode, corruptCol string, userSchema []arrow.Field, parallelism int) (*JSONSource, error) {
	files, err := ListFiles(paths)
	if err != nil {
		return nil, err
	}
	src := &JSONSource{Files: files, Mode: mode, corrupt: -1}
	if userSchema != nil {
		src.Schema = arrow.NewSchema(userSchema, nil)
		for i, f := range userSchema {
			if f.Name == corruptCol {
				src.corrupt = i
			}
		}
		return src, nil
	}
	kinds, sawCorrupt, err := inferJSON(files, parallelism)
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(kinds))
	for k := range kinds {
		names = append(names, k)
	}
	sort.Strings(names)
	var fs []arrow.Field
	for _, n := range names {
		k := kinds[n]
		if k == kNull {
			k = kString
		}
		fs = append(fs, arrow.Field{Name: n, Type: k.dataType(), Nullable: true})
	}
	if sawCorrupt && mode == Permissive {
		src.corrupt = len(fs)
		fs = append(fs, arrow.Field{Name: corruptCol, Type: exec.String, Nullable: true})
	}
	src.Schema = arrow.NewSchema(fs, nil)
	return src, nil
}

// JSONScan is the physical scan of JSON Lines splits.
type JSONScan struct {
	Src *JSONSource
	splitScan
}

// NewJSONScan plans the splits of src.
func NewJSONScan(src *JSONSource, columns []int, parallelism int) *JSONScan {
	return &JSONScan{Src: src, splitScan: newSplitScan(src.Schema, src.Files, columns, parallelism)}
}

// String describes a JSONScan on one line, as Explain shows it.
func (j *JSONScan) String() string {
	return fmt.Sprintf("FileScan json [%s], PartitionCount: %d", schemaNames(j.S), j.Partitions())
}

// Execute parses one split with the JSON Lines scanner, straight into
// column builders.
func (j *JSONScan) Execute(ctx context.Context, p int) (exec.Stream, error) {
	if p >= len(j.Splits) {
		return exec.NewSliceStream(nil), nil
	}
	sp := j.Splits[p]
	data, err := readLines(sp)
	if err != nil {
		return nil, err
	}
	// Output column of each source field name; the corrupt column is not
	// a field.
	colOf := map[string]int{}
	corruptOut := -1
	builders := make([]*colBuilder, len(j.Columns))
	for out, c := range j.Columns {
		f := j.Src.Schema.Field(c)
		builders[out] = newColBuilder(f.Type, exec.BatchSize)
		if c == j.Src.corrupt {
			corruptOut = out
			continue
		}
		colOf[f.Name] = out
	}
	set := make([]bool, len(builders))
	var scratch []byte
	lineNo := 0
	rows := 0
	next := func() (arrow.Record, error) {
		for len(data) > 0 && rows < exec.BatchSize {
			line := data
			if i := indexByte(data, '\n'); i >= 0 {
				line, data = data[:i], data[i+1:]
			} else {
				data = nil
			}
			lineNo++
			if len(bytes.TrimSpace(line)) == 0 {
				continue
			}
			for i := range set {
				set[i] = false
			}
			bad := false
			scratch = scratch[:0]
			ok := scanObject(line, &scratch, func(key []byte, kind byte, val []byte) {
				out, found := colOf[string(key)]
				if !found || set[out] {
					return
				}
				set[out] = true
				if !appendJSONValue(builders[out], kind, val) {
					bad = true
				}
			})
			if !ok {
				bad = true
			}
			for out, b := range builders {
				if !set[out] && out != corruptOut {
					b.appendNull()
				}
			}
			if bad {
				switch j.Src.Mode {
				case FailFast:
					line1 := lineNo
					if sp.Start > 0 {
						line1 = lineNumber(sp.File.Path, sp.Start) + lineNo - 1
					}
					return nil, &MalformedError{Path: sp.File.Path, Line: line1, Reason: "malformed JSON", Record: string(line)}
				case DropMalformed:
					for _, b := range builders {
						b.truncate(rows)
					}
					continue
				}
				if !ok {
					// An unreadable line: every field NULL.
					for out, b := range builders {
						if out != corruptOut {
							b.truncate(rows)
							b.appendNull()
						}
					}
				}
			}
			if corruptOut >= 0 {
				if bad {
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
		return exec.NewRecord(j.S, cols, n), nil
	}
	return exec.FuncStream(next, nil), nil
}

// appendJSONValue adds one JSON value to a column; false means the value
// does not fit the column's type (a NULL was added).
func appendJSONValue(b *colBuilder, kind byte, val []byte) bool {
	switch kind {
	case jNull:
		b.appendNull()
		return true
	case jTrue, jFalse:
		if b.k == kString {
			if kind == jTrue {
				return b.appendText([]byte("true"))
			}
			return b.appendText([]byte("false"))
		}
		if b.k != kBool {
			b.appendNull()
			return false
		}
		if kind == jTrue {
			return b.appendText([]byte("true"))
		}
		return b.appendText([]byte("false"))
	case jNumber:
		if b.k == kBool || b.k == kDate || b.k == kTimestamp {
			b.appendNull()
			return false
		}
		return b.appendText(val)
	case jString:
		if b.k == kString || b.k == kDate || b.k == kTimestamp {
			return b.appendText(val)
		}
		b.appendNull()
		return false
	default: // nested: its JSON text, in a string column
		if b.k == kString {
			return b.appendText(val)
		}
		b.appendNull()
		return false
	}
}

// inferJSON scans every split in parallel and merges the value kinds seen
// per field; sawCorrupt reports an unreadable line.
func inferJSON(files []File, parallelism int) (map[string]kind, bool, error) {
	splits := PlanSplits(files, parallelism, true)
	res := make([]map[string]kind, len(splits))
	corrupt := make([]bool, len(splits))
	errs := make([]error, len(splits))
	var wg sync.WaitGroup
	sem := make(chan struct{}, max(1, parallelism))
	for i, sp := range splits {
		wg.Add(1)
		go func(i int, sp Split) {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			data, err := readLines(sp)
			if err != nil {
				errs[i] = err
				return
			}
			kinds := map[string]kind{}
			var scratch []byte
			for len(data) > 0 {
				line := data
				if k := indexByte(data, '\n'); k >= 0 {
					line, data = data[:k], data[k+1:]
				} else {
					data = nil
				}
				if len(bytes.TrimSpace(line)) == 0 {
					continue
				}
				scratch = scratch[:0]
				ok := scanObject(line, &scratch, func(key []byte, kd byte, val []byte) {
					var k kind
					switch kd {
					case jNull:
						k = kNull
					case jTrue, jFalse:
						k = kBool
					case jNumber:
						if _, ok := exec.ParseInt(val); ok {
							k = kInt64 // Spark infers JSON integers as bigint
						} else {
							k = kFloat64
						}
					default:
						k = kString
					}
					old, seen := kinds[string(key)]
					if !seen {
						kinds[string(key)] = k
					} else if merged := mergeKinds(old, k); merged != old {
						kinds[string(key)] = merged
					}
				})
				if !ok {
					corrupt[i] = true
				}
			}
			res[i] = kinds
		}(i, sp)
	}
	wg.Wait()
	out := map[string]kind{}
	saw := false
	for i := range splits {
		if errs[i] != nil {
			return nil, false, errs[i]
		}
		saw = saw || corrupt[i]
		for k, v := range res[i] {
			out[k] = mergeKinds(out[k], v)
		}
	}
	return out, saw, nil
}
