package shell

import (
	"fmt"
	"go/ast"
	"io"
	"log"
	"reflect"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/traefik/yaegi/interp"
)

// yaegi v0.16.1 is the last release of the interpreter and will not change,
// so the shell reaches into three of its unexported fields, checked once by
// name and type when the first session starts (stopper), rather than forking
// it:
//
//   - id, the run id every interpreted frame compares with its own at each
//     step: incrementing it stops all interpreted code in flight, which is
//     what the unexported Interpreter.stop does for EvalWithContext;
//   - done, the channel that interruptible channel operations select on,
//     closed by stop;
//   - cancelChan, which turns those interruptible channel operations on.
//
// EvalWithContext itself is unusable for the shell: it evaluates on a
// goroutine of its own, while the engine's job properties (job group,
// cell call site) belong to the goroutine that starts a job.

// interpFields are the byte offsets of the fields the shell uses.
type interpFields struct {
	id, done, cancelChan uintptr
	err                  error
}

var (
	fieldsOnce sync.Once
	fields     interpFields
)

func yaegiFields() interpFields {
	fieldsOnce.Do(func() {
		t := reflect.TypeFor[interp.Interpreter]()
		find := func(name string, want reflect.Type) uintptr {
			f, ok := t.FieldByName(name)
			if !ok || f.Type != want {
				if fields.err == nil {
					fields.err = fmt.Errorf("yaegi: Interpreter.%s is not a %v: the shell supports yaegi v0.16.1 only", name, want)
				}
				return 0
			}
			return f.Offset
		}
		fields.id = find("id", reflect.TypeFor[uint64]())
		fields.done = find("done", reflect.TypeFor[chan struct{}]())
		fields.cancelChan = find("cancelChan", reflect.TypeFor[bool]())
	})
	return fields
}

// runControl starts and stops the interpreted code of one interpreter.
type runControl struct {
	i *interp.Interpreter
	f interpFields
}

func newRunControl(i *interp.Interpreter) (*runControl, error) {
	f := yaegiFields()
	if f.err != nil {
		return nil, f.err
	}
	return &runControl{i: i, f: f}, nil
}

func (r *runControl) ptr(off uintptr) unsafe.Pointer {
	return unsafe.Add(unsafe.Pointer(r.i), off)
}

// arm prepares a run: a fresh done channel that a later stop closes, and
// interruptible channel operations. It must be called before Execute, with
// no other Execute starting concurrently.
func (r *runControl) arm() chan struct{} {
	done := make(chan struct{})
	*(*chan struct{})(r.ptr(r.f.done)) = done
	*(*bool)(r.ptr(r.f.cancelChan)) = true
	return done
}

// stop makes every interpreted frame in flight return at its next step,
// like yaegi's own stop: frames compare their run id with the
// interpreter's, and blocked interpreted channel operations select on done.
// Closures made inside interpreted functions before the stop keep the old
// run id and from then on return zero values (see Session.Interrupt).
func (r *runControl) stop(done chan struct{}) {
	atomic.AddUint64((*uint64)(r.ptr(r.f.id)), 1)
	if done != nil {
		close(done)
	}
}

// compilePanicError is a panic raised by the interpreter while compiling a
// segment (yaegi reports some of its own failures with log.Panic).
type compilePanicError struct {
	Value any
}

func (e *compilePanicError) Error() string {
	return fmt.Sprintf("the interpreter failed on this code (%v)", e.Value)
}

// logMu serialises the shell's redirections of the standard logger.
var logMu sync.Mutex

// compile compiles an AST parsed with i.FileSet(). yaegi writes some
// internal failures with log.Panic before panicking: the standard logger is
// silenced for the duration and the panic becomes a compilePanicError.
func compile(i *interp.Interpreter, n ast.Node) (prog *interp.Program, err error) {
	logMu.Lock()
	old := log.Writer()
	log.SetOutput(io.Discard)
	defer func() {
		log.SetOutput(old)
		logMu.Unlock()
		if r := recover(); r != nil {
			prog, err = nil, &compilePanicError{Value: r}
		}
	}()
	return i.CompileAST(n)
}

// execute runs a compiled program; a panic that escapes yaegi's own
// recovery is returned as an interp.Panic.
func execute(i *interp.Interpreter, p *interp.Program) (v reflect.Value, err error) {
	defer func() {
		if r := recover(); r != nil {
			v, err = reflect.Value{}, interp.Panic{Value: r}
		}
	}()
	return i.Execute(p)
}
