package shell

import (
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"strings"

	"github.com/traefik/yaegi/interp"
)

// chunk is code compiled and run as one unit: a run of declarations, or
// one statement (so that each statement's jobs carry its own call site).
type chunk struct {
	decl  bool
	items []*item
	src   string // the file to compile
	plain string // for a show chunk: the file without the Show wrapper
	show  bool   // src wraps the cell's last expression in Show
	pos   cellPos
	// cellSrc is the text of the cell the items belong to.
	cellSrc string
	// after runs once the chunk has run without error.
	after func()
}

// cellRun is the state of the running cell, shared with Interrupt.
type cellRun struct {
	cell       int
	group      string
	cancel     context.CancelFunc // cancels the cell's jobs
	done       chan struct{}      // the interpreter's done channel for the running chunk
	interrupts int
	stopped    chan struct{} // closed by a hard stop: Eval returns at once
	finished   chan struct{} // closed when the cell's goroutine ends
}

// outcome is what the cell's goroutine hands back to Eval.
type outcome struct {
	res Result
	err error
}

// Eval evaluates a cell. It returns the value of the cell's last
// expression (Result.HasValue is false when there is none), or a
// *CellError. Output the cell prints goes to Options.Stdout and
// Options.Stderr as it is written. Cancelling ctx cancels the cell's jobs,
// like a first Interrupt.
//
// Cells run one at a time: a second Eval waits for the first.
func (s *Session) Eval(ctx context.Context, src string) (Result, error) {
	s.evalMu.Lock()
	defer s.evalMu.Unlock()
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return Result{}, ErrClosed
	}
	s.count++
	n := s.count
	if s.hist != nil {
		s.hist.add(src)
	}
	s.mu.Unlock()

	base := s.lines.add(n, src)
	items, err := parseCell(src)
	if err != nil {
		return Result{Cell: n}, s.syntaxError(n, src, err)
	}
	if len(items) == 0 {
		return Result{Cell: n}, nil
	}
	chunks, err := s.plan(n, src, base, items)
	if err != nil {
		return Result{Cell: n}, err
	}

	s.settle()
	runCtx, cancel := context.WithCancel(context.Background())
	defer cancel()
	run := &cellRun{cell: n, group: fmt.Sprintf("gospark-cell-%d", n), cancel: cancel,
		stopped: make(chan struct{}), finished: make(chan struct{})}
	s.mu.Lock()
	s.run = run
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		if s.run == run {
			s.run = nil
		}
		s.mu.Unlock()
	}()

	var out outcome
	go func() {
		defer close(run.finished)
		out = s.runCell(runCtx, run, chunks)
	}()
	for {
		select {
		case <-run.finished:
			s.snapshotVars()
			return out.res, out.err
		case <-run.stopped:
			return Result{Cell: n}, &CellError{Kind: Cancelled, Cell: n,
				Msg:  "interrupted: the interpreter was stopped",
				Hint: "funcs made before the stop can no longer run: re-run the cells that define them and the RDDs that use them"}
		case <-ctx.Done():
			s.interrupt(run, 1)
			ctx = context.Background()
		}
	}
}

// snapshotVars records the types of the session's variables, for
// completion while the next cell runs.
func (s *Session) snapshotVars() {
	defer func() { recover() }() // Globals has been seen to panic
	s.model.setVarTypes(s.i.Globals())
}

// syntaxError converts a parse error of the whole cell.
func (s *Session) syntaxError(n int, src string, err error) error {
	var pe *parseError
	if !errors.As(err, &pe) {
		return &CellError{Kind: CompileError, Cell: n, Msg: err.Error(), Err: err}
	}
	line, col := lineCol(src, pe.Offset)
	return &CellError{Kind: CompileError, Cell: n, Line: line, Column: col, Source: sourceLine(src, line),
		Msg: "syntax error: " + pe.Msg, Err: err}
}

// runCell runs the chunks on the calling goroutine, which carries the
// cell's job group, call site and context for the engine.
func (s *Session) runCell(ctx context.Context, run *cellRun, chunks []chunk) (out outcome) {
	out.res = Result{Cell: run.cell}
	err := s.sc.Do(ctx, func() {
		s.sc.SetJobGroup(run.group, fmt.Sprintf("cell %d", run.cell))
		for k := range chunks {
			ch := &chunks[k]
			s.sc.SetLocalProperty("callSite.short", cellPos{Cell: ch.pos.Cell, Line: ch.pos.Line}.String())
			res, err := s.runChunk(run, ch)
			if err != nil {
				out.err = err
				return
			}
			if ch.show {
				out.res = res
			}
		}
	})
	if err != nil && out.err == nil {
		out.err = &CellError{Kind: RuntimeError, Cell: run.cell, Msg: err.Error(), Err: err}
	}
	return out
}

