package shell

import (
	"errors"
	"fmt"
	"go/scanner"
	"regexp"
	"runtime"
	"strings"

	"github.com/traefik/yaegi/interp"

	"gospark/engine/rdd"
	"gospark/engine/scheduler"
)

// ErrorKind says how a cell failed.
type ErrorKind int

const (
	// CompileError: the cell does not parse, or a statement does not
	// type-check. The failing statement did not run (earlier ones did).
	CompileError ErrorKind = iota + 1
	// RuntimeError: the cell's code panicked, or called an engine operator
	// the wrong way.
	RuntimeError
	// JobError: a job the cell started failed, usually because a func it
	// passed to a transformation panicked in a task.
	JobError
	// Cancelled: the cell was interrupted, or its job was cancelled.
	Cancelled
)

// String returns the kind's name, e.g. "CompileError"; the kernel uses it as
// the error's ename.
func (k ErrorKind) String() string {
	switch k {
	case CompileError:
		return "CompileError"
	case RuntimeError:
		return "RuntimeError"
	case JobError:
		return "JobError"
	case Cancelled:
		return "Cancelled"
	}
	return fmt.Sprintf("ErrorKind(%d)", int(k))
}

// CellError is the error of a failed cell. It names the cell, the line and
// column where the failure happened, and quotes that line.
type CellError struct {
	Kind ErrorKind
	// Cell is the number of the cell that failed.
	Cell int
	// Line and Column place the failure in the cell, from 1; 0 when unknown.
	Line, Column int
	// Source is the cell's text at Line.
	Source string
	// Msg says what went wrong, in one line, without the position.
	Msg string
	// Hint suggests a fix, e.g. "did you mean Collect?"; often empty.
	Hint string
	// Traceback explains the failure line by line: the user's frames first
	// (innermost first, each with its cell position and source), then the
	// engine's account of the job, stage and partition that failed.
	Traceback []string
	// Err is the underlying error: the interpreter's, the job's
	// (*scheduler.JobFailedError, ...), or the panic value when it is one.
	Err error
}

// Error returns "cell 3:2:5: undefined: foo (did you mean fob?)".
func (e *CellError) Error() string {
	var b strings.Builder
	if e.Line > 0 {
		b.WriteString(cellPos{Cell: e.Cell, Line: e.Line, Col: e.Column}.String())
	} else {
		fmt.Fprintf(&b, "cell %d", e.Cell)
	}
	b.WriteString(": ")
	b.WriteString(e.Msg)
	if e.Hint != "" {
		b.WriteString(" (" + e.Hint + ")")
	}
	return b.String()
}

// Unwrap returns the underlying error.
func (e *CellError) Unwrap() error { return e.Err }

