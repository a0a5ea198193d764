// Package shell evaluates Go cells against a live gospark engine: the
// Session behind gospark-shell and the Jupyter kernel.
//
// A Session owns one yaegi interpreter with the standard library and
// gospark's packages, and an engine Context bound to the names sc and
// spark. Eval runs a cell — declarations and statements mixed, as people
// type them — and returns the value of its last expression, or a
// *CellError that names the line that failed. Complete, Inspect and
// IsComplete serve editors; Interrupt stops a running cell. Nothing in this
// package knows about terminals.
package shell

import (
	"bufio"
	"errors"
	"fmt"
	"gospark/internal/pipe"
	"io"
	"os"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/traefik/yaegi/interp"
	"github.com/traefik/yaegi/stdlib"

	"gospark/display"
	"gospark/engine"
	"gospark/engine/scheduler"
	"gospark/shell/internal/symbols"
)

// Options configure a Session.
type Options struct {
	// Conf configures the engine context the session starts. Its
	// "spark.master" defaults to "local[*]".
	Conf engine.Conf
	// Context, when not nil, is used instead of starting a context from
	// Conf; Close then leaves it running.
	Context *engine.Context
	// Stdout and Stderr receive what cells print (nil: os.Stdout and
	// os.Stderr). They are written from a goroutine of the session, one
	// Write at a time.
	Stdout, Stderr io.Writer
	// Stdin is what cells read from os.Stdin; nil means an empty input.
	Stdin *os.File
	// Display receives the rich outputs cells publish with Display(v).
	// When nil, their text rendering is written to Stdout.
	Display func(display.Data)
	// HistoryFile, when not empty, is a file that every cell is appended to
	// (see ReadHistory); it is created if missing.
	HistoryFile string
	// Input, when not nil, answers the cells' Input(prompt) calls (a
	// notebook's input_request); when nil, Input reads a line of Stdin.
	Input func(prompt string, password bool) (string, error)
}

// Session is a Go interpreter session bound to an engine context. Eval
// runs one cell at a time; Complete, Inspect, IsComplete and Interrupt may
// be called from other goroutines, also while a cell runs.
type Session struct {
	opts   Options
	sc     *engine.Context
	ownSC  bool
	i      *interp.Interpreter
	rc     *runControl
	lines  *lineTable
	model  *model
	rw     rewriter
	stdout *pipe.Forwarder
	stderr *pipe.Forwarder
	stdin  *os.File

	inMu     sync.Mutex
	inReader *bufio.Reader

	framesMu sync.Mutex
	frames   []string // interpreter panic frames of the running chunk
	shown    []any    // the values Show received
	curSite  cellPos  // the statement Site named last
	hasSite  bool

	evalMu sync.Mutex // held by Eval: one cell at a time

	// tasks counts the engine's running tasks; interrupted records that
	// the last cell was interrupted (see Eval).
	tasks       atomic.Int64
	interrupted atomic.Bool

	mu        sync.Mutex
	count     int
	run       *cellRun
	abandoned *cellRun        // a stopped cell whose goroutine may still run
	defined   map[string]bool // prelude helpers compiled so far
	hist      *history
	closed    bool
}

// runtimeImport is the virtual package through which cells reach the
// session: its context, the result hook and Display.
const (
	runtimeImport = "gospark/shell/rt"
	runtimeName   = hiddenPrefix
)