// runChunk compiles and runs one chunk.
func (s *Session) runChunk(run *cellRun, ch *chunk) (Result, error) {
	prog, err := s.compileText(ch.src, ch.decl)
	if err != nil && ch.show {
		// The last expression has no value (a call of a func without
		// results): run it as a plain statement.
		if p, perr := s.compileText(ch.plain, false); perr == nil {
			prog, err, ch.show = p, nil, false
		}
	}
	if err != nil {
		ce := s.compileError(run.cell, err)
		if ce.Line == 0 && ch.pos.Cell == run.cell {
			ce.at(ch.pos, sourceLine(ch.cellSrc, ch.pos.Line))
		}
		s.suggest(ce, ch)
		return Result{}, ce
	}
	s.resetFrames()
	s.takeSite()
	s.takeShown()
	s.mu.Lock()
	if s.stoppedLocked(run) {
		s.mu.Unlock()
		return Result{}, errStopped
	}
	run.done = s.rc.arm()
	s.mu.Unlock()
	_, err = execute(s.i, prog)
	s.stderr.Sync()
	s.stdout.Sync()
	frames := s.takeFrames()
	if s.stopped(run) {
		return Result{}, errStopped
	}
	if err != nil {
		if value, stack, ok := panicValue(err); ok {
			at := ch.pos
			if site, ok := s.takeSite(); ok && site.Cell == run.cell {
				at = site
			}
			return Result{}, s.runtimeError(run.cell, at, value, stack, frames)
		}
		return Result{}, s.compileError(run.cell, err)
	}
	for _, it := range ch.items {
		s.model.record(run.cell, ch.cellSrc, it)
	}
	if ch.after != nil {
		ch.after()
	}
	if !ch.show {
		return Result{Cell: run.cell}, nil
	}
	return newResult(run.cell, s.takeShown(), s.opts.Display != nil), nil
}

var errStopped = errors.New("the interpreter was stopped")

func (s *Session) stopped(run *cellRun) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stoppedLocked(run)
}

func (s *Session) stoppedLocked(run *cellRun) bool {
	select {
	case <-run.stopped:
		return true
	default:
		return false
	}
}

// compileText parses a chunk's file with the interpreter's file set and
// compiles it: a file of declarations, or the body of its main func.
func (s *Session) compileText(text string, decl bool) (*interp.Program, error) {
	f, err := parser.ParseFile(s.i.FileSet(), srcFile, text, parser.DeclarationErrors)
	if err != nil {
		return nil, err
	}
	var n ast.Node = f
	if !decl {
		n = f.Decls[0].(*ast.FuncDecl).Body
	}
	return compile(s.i, n)
}

// Interrupt stops the running cell, if any. The first call cancels the
// jobs the cell started, through the engine: the action fails with a
// Cancelled error and the session goes on as before. A second call, for a
// cell that is still running (interpreted code in a loop, say), stops the
// interpreter: every interpreted func in flight returns at once, Eval
// returns a Cancelled error, and the engine is told (InvalidateFuncs) that
// funcs made earlier are unusable, so RDDs built on them refuse to run
// instead of computing zeros.
func (s *Session) Interrupt() {
	s.mu.Lock()
	run := s.run
	if run != nil {
		run.interrupts++
	}
	s.mu.Unlock()
	if run != nil {
		s.interrupt(run, run.interrupts)
	}
}

func (s *Session) interrupt(run *cellRun, level int) {
	s.interrupted.Store(true)
	if level <= 1 {
		run.cancel()
		s.sc.CancelJobGroup(run.group)
		return
	}
	s.hardStop(run)
}

func (s *Session) hardStop(run *cellRun) {
	run.cancel()
	s.sc.CancelJobGroup(run.group)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stoppedLocked(run) {
		return
	}
	close(run.stopped)
	s.abandoned = run
	s.rc.stop(run.done)
	run.done = nil
	s.sc.InvalidateFuncs()
}

