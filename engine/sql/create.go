package sql

import (
	"fmt"
	"reflect"
	"runtime"
	"strings"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"

	"gospark/engine/sql/exec"
	"gospark/engine/sql/plan"
)

// CreateDataFrame makes a DataFrame from local data:
//
//   - a slice of structs (or pointers to them): one column per exported
//     field, named by a `spark:"name"` tag or the field name;
//   - [][]any rows, with the schema as DDL ("name STRING, age INT");
//   - an arrow.Record or arrow.Table (retained).
//
// The rows are split into as many partitions as there are cores.
func (s *Session) CreateDataFrame(data any, schema ...string) *DataFrame {
	var recs []arrow.Record
	var sch *arrow.Schema
	switch d := data.(type) {
	case arrow.Record:
		d.Retain()
		recs, sch = []arrow.Record{d}, d.Schema()
	case arrow.Table:
		tr := array.NewTableReader(d, exec.BatchSize)
		for tr.Next() {
			r := tr.Record()
			r.Retain()
			recs = append(recs, r)
		}
		tr.Release()
		sch = d.Schema()
	case [][]any:
		if len(schema) == 0 {
			panic(&AnalysisError{Msg: "CreateDataFrame of [][]any needs a schema, e.g. \"name STRING, age INT\""})
		}
		fields, err := exec.ParseDDL(strings.Join(schema, ", "))
		if err != nil {
			panic(&AnalysisError{Msg: err.Error()})
		}
		sch = arrow.NewSchema(fields, nil)
		recs = []arrow.Record{rowsToRecord(sch, d)}
	default:
		sch, recs = structsToRecord(data)
	}
	// Normalise types to the engine's and split into partitions.
	attrs := plan.AttrsOf(sch)
	target := plan.Schema(attrs)
	var all []arrow.Record
	for _, r := range recs {
		cols := make([]arrow.Array, r.NumCols())
		for i := range cols {
			c, err := exec.CastArray(r.Column(i), target.Field(i).Type)
			if err != nil {
				panic(&AnalysisError{Msg: err.Error()})
			}
			cols[i] = c
		}
		all = append(all, exec.NewRecord(target, cols, int(r.NumRows())))
		r.Release()
	}
	one := exec.ConcatRecords(target, all)
	exec.ReleaseAll(all)
	n := int(one.NumRows())
	parts := max(1, min(runtime.GOMAXPROCS(0), n))
	var memory [][]arrow.Record
	per := (n + parts - 1) / parts
	for p := 0; p < parts; p++ {
		lo, hi := min(p*per, n), min((p+1)*per, n)
		if hi > lo {
			memory = append(memory, []arrow.Record{one.NewSlice(int64(lo), int64(hi))})
		} else {
			memory = append(memory, nil)
		}
	}
	one.Release()
	return s.df(&plan.Relation{Kind: plan.MemorySource, Attrs: attrs, Memory: memory, Label: "LocalRelation"})
}

func rowsToRecord(sch *arrow.Schema, rows [][]any) arrow.Record {
	b := array.NewRecordBuilder(memory.DefaultAllocator, sch)
	defer b.Release()
	for r, row := range rows {
		if len(row) != sch.NumFields() {
			panic(&AnalysisError{Msg: fmt.Sprintf("row %d has %d values, the schema %d columns", r, len(row), sch.NumFields())})
		}
		for i, v := range row {
			if err := appendGo(b.Field(i), v); err != nil {
				panic(&AnalysisError{Msg: fmt.Sprintf("row %d, column %s: %v", r, sch.Field(i).Name, err)})
			}
		}
	}
	return b.NewRecord()
}