// NewSession starts an engine context (unless Options.Context is given)
// and an interpreter with sc and spark bound to it.
func NewSession(opts Options) (*Session, error) {
	if opts.Stdout == nil {
		opts.Stdout = os.Stdout
	}
	if opts.Stderr == nil {
		opts.Stderr = os.Stderr
	}
	s := &Session{opts: opts, lines: newLineTable(), model: newModel(), defined: map[string]bool{}}
	if err := s.start(); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func (s *Session) start() error {
	s.sc = s.opts.Context
	if s.sc == nil {
		conf := engine.Conf{}
		for k, v := range s.opts.Conf {
			conf[k] = v
		}
		if conf["spark.master"] == "" {
			conf["spark.master"] = "local[*]"
		}
		sc, err := engine.NewContext(conf)
		if err != nil {
			return err
		}
		s.sc, s.ownSC = sc, true
	}
	s.sc.AddListener(scheduler.ListenerFunc(func(e scheduler.Event) {
		switch e.(type) {
		case scheduler.TaskStart:
			s.tasks.Add(1)
		case scheduler.TaskEnd:
			s.tasks.Add(-1)
		}
	}))
	var err error
	if s.stdout, err = pipe.New(s.opts.Stdout, nil); err != nil {
		return err
	}
	if s.stderr, err = pipe.New(s.opts.Stderr, s.takeFrameLines); err != nil {
		return err
	}
	s.stdin = s.opts.Stdin
	if s.stdin == nil {
		if s.stdin, err = os.Open(os.DevNull); err != nil {
			return err
		}
	}
	if s.opts.HistoryFile != "" {
		if s.hist, err = openHistory(s.opts.HistoryFile); err != nil {
			return err
		}
	}
	s.i = interp.New(interp.Options{Stdin: s.stdin, Stdout: s.stdout.File(), Stderr: s.stderr.File(), Env: os.Environ()})
	if s.rc, err = newRunControl(s.i); err != nil {
		return err
	}
	for _, syms := range []interp.Exports{stdlib.Symbols, symbols.Symbols, s.runtimeExports()} {
		if err := s.i.Use(syms); err != nil {
			return fmt.Errorf("loading symbols: %w", err)
		}
	}
	return s.bootstrap()
}

// runtimeExports is the virtual package cells import as __gs.
func (s *Session) runtimeExports() interp.Exports {
	return interp.Exports{runtimeImport + "/rt": {
		"SC":      reflect.ValueOf(s.sc),
		"Spark":   reflect.ValueOf(s.sc.Session()),
		"Show":    reflect.ValueOf(s.show),
		"Site":    reflect.ValueOf(s.site),
		"Display": reflect.ValueOf(s.display),
		"Go":      reflect.ValueOf(s.goFunc),
		"Input":   reflect.ValueOf(s.input),
	}}
}

// bootstrapSrc binds the names every cell can use.
const bootstrapSrc = `import ` + runtimeName + ` "` + runtimeImport + `"

// sc is the session's engine context, Spark's SparkContext.
var sc = ` + runtimeName + `.SC

// spark is the session's entry point to DataFrames and SQL, Spark's SparkSession.
var spark = ` + runtimeName + `.Spark

// Display shows v as rich output: an HTML table, a plot, an image.
var Display = ` + runtimeName + `.Display

// Input prints prompt and returns a line the user types.
var Input = ` + runtimeName + `.Input
`

func (s *Session) bootstrap() error {
	s.model.imports[runtimeName] = runtimeImport
	for _, d := range []*declared{
		{Name: "sc", Kind: "var", Sig: "*engine.Context", Doc: "sc is the session's engine context, Spark's SparkContext."},
		{Name: "spark", Kind: "var", Sig: "*sql.Session", Doc: "spark is the entry point to DataFrames and SQL (Spark's SparkSession), running on sc: spark.Read().CSV(path), spark.SQL(query), spark.CreateDataFrame(rows)."},
		{Name: "Display", Kind: "func", Sig: "func Display(v any)", Doc: "Display shows v as rich output (an HTML table, a plot, an image); in a terminal, its text. Display(display.ClearOutput(true)) clears a notebook cell's output."},
		{Name: "Input", Kind: "func", Sig: "func Input(prompt string) string", Doc: "Input prints prompt and returns a line the user types (in a notebook, through an input box); \"\" when there is no input."},
	} {
		s.model.put(d)
	}
	if err := s.compileSupport(bootstrapSrc); err != nil {
		return err
	}
	s.snapshotVars()
	return nil
}

// compileSupport compiles and runs declarations of the shell's own (the
// bootstrap, prelude helpers), numbered as cell 0.
func (s *Session) compileSupport(src string) error {
	base := s.lines.add(0, src)
	sb := &srcBuilder{cell: src, base: base}
	sb.orig(0, len(src))
	prog, err := s.compileText(declPrefix+sb.String(), true)
	if err != nil {
		return fmt.Errorf("compiling the shell's prelude: %w", err)
	}
	s.rc.arm()
	if _, err := execute(s.i, prog); err != nil {
		return fmt.Errorf("running the shell's prelude: %w", err)
	}
	return nil
}

// display publishes a value from a cell: through Options.Display when set,
// else as text on the cell's stdout.
//
// Text the cell printed before is forwarded first, so that a notebook
// shows the display after it. A display.ClearOutput bundle is published
// as is; a terminal ignores it.
func (s *Session) display(v any) {
	d, ok := display.Render(v)
	if !ok {
		d = display.Text(FormatValue(v))
	}
	s.stdout.Sync()
	s.stderr.Sync()
	if s.opts.Display != nil {
		s.opts.Display(d)
		return
	}
	if clear, _ := display.IsClearOutput(d); clear {
		return
	}
	fmt.Fprintln(s.stdout.File(), d.String())
}

// input is the cells' Input: a line from Options.Input, else from stdin;
// "" when there is none.
func (s *Session) input(prompt string) string {
	s.stdout.Sync()
	if s.opts.Input != nil {
		line, err := s.opts.Input(prompt, false)
		if err != nil {
			return ""
		}
		return line
	}
	if prompt != "" {
		fmt.Fprint(s.stdout.File(), prompt)
	}
	s.inMu.Lock()
	defer s.inMu.Unlock()
	if s.inReader == nil {
		s.inReader = bufio.NewReader(s.stdin)
	}
	line, _ := s.inReader.ReadString('\n')
	return strings.TrimRight(line, "\r\n")
}

// Context returns the session's engine context.
func (s *Session) Context() *engine.Context { return s.sc }

// Count returns the number of cells evaluated so far.
func (s *Session) Count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.count
}

