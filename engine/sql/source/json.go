package source

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"

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
	kinds := map[string]kind{}
	sawCorrupt := false
	for _, sp := range PlanSplits(files, parallelism, true) {
		data, err := readLines(sp)
		if err != nil {
			return nil, err
		}
		for len(data) > 0 {
			line := data
			if i := indexByte(data, '\n'); i >= 0 {
				line, data = data[:i], data[i+1:]
			} else {
				data = nil
			}
			line = bytes.TrimSpace(line)
			if len(line) == 0 {
				continue
			}
			var obj map[string]any
			dec := json.NewDecoder(bytes.NewReader(line))
			dec.UseNumber()
			if err := dec.Decode(&obj); err != nil {
				sawCorrupt = true
				continue
			}
			for k, v := range obj {
				kinds[k] = mergeKinds(kinds[k], jsonKind(v))
			}
		}
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

func jsonKind(v any) kind {
	switch x := v.(type) {
	case nil:
		return kNull
	case bool:
		return kBool
	case json.Number:
		if i, err := x.Int64(); err == nil {
			if i >= math.MinInt32 && i <= math.MaxInt32 {
				return kInt64 // Spark infers JSON integers as bigint
			}
			return kInt64
		}
		return kFloat64
	case string:
		return kString
	}
	return kString
}

// JSONScan is the physical scan of JSON Lines splits.
type JSONScan struct {
	Src     *JSONSource
	Splits  []Split
	Columns []int
	S       *arrow.Schema
}

// NewJSONScan plans the splits of src.
func NewJSONScan(src *JSONSource, columns []int, parallelism int) *JSONScan {
	fs := make([]arrow.Field, len(columns))
	for i, c := range columns {
		fs[i] = src.Schema.Field(c)
	}
	return &JSONScan{Src: src, Splits: PlanSplits(src.Files, parallelism, true), Columns: columns, S: arrow.NewSchema(fs, nil)}
}

// Schema returns the projected schema.
func (j *JSONScan) Schema() *arrow.Schema { return j.S }

// Children returns none.
func (j *JSONScan) Children() []exec.Operator { return nil }

// Partitions returns the number of splits.
func (j *JSONScan) Partitions() int { return max(1, len(j.Splits)) }

// String describes a JSONScan on one line, as Explain shows it.
func (j *JSONScan) String() string {
	return fmt.Sprintf("FileScan json [%s], PartitionCount: %d", schemaNames(j.S), j.Partitions())
}

// Execute parses one split.
func (j *JSONScan) Execute(ctx context.Context, p int) (exec.Stream, error) {
	if p >= len(j.Splits) {
		return exec.NewSliceStream(nil), nil
	}
	sp := j.Splits[p]
	data, err := readLines(sp)
	if err != nil {
		return nil, err
	}
	lineNo := 0
	next := func() (arrow.Record, error) {
		b := array.NewRecordBuilder(memory.DefaultAllocator, j.S)
		defer b.Release()
		rows := 0
		for len(data) > 0 && rows < exec.BatchSize {
			line := data
			if i := indexByte(data, '\n'); i >= 0 {
				line, data = data[:i], data[i+1:]
			} else {
				data = nil
			}
			lineNo++
			line = bytes.TrimSpace(line)
			if len(line) == 0 {
				continue
			}
			var obj map[string]any
			dec := json.NewDecoder(bytes.NewReader(line))
			dec.UseNumber()
			bad := dec.Decode(&obj) != nil
			vals := make([]any, len(j.Columns))
			if !bad {
				for i, c := range j.Columns {
					if c == j.Src.corrupt {
						continue
					}
					f := j.Src.Schema.Field(c)
					v, ok := jsonValue(obj[f.Name], f.Type)
					if !ok {
						bad = true
					}
					vals[i] = v
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
					continue
				}
				for i, c := range j.Columns {
					if c == j.Src.corrupt {
						vals[i] = string(line)
					}
				}
			}
			for i, v := range vals {
				if v == nil {
					b.Field(i).AppendNull()
				} else {
					appendJSON(b.Field(i), v)
				}
			}
			rows++
		}
		if rows == 0 {
			return nil, ctx.Err()
		}
		return b.NewRecord(), nil
	}
	return exec.FuncStream(next, nil), nil
}

func appendJSON(b array.Builder, v any) {
	switch bb := b.(type) {
	case *array.BooleanBuilder:
		bb.Append(v.(bool))
	case *array.Int32Builder:
		bb.Append(int32(v.(int64)))
	case *array.Int64Builder:
		bb.Append(v.(int64))
	case *array.Float64Builder:
		bb.Append(v.(float64))
	case *array.StringBuilder:
		bb.Append(v.(string))
	case *array.Date32Builder:
		bb.Append(v.(arrow.Date32))
	case *array.TimestampBuilder:
		bb.Append(v.(arrow.Timestamp))
	default:
		b.AppendNull()
	}
}

// jsonValue converts a decoded JSON value to the column type; ok=false
// means it does not fit.
func jsonValue(v any, dt arrow.DataType) (any, bool) {
	if v == nil {
		return nil, true
	}
	switch dt.ID() {
	case arrow.BOOL:
		b, ok := v.(bool)
		return b, ok
	case arrow.INT32, arrow.INT64:
		n, ok := v.(json.Number)
		if !ok {
			return nil, false
		}
		i, err := n.Int64()
		return i, err == nil
	case arrow.FLOAT64:
		n, ok := v.(json.Number)
		if !ok {
			return nil, false
		}
		f, err := n.Float64()
		return f, err == nil
	case arrow.DATE32:
		s, ok := v.(string)
		if !ok {
			return nil, false
		}
		d, ok := exec.ParseDate([]byte(s))
		return d, ok
	case arrow.TIMESTAMP:
		s, ok := v.(string)
		if !ok {
			return nil, false
		}
		t, ok := exec.ParseTimestamp([]byte(s))
		return t, ok
	}
	switch x := v.(type) {
	case string:
		return x, true
	case json.Number:
		return x.String(), true
	case bool:
		return fmt.Sprint(x), true
	}
	out, _ := json.Marshal(v)
	return strings.TrimSpace(string(out)), true
}
