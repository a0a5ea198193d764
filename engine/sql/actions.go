package sql

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"

	"gospark/engine/sql/exec"
	"gospark/engine/sql/plan"
)

// Row is one row collected to the driver: the values in column order, as
// bool, int32, int64, float64, string, arrow.Date32, arrow.Timestamp,
// []any or nil.
type Row []any

// Get returns value i.
func (r Row) Get(i int) any { return r[i] }

// Records runs the DataFrame and returns its batches in partition order;
// the caller releases them. It panics with the job's error on failure.
func (df *DataFrame) Records(ctx context.Context) []arrow.Record {
	parts, _, err := df.s.execute(ctx, df.plan)
	if err != nil {
		panic(err)
	}
	var out []arrow.Record
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// ToArrow runs the DataFrame and returns one Arrow record with all its
// rows; the caller releases it.
func (df *DataFrame) ToArrow() arrow.Record {
	recs := df.Records(context.Background())
	defer exec.ReleaseAll(recs)
	return exec.ConcatRecords(df.Schema(), recs)
}

// ToTable runs the DataFrame and returns its rows as an Arrow table.
func (df *DataFrame) ToTable() arrow.Table {
	recs := df.Records(context.Background())
	defer exec.ReleaseAll(recs)
	return array.NewTableFromRecords(df.Schema(), recs)
}

// Collect returns every row.
func (df *DataFrame) Collect() []Row {
	recs := df.Records(context.Background())
	defer exec.ReleaseAll(recs)
	var rows []Row
	for _, r := range recs {
		for i := 0; i < int(r.NumRows()); i++ {
			row := make(Row, r.NumCols())
			for c := range row {
				row[c] = exec.ValueAt(r.Column(c), i)
			}
			rows = append(rows, row)
		}
	}
	return rows
}

// Take returns the first n rows.
func (df *DataFrame) Take(n int) []Row { return df.Limit(n).Collect() }

// Head returns the first n rows (one when n is omitted).
func (df *DataFrame) Head(n ...int) []Row {
	k := 1
	if len(n) > 0 {
		k = n[0]
	}
	return df.Take(k)
}

// First returns the first row, or nil when there is none.
func (df *DataFrame) First() Row {
	rows := df.Take(1)
	if len(rows) == 0 {
		return nil
	}
	return rows[0]
}

// IsEmpty reports whether the DataFrame has no rows.
func (df *DataFrame) IsEmpty() bool { return len(df.Take(1)) == 0 }

// Count returns the number of rows.
func (df *DataFrame) Count() int64 {
	c, err := plan.ResolveCall(&plan.Call{Fn: "count"}, nil)
	check(err)
	agg := &plan.Aggregate{Child: df.plan, Aggs: []plan.Expr{&plan.Alias{X: c, Alias: "count", ID: plan.NewID()}}}
	rows := df.with(agg).Collect()
	return rows[0][0].(int64)
}

// CollectInto stores the rows into dst, a pointer to a slice of structs;
// fields match columns by a `spark:"name"` tag or by name
// (case-insensitive), and columns without a field are skipped.
func (df *DataFrame) CollectInto(dst any) {
	pv := reflect.ValueOf(dst)
	if pv.Kind() != reflect.Pointer || pv.Elem().Kind() != reflect.Slice {
		panic(&AnalysisError{Msg: fmt.Sprintf("CollectInto needs a pointer to a slice of structs, got %T", dst)})
	}
	sv := pv.Elem()
	et := sv.Type().Elem()
	isPtr := et.Kind() == reflect.Pointer
	st := et
	if isPtr {
		st = et.Elem()
	}
	if st.Kind() != reflect.Struct {
		panic(&AnalysisError{Msg: fmt.Sprintf("CollectInto needs a slice of structs, got %s", sv.Type())})
	}
	cols := df.Columns()
	fieldOf := make([]int, len(cols))
	for i, c := range cols {
		fieldOf[i] = -1
		for f := 0; f < st.NumField(); f++ {
			sf := st.Field(f)
			if !sf.IsExported() {
				continue
			}
			name := sf.Tag.Get("spark")
			if name == "" {
				name = sf.Name
			}
			if strings.EqualFold(name, c) {
				fieldOf[i] = f
			}
		}
	}
	for _, row := range df.Collect() {
		v := reflect.New(st).Elem()
		for i, f := range fieldOf {
			if f < 0 || row[i] == nil {
				continue
			}
			if err := assign(v.Field(f), row[i]); err != nil {
				panic(&AnalysisError{Msg: fmt.Sprintf("CollectInto: column %s into field %s: %v", cols[i], st.Field(f).Name, err)})
			}
		}
		if isPtr {
			sv.Set(reflect.Append(sv, v.Addr()))
		} else {
			sv.Set(reflect.Append(sv, v))
		}
	}
}

func assign(f reflect.Value, v any) error {
	switch x := v.(type) {
	case arrow.Date32:
		if f.Type() == reflect.TypeOf(time.Time{}) {
			f.Set(reflect.ValueOf(x.ToTime()))
			return nil
		}
	case arrow.Timestamp:
		if f.Type() == reflect.TypeOf(time.Time{}) {
			f.Set(reflect.ValueOf(time.UnixMicro(int64(x)).UTC()))
			return nil
		}
	}
	if f.Kind() == reflect.Pointer {
		p := reflect.New(f.Type().Elem())
		if err := assign(p.Elem(), v); err != nil {
			return err
		}
		f.Set(p)
		return nil
	}
	rv := reflect.ValueOf(v)
	if f.Kind() == reflect.String && rv.Kind() != reflect.String {
		f.SetString(exec.FormatValue(v, nil))
		return nil
	}
	if rv.Type().ConvertibleTo(f.Type()) && (rv.Kind() != reflect.String || f.Kind() == reflect.String) {
		f.Set(rv.Convert(f.Type()))
		return nil
	}
	if f.Kind() == reflect.Interface {
		f.Set(rv)
		return nil
	}
	return fmt.Errorf("cannot store %T in %s", v, f.Type())
}

// HeadStrings returns the first n rows rendered as show() renders cells,
// and whether there are more rows. Display front ends use it.
func (df *DataFrame) HeadStrings(n int) ([][]string, bool) {
	rows := df.Limit(n + 1).Collect()
	more := len(rows) > n
	if more {
		rows = rows[:n]
	}
	out := make([][]string, len(rows))
	out1 := df.plan.Output()
	for i, r := range rows {
		out[i] = make([]string, len(r))
		for c, v := range r {
			out[i][c] = exec.FormatValue(v, out1[c].T)
		}
	}
	return out, more
}

// ShowString renders n rows like Spark's show: a boxed table, cells longer
// than truncate characters cut (0: no cutting), numbers right-aligned.
func (df *DataFrame) ShowString(n int, truncate int) string {
	rows, more := df.HeadStrings(n)
	return formatTable(df.Columns(), rows, truncate, more, n)
}

func formatTable(header []string, rows [][]string, truncate int, more bool, n int) string {
	cut := func(s string) string {
		if truncate > 0 && utf8.RuneCountInString(s) > truncate {
			r := []rune(s)
			if truncate < 4 {
				return string(r[:truncate])
			}
			return string(r[:truncate-3]) + "..."
		}
		return s
	}
	widths := make([]int, len(header))
	cells := make([][]string, len(rows)+1)
	cells[0] = make([]string, len(header))
	for i, h := range header {
		cells[0][i] = cut(h)
	}
	for r, row := range rows {
		cells[r+1] = make([]string, len(row))
		for i, v := range row {
			cells[r+1][i] = cut(v)
		}
	}
	for _, row := range cells {
		for i, v := range row {
			widths[i] = max(widths[i], utf8.RuneCountInString(v), 3)
		}
	}
	var b strings.Builder
	sep := "+"
	for _, w := range widths {
		sep += strings.Repeat("-", w) + "+"
	}
	sep += "\n"
	line := func(row []string) {
		b.WriteString("|")
		for i, v := range row {
			pad := widths[i] - utf8.RuneCountInString(v)
			if truncate > 0 {
				b.WriteString(strings.Repeat(" ", pad) + v)
			} else {
				b.WriteString(v + strings.Repeat(" ", pad))
			}
			b.WriteString("|")
		}
		b.WriteString("\n")
	}
	b.WriteString(sep)
	line(cells[0])
	b.WriteString(sep)
	for _, row := range cells[1:] {
		line(row)
	}
	b.WriteString(sep)
	if more {
		if n == 1 {
			b.WriteString("only showing top 1 row\n")
		} else {
			fmt.Fprintf(&b, "only showing top %d rows\n", n)
		}
	}
	return b.String()
}

// Show prints the first 20 rows (or n) as a table, like Spark.
func (df *DataFrame) Show(n ...int) {
	k := 20
	if len(n) > 0 {
		k = n[0]
	}
	fmt.Print(df.ShowString(k, 20))
}

// Rows returns the first n rows rendered as show() renders cells, whether
// there are more, and the error of the job or of the plan instead of a
// panic. With Columns it makes a DataFrame a display.Tabular.
func (df *DataFrame) Rows(n int) (rows [][]string, more bool, err error) {
	defer func() {
		if r := recover(); r != nil {
			e, ok := r.(error)
			if !ok {
				panic(r)
			}
			err = e
		}
	}()
	rows, more = df.HeadStrings(n)
	return rows, more, nil
}
