package shell

import (
	"fmt"
	"reflect"
	"strings"

	"gospark/display"
)

// Result is what a cell evaluated to.
type Result struct {
	// Cell is the cell's number: 1 for the session's first Eval, and so on.
	Cell int
	// HasValue reports whether the cell ended with an expression that has a
	// value; a cell ending in a statement, a declaration or a call of a
	// func without results has none.
	HasValue bool
	// Value is the value of the cell's last expression. When that
	// expression is a call with several results ending in an error, Value is
	// the first result if the error is nil; otherwise it is Values.
	Value any
	// Values holds every result of the last expression.
	Values []any
	// Text renders Value for a terminal: what the shell prints.
	Text string
	// Data is the value's rich rendering (an HTML table, a plot) when
	// display.Render has one for it.
	Data *display.Data
}

// maxTextLen bounds Text; longer renderings are cut with a note.
const maxTextLen = 20000

// maxElems bounds how many elements of a slice, array or map are rendered.
const maxElems = 1000

// newResult builds the result of a cell whose last expression gave vs.
// With rich set (a front end that shows rich output, the kernel) the value
// also gets its display bundle. Without it a table-like value (a DataFrame)
// prints as its schema, as in PySpark, and no job runs to fetch its rows.
func newResult(cell int, vs []any, rich bool) Result {
	r := Result{Cell: cell, HasValue: true, Values: vs}
	n := len(vs)
	switch {
	case n == 1:
		r.Value = vs[0]
	case n == 2 && vs[1] == nil:
		r.Value = vs[0]
	case n > 2 && vs[n-1] == nil:
		r.Value = vs[:n-1]
		r.Text = formatTuple(vs[:n-1])
		return r
	default:
		r.Value = vs
		r.Text = formatTuple(vs)
		return r
	}
	if _, table := r.Value.(display.Tabular); table && !rich {
		r.Text = FormatValue(r.Value)
		return r
	}
	if d, ok := display.Render(r.Value); ok {
		r.Data = &d
		r.Text = d.String()
	} else {
		r.Text = FormatValue(r.Value)
	}
	return r
}

// formatTuple renders several results: "(0, strconv.Atoi: parsing ...)".
func formatTuple(vs []any) string {
	parts := make([]string, len(vs))
	for i, v := range vs {
		parts[i] = FormatValue(v)
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

// FormatValue renders a value the way the shell prints results: strings
// quoted when they fit on one line and verbatim otherwise, structs with
// field names, nil as <nil>, and long slices and maps cut after 1000
// elements.
func FormatValue(v any) string {
	var s string
	switch x := v.(type) {
	case nil:
		return "<nil>"
	case string:
		if strings.Contains(x, "\n") {
			s = x
		} else {
			s = fmt.Sprintf("%q", x)
		}
	case error:
		s = x.Error()
	case fmt.Stringer:
		s = safeString(x)
	case interface{ DTypes() [][2]string }:
		s = schemaText(x)
	default:
		s = formatReflect(reflect.ValueOf(v))
	}
	if len(s) > maxTextLen {
		s = s[:maxTextLen] + fmt.Sprintf("… (%d more bytes)", len(s)-maxTextLen)
	}
	return s
}

// safeString calls String, which user or engine code may make panic.
func safeString(x fmt.Stringer) (s string) {
	defer func() {
		if r := recover(); r != nil {
			s = fmt.Sprintf("<String panicked: %v>", r)
		}
	}()
	return x.String()
}

func formatReflect(v reflect.Value) string {
	switch v.Kind() {
	case reflect.Slice, reflect.Array:
		if v.Len() > maxElems {
			head := v.Slice(0, maxElems)
			if v.Kind() == reflect.Array {
				head = reflect.ValueOf(sliceOfArray(v, maxElems))
			}
			s := fmt.Sprintf("%+v", head.Interface())
			return strings.TrimSuffix(s, "]") + fmt.Sprintf(" … (%d more)]", v.Len()-maxElems)
		}
	case reflect.Map:
		if v.Len() > maxElems {
			return fmt.Sprintf("map with %d entries: %s …]", v.Len(), strings.TrimSuffix(formatMapHead(v), "]"))
		}
	}
	return unexportNames(fmt.Sprintf("%+v", v.Interface()), v.Type())
}

// unexportNames gives the lowercase fields of structs declared in cells
// back their names in %+v output: yaegi exports them with an X prefix
// ({Xname:ann} shows as {name:ann}).
func unexportNames(s string, t reflect.Type) string {
	names := map[string]bool{}
	seen := map[reflect.Type]bool{}
	var walk func(reflect.Type)
	walk = func(t reflect.Type) {
		if t == nil || seen[t] {
			return
		}
		seen[t] = true
		switch t.Kind() {
		case reflect.Pointer, reflect.Slice, reflect.Array, reflect.Chan:
			walk(t.Elem())
		case reflect.Map:
			walk(t.Key())
			walk(t.Elem())
		case reflect.Struct:
			for i := 0; i < t.NumField(); i++ {
				f := t.Field(i)
				if t.PkgPath() == "" && t.Name() == "" && len(f.Name) > 1 && f.Name[0] == 'X' && isLower(f.Name[1:]) {
					names[f.Name] = true
				}
				walk(f.Type)
			}
		}
	}
	walk(t)
	for n := range names {
		s = strings.ReplaceAll(s, n+":", n[1:]+":")
	}
	return s
}

func sliceOfArray(v reflect.Value, n int) []any {
	out := make([]any, n)
	for i := range out {
		out[i] = v.Index(i).Interface()
	}
	return out
}

// formatMapHead renders maxElems entries of a big map.
func formatMapHead(v reflect.Value) string {
	m := reflect.MakeMapWithSize(v.Type(), maxElems)
	it := v.MapRange()
	for i := 0; i < maxElems && it.Next(); i++ {
		m.SetMapIndex(it.Key(), it.Value())
	}
	return fmt.Sprintf("%+v", m.Interface())
}

// schemaText renders a DataFrame (anything with DTypes) as PySpark's repr
// does, "DataFrame[name: string, age: bigint]", without running a job.
func schemaText(x interface{ DTypes() [][2]string }) (s string) {
	defer func() {
		if r := recover(); r != nil {
			s = fmt.Sprintf("<DTypes panicked: %v>", r)
		}
	}()
	var parts []string
	for _, d := range x.DTypes() {
		parts = append(parts, d[0]+": "+d[1])
	}
	return "DataFrame[" + strings.Join(parts, ", ") + "]"
}
