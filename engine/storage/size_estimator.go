package storage

import "reflect"

// EstimateSize estimates the memory held by values, in bytes, by measuring
// up to 64 evenly spaced samples and scaling. It follows pointers, slices,
// maps, strings and interfaces; shared memory is counted once per reference.
func EstimateSize(values []any) int64 {
	n := len(values)
	size := int64(24 + 16*n) // the slice and its interface headers
	if n == 0 {
		return size
	}
	samples := min(n, 64)
	var sampled int64
	for i := 0; i < samples; i++ {
		v := values[i*n/samples]
		if v != nil {
			sampled += deepSize(reflect.ValueOf(v), 4)
		}
	}
	return size + sampled*int64(n)/int64(samples)
}

// deepSize returns the bytes v occupies beyond its header, following
// references depth levels deep (deeper references count as pointers).
func deepSize(v reflect.Value, depth int) int64 {
	t := v.Type()
	base := int64(t.Size())
	if depth == 0 {
		return base
	}
	switch v.Kind() {
	case reflect.String:
		return base + int64(v.Len())
	case reflect.Slice:
		if v.IsNil() {
			return base
		}
		elem := t.Elem()
		total := base + int64(v.Cap())*int64(elem.Size())
		if hasRefs(elem) {
			m := min(v.Len(), 16)
			var extra int64
			for i := 0; i < m; i++ {
				extra += deepSize(v.Index(i), depth-1) - int64(elem.Size())
			}
			if m > 0 {
				total += extra * int64(v.Len()) / int64(m)
			}
		}
		return total
	case reflect.Map:
		if v.IsNil() {
			return base
		}
		total := base + int64(v.Len())*int64(t.Key().Size()+t.Elem().Size()+8)
		it := v.MapRange()
		m := 0
		for it.Next() && m < 16 {
			total += (deepSize(it.Key(), depth-1) - int64(t.Key().Size()) + deepSize(it.Value(), depth-1) - int64(t.Elem().Size())) * int64(max(v.Len()/16, 1))
			m++
		}
		return total
	case reflect.Pointer:
		if v.IsNil() {
			return base
		}
		return base + deepSize(v.Elem(), depth-1)
	case reflect.Interface:
		if v.IsNil() {
			return base
		}
		return base + deepSize(v.Elem(), depth-1)
	case reflect.Struct:
		total := base
		for i := 0; i < v.NumField(); i++ {
			f := v.Field(i)
			total += deepSize(f, depth) - int64(f.Type().Size())
		}
		return total
	case reflect.Array:
		total := base
		if hasRefs(t.Elem()) {
			for i := 0; i < v.Len(); i++ {
				total += deepSize(v.Index(i), depth) - int64(t.Elem().Size())
			}
		}
		return total
	}
	return base
}

func hasRefs(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.String, reflect.Slice, reflect.Map, reflect.Pointer, reflect.Interface:
		return true
	case reflect.Struct:
		for i := 0; i < t.NumField(); i++ {
			if hasRefs(t.Field(i).Type) {
				return true
			}
		}
	case reflect.Array:
		return hasRefs(t.Elem())
	}
	return false
}