// ErrClosed is returned by Eval after Close.
var ErrClosed = errors.New("shell: the session is closed")

// Close stops the running cell, the engine context (unless it was given in
// Options.Context) and the output forwarding. It is safe to call twice.
func (s *Session) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	run := s.run
	s.mu.Unlock()
	if run != nil {
		s.hardStop(run)
	}
	if s.ownSC && s.sc != nil {
		s.sc.Stop()
	}
	if s.stdout != nil {
		s.stdout.Close()
	}
	if s.stderr != nil {
		s.stderr.Close()
	}
	if s.stdin != nil && s.opts.Stdin == nil {
		s.stdin.Close()
	}
	if s.hist != nil {
		s.hist.close()
	}
	return nil
}

// takeFrameLines removes the interpreter's panic-frame lines from stderr
// output and keeps them for the running chunk's traceback.
func (s *Session) takeFrameLines(data []byte) []byte {
	locs := frameRE.FindAllIndex(data, -1)
	if locs == nil {
		return data
	}
	s.framesMu.Lock()
	out := make([]byte, 0, len(data))
	prev := 0
	for _, l := range locs {
		s.frames = append(s.frames, string(data[l[0]:l[1]-1]))
		out = append(out, data[prev:l[0]]...)
		prev = l[1]
	}
	s.framesMu.Unlock()
	return append(out, data[prev:]...)
}

func (s *Session) resetFrames() {
	s.framesMu.Lock()
	s.frames = nil
	s.framesMu.Unlock()
}

func (s *Session) takeFrames() []string {
	s.framesMu.Lock()
	defer s.framesMu.Unlock()
	f := s.frames
	s.frames = nil
	return f
}

// stuckTaskGrace is how long the cell after an interrupt waits for the
// cancelled job's tasks before it stops the interpreter to free them.
var stuckTaskGrace = 2 * time.Second

// settle waits, for at most a second, for the tasks of an interrupted cell
// to end. Cancelled tasks stop at their next poll; until they do, their
// interpreted funcs share the interpreter's global frame with the next
// cell, which yaegi does not synchronise.
//
// Likewise the goroutine of a cell abandoned by a hard stop returns at its
// next interpreted step, unless it is blocked in compiled code: the next
// cell waits up to two seconds for it.
func (s *Session) settle() {
	s.mu.Lock()
	ab := s.abandoned
	s.abandoned = nil
	s.mu.Unlock()
	if ab != nil {
		select {
		case <-ab.finished:
		case <-time.After(2 * time.Second):
		}
	}
	if !s.interrupted.Swap(false) {
		return
	}
	deadline := time.Now().Add(stuckTaskGrace)
	for s.tasks.Load() > 0 && time.Now().Before(deadline) {
		time.Sleep(2 * time.Millisecond)
	}
	if s.tasks.Load() > 0 {
		// Tasks of a cancelled job poll for cancellation between
		// elements; these are stuck inside a user func (an endless loop)
		// and hold the executors' slots. Only stopping the interpreter
		// frees them.
		fmt.Fprintln(s.stderr.File(), "gospark: tasks of the cancelled job are still running user code; stopping the interpreter (funcs made before must be made again)")
		s.mu.Lock()
		s.rc.stop(nil)
		s.mu.Unlock()
		s.sc.InvalidateFuncs()
		for deadline := time.Now().Add(time.Second); s.tasks.Load() > 0 && time.Now().Before(deadline); {
			time.Sleep(2 * time.Millisecond)
		}
	}
}

// show is __gs.Show: it receives the values of a cell's last expression.
func (s *Session) show(vs ...any) {
	s.framesMu.Lock()
	defer s.framesMu.Unlock()
	if vs == nil {
		vs = []any{}
	}
	s.shown = vs
}

func (s *Session) takeShown() []any {
	s.framesMu.Lock()
	defer s.framesMu.Unlock()
	vs := s.shown
	s.shown = nil
	return vs
}

// site is __gs.Site, called before each top-level statement: it records
// the statement for error messages and names it as the call site of the
// jobs it starts.
func (s *Session) site(cell, line, col int) {
	s.framesMu.Lock()
	s.curSite, s.hasSite = cellPos{Cell: cell, Line: line, Col: col}, true
	s.framesMu.Unlock()
	s.sc.SetLocalProperty("callSite.short", cellPos{Cell: cell, Line: line}.String())
}

func (s *Session) takeSite() (cellPos, bool) {
	s.framesMu.Lock()
	defer s.framesMu.Unlock()
	p, ok := s.curSite, s.hasSite
	s.hasSite = false
	return p, ok
}
