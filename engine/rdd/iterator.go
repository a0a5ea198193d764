package rdd

// Iterator yields the elements of one partition: each call returns the next
// element and true, or nil and false at the end. Iterators are pulled by one
// goroutine, the task's.
type Iterator func() (any, bool)

// SliceIterator returns an Iterator over xs. It does not change xs, which
// may be a cached block shared by several tasks.
func SliceIterator(xs []any) Iterator {
	i := 0
	return func() (any, bool) {
		if i >= len(xs) {
			return nil, false
		}
		i++
		return xs[i-1], true
	}
}

// Drain pulls every element of it into a slice.
func Drain(it Iterator) []any {
	var out []any
	for x, ok := it(); ok; x, ok = it() {
		out = append(out, x)
	}
	return out
}

// Empty is an Iterator with no elements.
func Empty() (any, bool) { return nil, false }
