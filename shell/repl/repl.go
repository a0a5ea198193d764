// Package repl is gospark-shell's front end: the interactive loop on a
// terminal (line editing, history, Tab completion, Ctrl-C, the progress
// bar) and the script mode for piped input, both driving a shell.Session.
package repl

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/chzyer/readline"

	"gospark/engine"
	"gospark/shell"
)

// Version is the shell's version, shown in the banner.
const Version = "0.1"

// Config describes a shell run.
type Config struct {
	// Session configures the sessions the shell starts (:reset starts a
	// new one). Its Stdout and Stderr default to the shell's.
	Session shell.Options
	// Stdin, Stdout and Stderr are the shell's streams.
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	// Terminal is true for the interactive loop: Stdin and Stdout are a
	// terminal, Stdin an *os.File.
	Terminal bool
	// Color allows ANSI colours in interactive output.
	Color bool
	// Progress shows the console progress bar on Stderr (only when it is
	// a terminal).
	Progress bool
	// HistoryFile is where the interactive loop keeps cells ("" for none).
	HistoryFile string
}

// Shell runs cells from a terminal or a script against a session.
type Shell struct {
	cfg Config

	mu      sync.Mutex
	s       *shell.Session
	running bool
	quit    bool
	pending string // earlier lines of the cell being typed
	out     *lineTracker
	rl      *readline.Instance // the line editor, in the interactive loop

	// origins maps cell numbers to where their text came from, for
	// script error messages.
	origins map[int]origin
}

// origin is the source of a cell: a file and the line it starts on.
type origin struct {
	file string
	line int
}

// New starts a shell and its first session.
func New(cfg Config) (*Shell, error) {
	if cfg.Session.Stdout == nil {
		cfg.Session.Stdout = cfg.Stdout
	}
	if cfg.Session.Stderr == nil {
		cfg.Session.Stderr = cfg.Stderr
	}
	sh := &Shell{cfg: cfg, origins: map[int]origin{}}
	// Know whether a cell's output ended its line, so that the prompt and
	// the result start on a line of their own.
	sh.out = &lineTracker{w: cfg.Session.Stdout}
	cfg.Session.Stdout = sh.out
	sh.cfg.Session.Stdout = sh.out
	if cfg.Terminal && cfg.Session.Input == nil {
		cfg.Session.Input = sh.readInput
		sh.cfg.Session.Input = sh.readInput
	}
	s, err := shell.NewSession(cfg.Session)
	if err != nil {
		return nil, err
	}
	sh.s = s
	return sh, nil
}

// Session returns the current session.
func (sh *Shell) Session() *shell.Session {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	return sh.s
}

// Close stops the session and its engine context.
func (sh *Shell) Close() {
	sh.mu.Lock()
	s := sh.s
	sh.mu.Unlock()
	s.Close()
}

// Banner returns the line the interactive shell starts with.
func Banner(sc *engine.Context) string {
	master := sc.Master()
	if m, err := engine.ParseMaster(master); err == nil && strings.Contains(master, "[*") {
		master = strings.Replace(master, "*", strconv.Itoa(m.Cores), 1)
	}
	return fmt.Sprintf("gospark %s · master %s · app %s   (sc and spark are ready; :help for help)", Version, master, sc.ApplicationID())
}

// handleSignals turns SIGINT into interrupts of the running cell: the
// first cancels its jobs, the second stops the interpreter. At the prompt
// the line editor sees Ctrl-C as a key, not a signal.
func (sh *Shell) handleSignals() (stop func()) {
	c := make(chan os.Signal, 4)
	signal.Notify(c, os.Interrupt)
	done := make(chan struct{})
	go func() {
		n := 0
		for {
			select {
			case <-done:
				return
			case <-c:
			}
			sh.mu.Lock()
			running, s := sh.running, sh.s
			if !running {
				n = 0
			}
			sh.mu.Unlock()
			if !running {
				if !sh.cfg.Terminal {
					// A script waiting for input: leave, as a shell would.
					s.Close()
					os.Exit(130)
				}
				continue
			}
			n++
			switch n {
			case 1:
				fmt.Fprintln(sh.cfg.Stderr, "\n^C cancelling the cell's jobs (Ctrl-C again stops the interpreter)")
			case 2:
				fmt.Fprintln(sh.cfg.Stderr, "\n^C stopping the interpreter")
			}
			s.Interrupt()
		}
	}()
	return func() {
		signal.Stop(c)
		close(done)
	}
}

// eval runs one cell, with the progress bar when enabled.
func (sh *Shell) eval(cell string) (shell.Result, error) {
	sh.mu.Lock()
	s := sh.s
	sh.running = true
	sh.mu.Unlock()
	defer func() {
		sh.mu.Lock()
		sh.running = false
		sh.mu.Unlock()
	}()
	if sh.cfg.Progress {
		stop := startProgress(s.Context(), sh.cfg.Stderr)
		defer stop()
	}
	return s.Eval(context.Background(), cell)
}

// report prints a cell's result or error. It returns false on error.
func (sh *Shell) report(r shell.Result, err error) bool {
	if sh.out.midLine() {
		fmt.Fprintln(sh.cfg.Stdout)
	}
	if err != nil {
		fmt.Fprintln(sh.cfg.Stderr, sh.errorText(err))
		return false
	}
	if r.HasValue {
		fmt.Fprintln(sh.cfg.Stdout, r.Text)
	}
	return true
}

// cellPosRE matches the cell positions of session messages.
var cellPosRE = regexp.MustCompile(`cell (\d+):(\d+)(?::(\d+))?`)

// errorText renders an error: for a cell read from a file, positions name
// the file's lines.
func (sh *Shell) errorText(err error) string {
	var ce *shell.CellError
	if !errors.As(err, &ce) {
		return "error: " + err.Error()
	}
	text := ce.Report()
	sh.mu.Lock()
	origins := sh.origins
	sh.mu.Unlock()
	if len(origins) > 0 {
		text = cellPosRE.ReplaceAllStringFunc(text, func(m string) string {
			g := cellPosRE.FindStringSubmatch(m)
			n, _ := strconv.Atoi(g[1])
			line, _ := strconv.Atoi(g[2])
			o, ok := origins[n]
			if !ok {
				return m
			}
			pos := fmt.Sprintf("%s:%d", o.file, o.line+line-1)
			if g[3] != "" {
				pos += ":" + g[3]
			}
			return pos
		})
		if o, ok := origins[ce.Cell]; ok && ce.Line > 0 {
			// Quote the line with its number in the file.
			text = strings.Replace(text, fmt.Sprintf("%4d | ", ce.Line), fmt.Sprintf("%4d | ", o.line+ce.Line-1), 1)
		}
	}
	if sh.cfg.Color {
		text = "\x1b[31m" + text + "\x1b[0m"
	}
	return text
}

// lineTracker passes writes through and remembers whether the last one
// ended a line.
type lineTracker struct {
	w   io.Writer
	mu  sync.Mutex
	mid bool
}

func (t *lineTracker) Write(p []byte) (int, error) {
	if len(p) > 0 {
		t.mu.Lock()
		t.mid = p[len(p)-1] != '\n'
		t.mu.Unlock()
	}
	return t.w.Write(p)
}

// midLine reports whether output stopped inside a line, and forgets it.
func (t *lineTracker) midLine() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	m := t.mid
	t.mid = false
	return m
}
