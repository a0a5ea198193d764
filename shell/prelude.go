package shell

import (
	"sort"
	"strings"
)

// The prelude fills gaps of the interpreter's Go (it stops at Go 1.22's
// library and lacks the built-in min and max) with small generic helpers.
// Each is compiled the first time a cell uses its name, so that starting a
// session costs nothing for helpers nobody calls.

// helper is one prelude declaration.
type helper struct {
	// doc is the signature and the sentence shown by :help and Inspect.
	doc string
	// src is the declaration.
	src string
	// imports are the packages src uses.
	imports []string
}

var prelude = map[string]helper{
	"min": {
		doc: "func min[T cmp.Ordered](x T, y ...T) T\n\nmin returns the smallest of its arguments, like Go's built-in min.",
		src: `func min[T cmp.Ordered](x T, y ...T) T {
	for _, v := range y {
		if v < x {
			x = v
		}
	}
	return x
}`,
		imports: []string{"cmp"},
	},
	"max": {
		doc: "func max[T cmp.Ordered](x T, y ...T) T\n\nmax returns the largest of its arguments, like Go's built-in max.",
		src: `func max[T cmp.Ordered](x T, y ...T) T {
	for _, v := range y {
		if v > x {
			x = v
		}
	}
	return x
}`,
		imports: []string{"cmp"},
	},
	"Keys": {
		doc: "func Keys[K comparable, V any](m map[K]V) []K\n\nKeys returns the keys of m in no particular order (maps.Keys returns an iterator in Go 1.23, which the interpreter lacks).",
		src: `func Keys[K comparable, V any](m map[K]V) []K {
	out := make([]K, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}`,
	},
	"Values": {
		doc: "func Values[K comparable, V any](m map[K]V) []V\n\nValues returns the values of m in no particular order.",
		src: `func Values[K comparable, V any](m map[K]V) []V {
	out := make([]V, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	return out
}`,
	},
	"Sorted": {
		doc: "func Sorted[T cmp.Ordered](xs []T) []T\n\nSorted returns a sorted copy of xs (slices.Sort is missing from the interpreter).",
		src: `func Sorted[T cmp.Ordered](xs []T) []T {
	out := append([]T(nil), xs...)
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}`,
		imports: []string{"cmp", "sort"},
	},
	"SortBy": {
		doc: "func SortBy[T any](xs []T, less func(a, b T) bool) []T\n\nSortBy returns a copy of xs sorted by less.",
		src: `func SortBy[T any](xs []T, less func(a, b T) bool) []T {
	out := append([]T(nil), xs...)
	sort.SliceStable(out, func(i, j int) bool { return less(out[i], out[j]) })
	return out
}`,
		imports: []string{"sort"},
	},
	"Sum": {
		doc: "func Sum[T cmp.Ordered](xs []T) T\n\nSum returns the sum of xs (numbers, or the concatenation of strings).",
		src: `func Sum[T cmp.Ordered](xs []T) T {
	var s T
	for _, x := range xs {
		s += x
	}
	return s
}`,
		imports: []string{"cmp"},
	},
	"MapSlice": {
		doc: "func MapSlice[T, U any](xs []T, f func(T) U) []U\n\nMapSlice returns f applied to each element of xs.",
		src: `func MapSlice[T, U any](xs []T, f func(T) U) []U {
	out := make([]U, len(xs))
	for i, x := range xs {
		out[i] = f(x)
	}
	return out
}`,
	},
	"FilterSlice": {
		doc: "func FilterSlice[T any](xs []T, keep func(T) bool) []T\n\nFilterSlice returns the elements of xs for which keep is true.",
		src: `func FilterSlice[T any](xs []T, keep func(T) bool) []T {
	var out []T
	for _, x := range xs {
		if keep(x) {
			out = append(out, x)
		}
	}
	return out
}`,
	},
}

// preludeNames lists the helpers users can call, sorted.
func preludeNames() []string {
	var out []string
	for name := range prelude {
		if !strings.HasPrefix(name, hiddenPrefix) {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// helperChunk compiles a prelude helper, numbered as cell 0.
func (s *Session) helperChunk(name string) chunk {
	h := prelude[name]
	base := s.lines.add(0, h.src)
	sb := &srcBuilder{cell: h.src, base: base}
	sb.orig(0, len(h.src))
	return chunk{decl: true, src: declPrefix + sb.String(), pos: cellPos{Cell: 0, Line: 1}, after: func() {
		s.mu.Lock()
		s.defined[name] = true
		s.mu.Unlock()
	}}
}
