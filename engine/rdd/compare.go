package rdd

import (
	"cmp"
	"fmt"
	"reflect"
	"time"
)

// Compare orders two values for sorting: numbers numerically (ints and
// floats together), strings bytewise, false before true, times by instant,
// Pairs by key then value, slices, arrays and structs element by element.
// nil sorts first. Values of unrelated types order by type name, so that any
// mix sorts deterministically.
func Compare(a, b any) int {
	switch x := a.(type) {
	case int:
		if y, ok := b.(int); ok {
			return cmp.Compare(x, y)
		}
	case string:
		if y, ok := b.(string); ok {
			return cmp.Compare(x, y)
		}
	case float64:
		if y, ok := b.(float64); ok {
			return cmp.Compare(x, y)
		}
	case int64:
		if y, ok := b.(int64); ok {
			return cmp.Compare(x, y)
		}
	case Pair:
		if y, ok := b.(Pair); ok {
			if c := Compare(x.Key, y.Key); c != 0 {
				return c
			}
			return Compare(x.Value, y.Value)
		}
	case time.Time:
		if y, ok := b.(time.Time); ok {
			return x.Compare(y)
		}
	}
	if a == nil || b == nil {
		switch {
		case a == nil && b == nil:
			return 0
		case a == nil:
			return -1
		}
		return 1
	}
	return compareValues(reflect.ValueOf(a), reflect.ValueOf(b))
}

type numKind int

const (
	notNum numKind = iota
	signed
	unsigned
	float
)

func kindOf(v reflect.Value) numKind {
	switch v.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return signed
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return unsigned
	case reflect.Float32, reflect.Float64:
		return float
	}
	return notNum
}

func compareValues(a, b reflect.Value) int {
	ka, kb := kindOf(a), kindOf(b)
	if ka != notNum && kb != notNum {
		switch {
		case ka == signed && kb == signed:
			return cmp.Compare(a.Int(), b.Int())
		case ka == unsigned && kb == unsigned:
			return cmp.Compare(a.Uint(), b.Uint())
		}
		return cmp.Compare(toFloat(a), toFloat(b))
	}
	if a.Type() != b.Type() {
		if a.Kind() == reflect.Interface || b.Kind() == reflect.Interface {
			return Compare(valueOrNil(a), valueOrNil(b))
		}
		return cmp.Compare(a.Type().String(), b.Type().String())
	}
	switch a.Kind() {
	case reflect.String:
		return cmp.Compare(a.String(), b.String())
	case reflect.Bool:
		switch {
		case a.Bool() == b.Bool():
			return 0
		case !a.Bool():
			return -1
		}
		return 1
	case reflect.Slice, reflect.Array:
		for i := 0; i < a.Len() && i < b.Len(); i++ {
			if c := compareValues(a.Index(i), b.Index(i)); c != 0 {
				return c
			}
		}
		return cmp.Compare(a.Len(), b.Len())
	case reflect.Struct:
		if t, ok := a.Interface().(time.Time); ok {
			return t.Compare(b.Interface().(time.Time))
		}
		for i := 0; i < a.NumField(); i++ {
			if c := compareValues(a.Field(i), b.Field(i)); c != 0 {
				return c
			}
		}
		return 0
	case reflect.Interface, reflect.Pointer:
		if a.IsNil() || b.IsNil() {
			return cmp.Compare(boolInt(!a.IsNil()), boolInt(!b.IsNil()))
		}
		return compareValues(a.Elem(), b.Elem())
	}
	panic(&UsageError{Op: "sort", Msg: fmt.Sprintf("values of type %v cannot be ordered", a.Type())})
}

func valueOrNil(v reflect.Value) any {
	if v.Kind() == reflect.Interface && v.IsNil() {
		return nil
	}
	if v.Kind() == reflect.Interface {
		return v.Elem().Interface()
	}
	return v.Interface()
}

func toFloat(v reflect.Value) float64 {
	switch kindOf(v) {
	case signed:
		return float64(v.Int())
	case unsigned:
		return float64(v.Uint())
	}
	return v.Float()
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