// Report renders the error for a person: the message, the offending line
// with a caret under the column, and the traceback.
func (e *CellError) Report() string {
	var b strings.Builder
	b.WriteString(e.Kind.label())
	if e.Line > 0 {
		fmt.Fprintf(&b, " at %s", cellPos{Cell: e.Cell, Line: e.Line, Col: e.Column})
	} else {
		fmt.Fprintf(&b, " in cell %d", e.Cell)
	}
	b.WriteString(": " + e.Msg + "\n")
	if e.Hint != "" {
		b.WriteString("  " + e.Hint + "\n")
	}
	if e.Line > 0 && strings.TrimSpace(e.Source) != "" {
		b.WriteString(quoteLine(e.Line, e.Column, e.Source))
	}
	for _, l := range e.Traceback {
		b.WriteString(l + "\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

func (k ErrorKind) label() string {
	switch k {
	case CompileError:
		return "compile error"
	case RuntimeError:
		return "panic"
	case JobError:
		return "job failed"
	case Cancelled:
		return "cancelled"
	}
	return "error"
}

// quoteLine renders "  3 | line" and a caret under column col.
func quoteLine(line, col int, src string) string {
	num := fmt.Sprintf("%4d | ", line)
	out := num + strings.TrimRight(src, " \t") + "\n"
	if col > 0 && col <= len(src)+1 {
		pad := []byte(src[:col-1])
		for i, c := range pad {
			if c != '\t' {
				pad[i] = ' '
			}
		}
		out += strings.Repeat(" ", len(num)-2) + "| " + string(pad) + "^\n"
	}
	return out
}

// errorAt fills the position fields of e from p.
func (e *CellError) at(p cellPos, source string) {
	e.Line, e.Column, e.Source = p.Line, p.Col, source
}

// compileError converts an interpreter compile error.
func (s *Session) compileError(cell int, err error) *CellError {
	ce := &CellError{Kind: CompileError, Cell: cell, Err: err}
	var el scanner.ErrorList
	var cp *compilePanicError
	switch {
	case errors.As(err, &el) && len(el) > 0:
		ce.Msg = el[0].Msg
		if p, src, ok := s.lines.resolve(el[0].Pos.Line, el[0].Pos.Column); ok {
			ce.at(p, src)
		}
	case errors.As(err, &cp):
		ce.Msg = cp.Error()
	default:
		msg, p, ok := s.lines.rewritePositions(err.Error())
		if ok {
			ce.at(p, s.lines.line(p))
			msg = strings.TrimPrefix(msg, p.String()+": ")
		} else {
			// A position in no cell: yaegi sometimes reports the
			// declaration of a library type.
			msg = foreignPosRE.ReplaceAllString(msg, "")
		}
		ce.Msg = msg
	}
	return ce
}

// foreignPosRE matches a leading position that is not a cell's.
var foreignPosRE = regexp.MustCompile(`^(\S*:)?\d+:\d+: `)

// runtimeError converts a panic that ended a chunk's execution: a failed
// or cancelled job, a misused operator, or a panic of the cell's own code.
// frames are the interpreter's panic frames captured from its stderr.
func (s *Session) runtimeError(cell int, at cellPos, value any, stack string, frames []string) *CellError {
	ce := &CellError{Kind: RuntimeError, Cell: cell}
	ce.at(at, s.lines.line(at))
	err, _ := value.(error)
	ce.Err = err
	if err == nil {
		ce.Err = fmt.Errorf("panic: %v", value)
	}
	var (
		jf *scheduler.JobFailedError
		jc *scheduler.JobCancelledError
		up *rdd.UserPanicError
		tm *rdd.TypeMismatchError
		ue *rdd.UsageError
	)
	switch {
	case errors.As(err, &jc):
		ce.Kind, ce.Msg = Cancelled, jc.Error()
	case errors.As(err, &jf):
		ce.Kind = JobError
		ce.Msg = jf.Reason
		switch {
		case errors.As(err, &up):
			ce.Msg = s.posText(up.Error())
			stack = up.Stack
		case errors.As(err, &tm):
			ce.Msg = s.posText(tm.Error())
		}
	case errors.As(err, &ue):
		ce.Msg = s.posText(ue.Error())
	case errors.Is(err, scheduler.ErrStopped):
		ce.Msg = err.Error()
	default:
		ce.Msg = "panic: " + s.posText(fmt.Sprint(value))
		if re, ok := value.(runtime.Error); ok {
			ce.Msg = "panic: " + re.Error()
		}
	}
	ce.Traceback = append(ce.Traceback, s.userFrames(frames, at)...)
	ce.Traceback = append(ce.Traceback, compiledFrames(stack)...)
	if jf != nil {
		ce.Traceback = append(ce.Traceback, "in "+s.posText(jobSummary(jf)))
	}
	return ce
}

// posText rewrites virtual positions in an engine or interpreter message.
func (s *Session) posText(msg string) string {
	out, _, _ := s.lines.rewritePositions(msg)
	return out
}

func jobSummary(jf *scheduler.JobFailedError) string {
	if jf.Partition < 0 {
		return fmt.Sprintf("job %d, %s", jf.JobID, jf.Stage)
	}
	return fmt.Sprintf("job %d, %s, partition %d (%d attempt%s)", jf.JobID, jf.Stage, jf.Partition, jf.Attempts, plural(jf.Attempts))
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// errorFromPanic classifies what Execute returned.
func panicValue(err error) (any, string, bool) {
	var p interp.Panic
	if errors.As(err, &p) {
		return p.Value, string(p.Stack), true
	}
	return nil, "", false
}
