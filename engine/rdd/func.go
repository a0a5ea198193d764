package rdd

import (
	"fmt"
	"reflect"
)

// A Func is a user function that an operator has checked and adapted. The
// check happens when the transformation is built, so a func of the wrong
// shape fails at the call that passed it, with a message that names the
// operator and the call site, never inside a task.
//
// Adapters take the common signatures (func(int) int, func(string) []string,
// func(string) (string, int), func(int, int) int, …) through a type switch at
// a few nanoseconds per call, and every other signature through reflection.
type Func struct {
	// Op is the operator the func was passed to, e.g. "Map".
	Op string
	// Site is where the operator was called, e.g. "cell 3:1" or "wc.go:12".
	Site string
	// Type is the func's type.
	Type reflect.Type

	value reflect.Value
}

// String names the func for error messages: "func(int) int passed to Map at cell 3:1".
func (f *Func) String() string {
	if f.Site == "" {
		return fmt.Sprintf("%v passed to %s", f.Type, f.Op)
	}
	return fmt.Sprintf("%v passed to %s at %s", f.Type, f.Op, f.Site)
}

// checkFunc returns f as a Func after checking that it is a func with
// nIn arguments; nOut lists the accepted numbers of results.
func (r *RDD) checkFunc(op string, f any, nIn int, nOut ...int) *Func {
	if f == nil {
		panic(usagef(op, r.site(), "the func is nil"))
	}
	v := reflect.ValueOf(f)
	t := v.Type()
	if t.Kind() != reflect.Func {
		panic(usagef(op, r.site(), "needs a func, got %v", t))
	}
	if t.IsVariadic() || t.NumIn() != nIn {
		panic(usagef(op, r.site(), "the func %v takes %d argument%s; %s needs a func of %s", t, t.NumIn(), plural(t.NumIn()), op, argWords(nIn)))
	}
	okOut := false
	for _, n := range nOut {
		okOut = okOut || t.NumOut() == n
	}
	if !okOut {
		want := fmt.Sprint(nOut[0])
		if len(nOut) > 1 {
			want = fmt.Sprintf("%d or %d", nOut[0], nOut[1])
		}
		panic(usagef(op, r.site(), "the func %v returns %d result%s; %s needs %s", t, t.NumOut(), plural(t.NumOut()), op, want))
	}
	return &Func{Op: op, Site: r.ctx.CallSite(), Type: t, value: v}
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func argWords(n int) string {
	switch n {
	case 1:
		return "one argument"
	case 2:
		return "two arguments"
	}
	return fmt.Sprintf("%d arguments", n)
}

// checkArg verifies that values of type have (nil: unknown) can be passed as
// argument i of f.
func (f *Func) checkArg(r *RDD, i int, have reflect.Type, what string) {
	if have == nil {
		return
	}
	want := f.Type.In(i)
	if have.AssignableTo(want) {
		return
	}
	panic(usagef(f.Op, r.site(), "the func %v takes %v but %s %v", f.Type, want, what, have))
}

// checkResult verifies that result i of f can be used where values of type
// want are expected (e.g. a reduce func must return its argument type).
func (f *Func) checkResult(r *RDD, i int, want reflect.Type, what string) {
	got := f.Type.Out(i)
	if got.AssignableTo(want) {
		return
	}
	panic(usagef(f.Op, r.site(), "the func %v returns %v but %s %v", f.Type, got, what, want))
}

// in converts an element to argument i of f.
func (f *Func) in(i int, x any) reflect.Value {
	t := f.Type.In(i)
	if x == nil {
		return reflect.Zero(t)
	}
	v := reflect.ValueOf(x)
	if v.Type() == t || v.Type().AssignableTo(t) {
		return v
	}
	panic(&TypeMismatchError{Func: f, Want: t, Got: v.Type(), Value: x})
}

func (f *Func) call(args ...reflect.Value) []reflect.Value { return f.value.Call(args) }

// arg asserts x to T for a typed fast path, with the same errors as the
// reflective path.
func arg[T any](f *Func, x any) T {
	if v, ok := x.(T); ok {
		return v
	}
	if x == nil {
		var zero T
		return zero
	}
	panic(&TypeMismatchError{Func: f, Want: reflect.TypeFor[T](), Got: reflect.TypeOf(x), Value: x})
}

// fn1 adapts a func of one argument and one result.
func (f *Func) fn1() func(any) any {
	switch g := f.value.Interface().(type) {
	case func(any) any:
		return g
	case func(int) int:
		return func(x any) any { return g(arg[int](f, x)) }
	case func(int) string:
		return func(x any) any { return g(arg[int](f, x)) }
	case func(int) float64:
		return func(x any) any { return g(arg[int](f, x)) }
	case func(int) bool:
		return func(x any) any { return g(arg[int](f, x)) }
	case func(string) string:
		return func(x any) any { return g(arg[string](f, x)) }
	case func(string) int:
		return func(x any) any { return g(arg[string](f, x)) }
	case func(string) any:
		return func(x any) any { return g(arg[string](f, x)) }
	case func(float64) float64:
		return func(x any) any { return g(arg[float64](f, x)) }
	case func(Pair) any:
		return func(x any) any { return g(arg[Pair](f, x)) }
	case func(Pair) Pair:
		return func(x any) any { return g(arg[Pair](f, x)) }
	case func(Pair) int:
		return func(x any) any { return g(arg[Pair](f, x)) }
	case func(Pair) string:
		return func(x any) any { return g(arg[Pair](f, x)) }
	case func(any) int:
		return func(x any) any { return g(x) }
	case func(any) string:
		return func(x any) any { return g(x) }
	}
	return func(x any) any { return f.call(f.in(0, x))[0].Interface() }
}

// fn1Pair adapts a func of one argument and two results into one that
// returns a Pair.
func (f *Func) fn1Pair() func(any) any {
	switch g := f.value.Interface().(type) {
	case func(any) (any, any):
		return func(x any) any { k, v := g(x); return Pair{k, v} }
	case func(string) (string, int):
		return func(x any) any { k, v := g(arg[string](f, x)); return Pair{k, v} }
	case func(string) (string, string):
		return func(x any) any { k, v := g(arg[string](f, x)); return Pair{k, v} }
	case func(string) (string, any):
		return func(x any) any { k, v := g(arg[string](f, x)); return Pair{k, v} }
	case func(int) (int, int):
		return func(x any) any { k, v := g(arg[int](f, x)); return Pair{k, v} }
	case func(string) (int, string):
		return func(x any) any { k, v := g(arg[string](f, x)); return Pair{k, v} }
	case func(int) (string, int):
		return func(x any) any { k, v := g(arg[int](f, x)); return Pair{k, v} }
	}
	return func(x any) any {
		out := f.call(f.in(0, x))
		return Pair{out[0].Interface(), out[1].Interface()}
	}
}

// fnBool adapts a predicate.
func (f *Func) fnBool() func(any) bool {
	switch g := f.value.Interface().(type) {
	case func(any) bool:
		return g
	case func(int) bool:
		return func(x any) bool { return g(arg[int](f, x)) }
	case func(string) bool:
		return func(x any) bool { return g(arg[string](f, x)) }
	case func(float64) bool:
		return func(x any) bool { return g(arg[float64](f, x)) }
	case func(Pair) bool:
		return func(x any) bool { return g(arg[Pair](f, x)) }
	}
	return func(x any) bool { return f.call(f.in(0, x))[0].Bool() }
}

// fn2 adapts a func of two arguments and one result (reduce, fold, merge).
func (f *Func) fn2() func(any, any) any {
	switch g := f.value.Interface().(type) {
	case func(any, any) any:
		return g
	case func(int, int) int:
		return func(a, b any) any { return g(arg[int](f, a), arg[int](f, b)) }
	case func(int64, int64) int64:
		return func(a, b any) any { return g(arg[int64](f, a), arg[int64](f, b)) }
	case func(float64, float64) float64:
		return func(a, b any) any { return g(arg[float64](f, a), arg[float64](f, b)) }
	case func(string, string) string:
		return func(a, b any) any { return g(arg[string](f, a), arg[string](f, b)) }
	}
	return func(a, b any) any { return f.call(f.in(0, a), f.in(1, b))[0].Interface() }
}

// fnSlice adapts a func of one argument that returns a slice; the adapter
// calls emit for each element of the result.
func (f *Func) fnSlice() func(x any, emit func(any)) {
	switch g := f.value.Interface().(type) {
	case func(string) []string:
		return func(x any, emit func(any)) {
			for _, s := range g(arg[string](f, x)) {
				emit(s)
			}
		}
	case func(any) []any:
		return func(x any, emit func(any)) {
			for _, s := range g(x) {
				emit(s)
			}
		}
	case func(string) []any:
		return func(x any, emit func(any)) {
			for _, s := range g(arg[string](f, x)) {
				emit(s)
			}
		}
	case func(int) []int:
		return func(x any, emit func(any)) {
			for _, s := range g(arg[int](f, x)) {
				emit(s)
			}
		}
	}
	return func(x any, emit func(any)) {
		out := f.call(f.in(0, x))[0]
		for i, n := 0, out.Len(); i < n; i++ {
			emit(out.Index(i).Interface())
		}
	}
}

// fnPartition adapts a func over a whole partition: func([]T) []U, or with
// withIndex, func(int, []T) []U. The input slice is built with the func's
// element type, so func([]int) []int receives a real []int.
func (f *Func) fnPartition(withIndex bool) func(idx int, xs []any) []any {
	ai := 0
	if withIndex {
		ai = 1
	}
	in := f.Type.In(ai)
	toArg := func(xs []any) reflect.Value {
		if in == reflect.TypeFor[[]any]() {
			return reflect.ValueOf(xs)
		}
		s := reflect.MakeSlice(in, len(xs), len(xs))
		for i, x := range xs {
			s.Index(i).Set(f.in0elem(in.Elem(), x))
		}
		return s
	}
	fromOut := func(out reflect.Value) []any {
		if xs, ok := out.Interface().([]any); ok {
			return xs
		}
		res := make([]any, out.Len())
		for i := range res {
			res[i] = out.Index(i).Interface()
		}
		return res
	}
	if withIndex {
		return func(idx int, xs []any) []any {
			return fromOut(f.call(reflect.ValueOf(idx), toArg(xs))[0])
		}
	}
	if g, ok := f.value.Interface().(func([]any) []any); ok {
		return func(_ int, xs []any) []any { return g(xs) }
	}
	return func(_ int, xs []any) []any { return fromOut(f.call(toArg(xs))[0]) }
}

func (f *Func) in0elem(t reflect.Type, x any) reflect.Value {
	if x == nil {
		return reflect.Zero(t)
	}
	v := reflect.ValueOf(x)
	if v.Type().AssignableTo(t) {
		return v
	}
	panic(&TypeMismatchError{Func: f, Want: t, Got: v.Type(), Value: x})
}

// fnVoid adapts a func of one argument and no result (Foreach).
func (f *Func) fnVoid() func(any) {
	switch g := f.value.Interface().(type) {
	case func(any):
		return g
	case func(int):
		return func(x any) { g(arg[int](f, x)) }
	case func(string):
		return func(x any) { g(arg[string](f, x)) }
	case func(Pair):
		return func(x any) { g(arg[Pair](f, x)) }
	}
	return func(x any) { f.call(f.in(0, x)) }
}
