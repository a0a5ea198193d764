package rdd

import (
	"fmt"
	"reflect"
	"runtime/debug"
)

// UsageError reports a transformation or action called the wrong way: a
// func of the wrong shape, a func whose argument type does not match the
// RDD's elements, a bad argument. Operators panic with it at the call, like
// regexp.MustCompile; the shell and kernel show it as an error of the cell.
type UsageError struct {
	// Op is the operator, e.g. "ReduceByKey".
	Op string
	// Site is where the operator was called, when known.
	Site string
	// Msg says what is wrong.
	Msg string
}

func (e *UsageError) Error() string {
	if e.Site == "" {
		return fmt.Sprintf("%s: %s", e.Op, e.Msg)
	}
	return fmt.Sprintf("%s at %s: %s", e.Op, e.Site, e.Msg)
}

func usagef(op, site, format string, args ...any) *UsageError {
	return &UsageError{Op: op, Site: site, Msg: fmt.Sprintf(format, args...)}
}

// TypeMismatchError reports an element that a user func cannot take: the
// RDD's element type was not known when the transformation was built, and a
// task met an element of another type.
type TypeMismatchError struct {
	Func  *Func
	Want  reflect.Type
	Got   reflect.Type
	Value any
}

func (e *TypeMismatchError) Error() string {
	v := fmt.Sprint(e.Value)
	if len(v) > 40 {
		v = v[:37] + "..."
	}
	return fmt.Sprintf("%s: the func takes %v but got an element of type %v (%s)", e.Func, e.Want, e.Got, v)
}

// UserPanicError is a panic raised inside a user func while a task ran.
type UserPanicError struct {
	// Func is the func that panicked, or nil when the panic came from user
	// code outside any func the engine called (a custom Op, say).
	Func *Func
	// Value is the value passed to panic.
	Value any
	// Stack is the goroutine's stack at the panic.
	Stack string
}

func (e *UserPanicError) Error() string {
	if e.Func == nil {
		return fmt.Sprintf("panic: %v", e.Value)
	}
	return fmt.Sprintf("panic in %s: %v", e.Func, e.Value)
}

// Unwrap returns the panic value when it is an error.
func (e *UserPanicError) Unwrap() error {
	err, _ := e.Value.(error)
	return err
}

// TaskSignal marks panic values that the engine raises on purpose inside a
// task (a kill, a failed shuffle fetch) and that must reach the executor
// unchanged rather than be blamed on a user func.
type TaskSignal interface {
	error
	TaskSignal()
}

// TaskKilledError is raised inside a task whose job was cancelled or whose
// executor is stopping.
type TaskKilledError struct {
	Reason string
}

func (e *TaskKilledError) Error() string { return "task killed: " + e.Reason }

// TaskSignal implements TaskSignal.
func (e *TaskKilledError) TaskSignal() {}

// guard is deferred by every iterator step that calls a user func: it turns a
// panic into a UserPanicError that names f and keeps the stack of the panic.
// Errors the engine already classified pass through unchanged.
func guard(f *Func) {
	if r := recover(); r != nil {
		panic(classify(f, r))
	}
}

func classify(f *Func, r any) any {
	switch r.(type) {
	case *UserPanicError, *TypeMismatchError, *UsageError, TaskSignal:
		return r
	}
	return &UserPanicError{Func: f, Value: r, Stack: string(debug.Stack())}
}