// plan turns a cell's items into chunks: imports the cell needs, prelude
// helpers it uses, then its declarations and statements in order.
func (s *Session) plan(n int, src string, base int, items []item) ([]chunk, error) {
	var body []chunk
	var decls, stmts *chunk
	flushDecls := func() {
		if decls != nil {
			decls.src = declPrefix + decls.src
			body = append(body, *decls)
			decls = nil
		}
	}
	flushStmts := func() {
		if stmts != nil {
			stmts.src = stmtPrefix + stmts.src + stmtSuffix
			if stmts.show {
				stmts.plain = stmtPrefix + stmts.plain + stmtSuffix
			}
			body = append(body, *stmts)
			stmts = nil
		}
	}
	declares := cellDeclares(items)
	isPrelude := func(name string) bool {
		_, user := s.model.lookup(name)
		return !user && !declares[name]
	}
	r, _ := s.newResolverLocked()
	cellInts := map[string]bool{}
	isIntVar := func(name string) bool {
		if v, ok := cellInts[name]; ok {
			return v
		}
		t, ok := r.varType(name)
		return ok && isIntType(t)
	}
	last := len(items) - 1
	for k := range items {
		it := &items[k]
		p := s.itemPos(n, src, it)
		edits := mergeEdits(minMaxEdits(src, it, isPrelude), rangeIntEdits(src, it, isIntVar, s.rw.hidden), goEdits(src, it, n))
		recordInts(it, cellInts, isIntVar)
		if st := declStmt(it); st != nil {
			// See rewrite.go: a var declaration runs as a statement.
			it.Stmt = st
		}
		if it.Stmt == nil {
			flushStmts()
			text, err := s.declText(n, src, base, it, edits)
			if err != nil {
				return nil, err
			}
			if text == "" {
				continue
			}
			if decls == nil {
				decls = &chunk{decl: true, pos: p, cellSrc: src}
			}
			decls.items = append(decls.items, it)
			decls.src += text + "\n"
			continue
		}
		// Consecutive statements run as one chunk; a call of Site before
		// each names it as the call site of the jobs it starts.
		flushDecls()
		if stmts == nil {
			stmts = &chunk{pos: p, cellSrc: src}
		}
		stmts.items = append(stmts.items, it)
		sb := &srcBuilder{cell: src, base: base, edits: edits}
		site := sb.directive(it.start) + fmt.Sprintf("%s.Site(%d, %d, %d)\n", runtimeName, p.Cell, p.Line, p.Col)
		if es, ok := it.Stmt.(*ast.ExprStmt); ok && k == last && showable(es) {
			sb.at(it.start)
			sb.lit(runtimeName + ".Show(")
			sb.orig(it.start, it.end)
			sb.lit(")")
			plain := &srcBuilder{cell: src, base: base, edits: edits}
			plain.orig(it.start, it.end)
			stmts.show = true
			stmts.plain = stmts.src + site + plain.String() + "\n"
		} else if off, msg := s.rw.writeStmt(sb, it); msg != "" {
			line, col := lineCol(src, off)
			return nil, &CellError{Kind: CompileError, Cell: n, Line: line, Column: col, Source: sourceLine(src, line), Msg: msg}
		}
		stmts.src += site + sb.String() + "\n"
	}
	flushDecls()
	flushStmts()

	imports, helpers := s.missing(items, declares)
	for _, h := range helpers {
		for _, p := range prelude[h].imports {
			if !contains(imports, p) && !s.model.imported(p) {
				imports = append(imports, p)
			}
		}
	}
	var chunks []chunk
	if len(imports) > 0 {
		chunks = append(chunks, s.importChunk(n, imports))
	}
	for _, h := range helpers {
		chunks = append(chunks, s.helperChunk(h))
	}
	return append(chunks, body...), nil
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// declStmt returns a var declaration item as a statement, else nil.
func declStmt(it *item) ast.Stmt {
	if g, ok := it.Decl.(*ast.GenDecl); ok && g.Tok == token.VAR {
		return &ast.DeclStmt{Decl: g}
	}
	return nil
}

func (s *Session) itemPos(n int, src string, it *item) cellPos {
	line, col := lineCol(src, it.start)
	return cellPos{Cell: n, Line: line, Col: col}
}

// showable reports whether a last expression statement's value should be
// shown: not for the printing calls, whose byte counts nobody wants.
func showable(es *ast.ExprStmt) bool {
	call, ok := ast.Unparen(es.X).(*ast.CallExpr)
	if !ok {
		return true
	}
	var name string
	switch f := call.Fun.(type) {
	case *ast.SelectorExpr:
		name = f.Sel.Name
	case *ast.Ident:
		name = f.Name
	}
	for _, p := range []string{"Print", "Fprint", "Write"} {
		if strings.HasPrefix(name, p) {
			return false
		}
	}
	return true
}