func appendGo(b array.Builder, v any) error {
	if v == nil {
		b.AppendNull()
		return nil
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			b.AppendNull()
			return nil
		}
		return appendGo(b, rv.Elem().Interface())
	}
	switch bb := b.(type) {
	case *array.BooleanBuilder:
		if x, ok := v.(bool); ok {
			bb.Append(x)
			return nil
		}
	case *array.Int32Builder:
		if rv.CanInt() {
			bb.Append(int32(rv.Int()))
			return nil
		}
		if rv.CanUint() {
			bb.Append(int32(rv.Uint()))
			return nil
		}
	case *array.Int64Builder:
		if rv.CanInt() {
			bb.Append(rv.Int())
			return nil
		}
		if rv.CanUint() {
			bb.Append(int64(rv.Uint()))
			return nil
		}
	case *array.Float64Builder:
		if rv.CanFloat() {
			bb.Append(rv.Float())
			return nil
		}
		if rv.CanInt() {
			bb.Append(float64(rv.Int()))
			return nil
		}
	case *array.StringBuilder:
		if rv.Kind() == reflect.String {
			bb.Append(rv.String())
			return nil
		}
	case *array.Date32Builder:
		switch x := v.(type) {
		case time.Time:
			bb.Append(arrow.Date32FromTime(x))
			return nil
		case arrow.Date32:
			bb.Append(x)
			return nil
		case string:
			d, ok := exec.ParseDate([]byte(x))
			if ok {
				bb.Append(d)
				return nil
			}
		}
	case *array.TimestampBuilder:
		switch x := v.(type) {
		case time.Time:
			bb.Append(arrow.Timestamp(x.UnixMicro()))
			return nil
		case arrow.Timestamp:
			bb.Append(x)
			return nil
		case string:
			t, ok := exec.ParseTimestamp([]byte(x))
			if ok {
				bb.Append(t)
				return nil
			}
		}
	case *array.ListBuilder:
		if rv.Kind() == reflect.Slice {
			bb.Append(true)
			for i := 0; i < rv.Len(); i++ {
				if err := appendGo(bb.ValueBuilder(), rv.Index(i).Interface()); err != nil {
					return err
				}
			}
			return nil
		}
	}
	return fmt.Errorf("cannot store %v (%T) in a %s column", v, v, b.Type())
}

// goType maps a Go type to a column type.
func goType(t reflect.Type) (arrow.DataType, error) {
	if t.Kind() == reflect.Pointer {
		return goType(t.Elem())
	}
	if t == reflect.TypeOf(time.Time{}) {
		return exec.Timestamp, nil
	}
	switch t.Kind() {
	case reflect.Bool:
		return exec.Boolean, nil
	case reflect.Int8, reflect.Int16, reflect.Int32, reflect.Uint8, reflect.Uint16:
		return exec.Int32, nil
	case reflect.Int, reflect.Int64, reflect.Uint32, reflect.Uint, reflect.Uint64:
		return exec.Int64, nil
	case reflect.Float32, reflect.Float64:
		return exec.Float64, nil
	case reflect.String:
		return exec.String, nil
	case reflect.Slice:
		e, err := goType(t.Elem())
		if err != nil {
			return nil, err
		}
		return arrow.ListOf(e), nil
	}
	return nil, fmt.Errorf("no column type for Go type %s", t)
}

func structsToRecord(data any) (*arrow.Schema, []arrow.Record) {
	v := reflect.ValueOf(data)
	if v.Kind() != reflect.Slice {
		panic(&AnalysisError{Msg: fmt.Sprintf("CreateDataFrame takes a slice of structs, [][]any with a schema, or Arrow data; got %T", data)})
	}
	et := v.Type().Elem()
	st := et
	if st.Kind() == reflect.Pointer {
		st = st.Elem()
	}
	if st.Kind() != reflect.Struct {
		panic(&AnalysisError{Msg: fmt.Sprintf("CreateDataFrame takes a slice of structs, got %T", data)})
	}
	var fields []arrow.Field
	var idx []int
	for i := 0; i < st.NumField(); i++ {
		f := st.Field(i)
		if !f.IsExported() || f.Tag.Get("spark") == "-" {
			continue
		}
		dt, err := goType(f.Type)
		if err != nil {
			panic(&AnalysisError{Msg: fmt.Sprintf("field %s: %v", f.Name, err)})
		}
		name := f.Tag.Get("spark")
		if name == "" {
			name = f.Name
		}
		fields = append(fields, arrow.Field{Name: name, Type: dt, Nullable: true})
		idx = append(idx, i)
	}
	sch := arrow.NewSchema(fields, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, sch)
	defer b.Release()
	for r := 0; r < v.Len(); r++ {
		sv := v.Index(r)
		if sv.Kind() == reflect.Pointer {
			sv = sv.Elem()
		}
		for i, fi := range idx {
			if err := appendGo(b.Field(i), sv.Field(fi).Interface()); err != nil {
				panic(&AnalysisError{Msg: fmt.Sprintf("row %d: %v", r, err)})
			}
		}
	}
	return sch, []arrow.Record{b.NewRecord()}
}
