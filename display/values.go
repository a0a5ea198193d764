package display

import (
	"fmt"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Values returns a Table of plain Go values, such as the result of
// rdd.Collect(), so that they show like a DataFrame.
//
// v is usually a slice or array (of any element type, []any included). Its
// elements, with pointers and interfaces looked through, decide the
// columns:
//   - structs with exported fields (key/value pairs among them) give one
//     column per exported field, named after it, in order of first
//     appearance when the elements are of several struct types;
//   - maps give one column per key, the keys of all elements sorted;
//   - slices and arrays (tuples) give columns _1, _2, ... as Spark names
//     tuple fields;
//   - anything else, or a mix of shapes, gives the single column "value".
//
// A nil element, or a column an element lacks, shows as null. A map v gives
// the columns key and value with one row per entry, sorted by key. Any
// other v is a single value. Cells are formatted with FormatCell.
func Values(v any) *Table {
	rv := deref(reflect.ValueOf(v))
	switch {
	case !rv.IsValid():
		return &Table{Header: []string{"value"}}
	case isBytes(rv):
		return table1([]reflect.Value{rv})
	case rv.Kind() == reflect.Slice || rv.Kind() == reflect.Array:
		elems := make([]reflect.Value, rv.Len())
		for i := range elems {
			elems[i] = deref(rv.Index(i))
		}
		return table1(elems)
	case rv.Kind() == reflect.Map:
		t := &Table{Header: []string{"key", "value"}}
		for _, k := range sortedKeys(rv) {
			t.Cells = append(t.Cells, []string{formatValue(k, 0), formatValue(rv.MapIndex(k), 0)})
		}
		return t
	}
	return table1([]reflect.Value{rv})
}

// table1 lays out elements (already dereferenced; invalid means nil) as
// described at Values.
func table1(elems []reflect.Value) *Table {
	shape := reflect.Invalid
	for _, e := range elems {
		if !e.IsValid() {
			continue
		}
		k := e.Kind()
		switch {
		case k == reflect.Struct && len(exportedFields(e.Type())) > 0:
		case k == reflect.Map:
		case (k == reflect.Slice || k == reflect.Array) && !isBytes(e):
			k = reflect.Slice
		default:
			k = reflect.String // a scalar
		}
		if shape == reflect.Invalid {
			shape = k
		} else if shape != k {
			shape = reflect.String
		}
	}
	t := &Table{}
	switch shape {
	case reflect.Struct:
		cols, index := structColumns(elems)
		t.Header = cols
		for _, e := range elems {
			row := nullRow(len(cols))
			if e.IsValid() {
				for _, f := range exportedFields(e.Type()) {
					row[index[f.Name]] = formatValue(e.FieldByIndex(f.Index), 0)
				}
			}
			t.Cells = append(t.Cells, row)
		}
	case reflect.Map:
		keys := unionKeys(elems)
		for _, k := range keys {
			t.Header = append(t.Header, formatValue(k, 0))
		}
		for _, e := range elems {
			row := nullRow(len(keys))
			for i, k := range keys {
				if e.IsValid() && k.Type().AssignableTo(e.Type().Key()) {
					if v := e.MapIndex(k); v.IsValid() {
						row[i] = formatValue(v, 0)
					}
				}
			}
			t.Cells = append(t.Cells, row)
		}
	case reflect.Slice:
		n := 0
		for _, e := range elems {
			if e.IsValid() {
				n = max(n, e.Len())
			}
		}
		for i := range n {
			t.Header = append(t.Header, "_"+strconv.Itoa(i+1))
		}
		for _, e := range elems {
			row := nullRow(n)
			for i := 0; e.IsValid() && i < e.Len(); i++ {
				row[i] = formatValue(e.Index(i), 0)
			}
			t.Cells = append(t.Cells, row)
		}
	default:
		t.Header = []string{"value"}
		for _, e := range elems {
			t.Cells = append(t.Cells, []string{formatValue(e, 0)})
		}
	}
	return t
}

func nullRow(n int) []string {
	row := make([]string, n)
	for i := range row {
		row[i] = "null"
	}
	return row
}

// exportedFields returns the exported top-level fields of a struct type.
func exportedFields(t reflect.Type) []reflect.StructField {
	var out []reflect.StructField
	for i := range t.NumField() {
		if f := t.Field(i); f.IsExported() {
			out = append(out, f)
		}
	}
	return out
}

// structColumns returns the union of the exported field names of the
// struct elements, in order of first appearance, and each name's column.
func structColumns(elems []reflect.Value) ([]string, map[string]int) {
	var cols []string
	index := map[string]int{}
	seen := map[reflect.Type]bool{}
	for _, e := range elems {
		if !e.IsValid() || seen[e.Type()] {
			continue
		}
		seen[e.Type()] = true
		for _, f := range exportedFields(e.Type()) {
			if _, ok := index[f.Name]; !ok {
				index[f.Name] = len(cols)
				cols = append(cols, f.Name)
			}
		}
	}
	return cols, index
}

// unionKeys returns the keys of all map elements, without repeats (by
// formatted text), sorted.
func unionKeys(elems []reflect.Value) []reflect.Value {
	var keys []reflect.Value
	seen := map[string]bool{}
	for _, e := range elems {
		if !e.IsValid() {
			continue
		}
		for _, k := range e.MapKeys() {
			if s := formatValue(k, 0); !seen[s] {
				seen[s] = true
				keys = append(keys, k)
			}
		}
	}
	sort.SliceStable(keys, func(i, j int) bool { return lessValue(keys[i], keys[j]) })
	return keys
}

func sortedKeys(m reflect.Value) []reflect.Value {
	keys := m.MapKeys()
	sort.SliceStable(keys, func(i, j int) bool { return lessValue(keys[i], keys[j]) })
	return keys
}

// lessValue orders numbers by value, strings lexically and anything else
// by its formatted text.
func lessValue(a, b reflect.Value) bool {
	a, b = deref(a), deref(b)
	if a.IsValid() && b.IsValid() {
		switch {
		case a.CanInt() && b.CanInt():
			return a.Int() < b.Int()
		case a.CanUint() && b.CanUint():
			return a.Uint() < b.Uint()
		case a.CanFloat() && b.CanFloat():
			return a.Float() < b.Float()
		case a.Kind() == reflect.String && b.Kind() == reflect.String:
			return a.String() < b.String()
		}
	}
	return formatValue(a, 0) < formatValue(b, 0)
}

// deref looks through pointers and interfaces; a nil one gives the invalid
// Value.
func deref(v reflect.Value) reflect.Value {
	for v.IsValid() && (v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface) {
		if v.IsNil() {
			return reflect.Value{}
		}
		v = v.Elem()
	}
	return v
}

func isBytes(v reflect.Value) bool {
	return (v.Kind() == reflect.Slice || v.Kind() == reflect.Array) && v.Type().Elem().Kind() == reflect.Uint8
}

// FormatCell formats one Go value as text for a table cell, following the
// way Spark casts a value to a string for show():
//   - nil, a nil pointer or a nil interface is "null";
//   - a []byte is upper-case hex bytes in brackets, "[31 32]";
//   - a float is written like Java's Double.toString: 1.0, 0.25, 1.0E10,
//     NaN, Infinity;
//   - a time.Time is "2006-01-02 15:04:05" with a fraction when it has one;
//   - an error or fmt.Stringer is its Error() or String();
//   - a slice or array is "[a, b, c]", a map "{k1 -> v1, k2 -> v2}" with
//     sorted keys, a struct "{f1, f2}", each element formatted alike;
//   - anything else is formatted by fmt's %v.
func FormatCell(v any) string {
	return formatValue(reflect.ValueOf(v), 0)
}

// maxDepth bounds the nesting FormatCell follows, so that cyclic values
// end.
const maxDepth = 8

func formatValue(v reflect.Value, depth int) string {
	if !v.IsValid() {
		return "null"
	}
	if depth > maxDepth {
		return "..."
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface, reflect.Func, reflect.Chan:
		if v.IsNil() {
			return "null"
		}
	}
	if v.CanInterface() {
		switch x := v.Interface().(type) {
		case time.Time:
			return x.Format("2006-01-02 15:04:05.999999999")
		case error:
			return x.Error()
		case fmt.Stringer:
			return fmt.Sprint(x)
		}
	}
	if isBytes(v) {
		parts := make([]string, v.Len())
		for i := range parts {
			parts[i] = fmt.Sprintf("%02X", v.Index(i).Uint())
		}
		return "[" + strings.Join(parts, " ") + "]"
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		return formatValue(v.Elem(), depth+1)
	case reflect.String:
		return v.String()
	case reflect.Bool:
		return strconv.FormatBool(v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(v.Int(), 10)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return strconv.FormatUint(v.Uint(), 10)
	case reflect.Float32:
		return javaFloat(v.Float(), 32)
	case reflect.Float64:
		return javaFloat(v.Float(), 64)
	case reflect.Slice, reflect.Array:
		parts := make([]string, v.Len())
		for i := range parts {
			parts[i] = formatValue(v.Index(i), depth+1)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case reflect.Map:
		keys := sortedKeys(v)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = formatValue(k, depth+1) + " -> " + formatValue(v.MapIndex(k), depth+1)
		}
		return "{" + strings.Join(parts, ", ") + "}"
	case reflect.Struct:
		parts := make([]string, v.NumField())
		for i := range parts {
			parts[i] = formatValue(v.Field(i), depth+1)
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	if v.CanInterface() {
		return fmt.Sprint(v.Interface())
	}
	return v.String()
}

// javaFloat formats f like Java's Double.toString (Float.toString when bits
// is 32), which is what Spark shows for double and float columns: plain
// decimal with at least one fractional digit for magnitudes in [1e-3, 1e7),
// computerized scientific notation ("1.0E10", "1.5E-4") otherwise.
func javaFloat(f float64, bits int) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	case f == 0:
		if math.Signbit(f) {
			return "-0.0"
		}
		return "0.0"
	}
	if a := math.Abs(f); a >= 1e-3 && a < 1e7 {
		s := strconv.FormatFloat(f, 'f', -1, bits)
		if !strings.Contains(s, ".") {
			s += ".0"
		}
		return s
	}
	s := strconv.FormatFloat(f, 'E', -1, bits)
	mant, exp, _ := strings.Cut(s, "E")
	if !strings.Contains(mant, ".") {
		mant += ".0"
	}
	e, _ := strconv.Atoi(exp)
	return mant + "E" + strconv.Itoa(e)
}
