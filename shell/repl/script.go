package repl

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"

	"gospark/shell"
)

// ErrCellFailed is returned by RunScript when a cell fails; the error has
// already been printed.
var ErrCellFailed = errors.New("a cell failed")

// cellReader cuts a stream of lines into cells: lines accumulate until
// they form a complete cell (or one more lines cannot fix). Lines starting
// with ':' outside a cell are shell commands.
type cellReader struct {
	sc   *bufio.Scanner
	line int // lines read so far
}

func newCellReader(r io.Reader) *cellReader {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	return &cellReader{sc: sc}
}

// next returns the next cell or command and the line it starts on; io.EOF
// at the end.
func (cr *cellReader) next() (text string, start int, err error) {
	var lines []string
	for cr.sc.Scan() {
		cr.line++
		l := cr.sc.Text()
		if len(lines) == 0 {
			if strings.TrimSpace(l) == "" {
				continue
			}
			start = cr.line
			if strings.HasPrefix(strings.TrimSpace(l), ":") {
				return strings.TrimSpace(l), start, nil
			}
		}
		lines = append(lines, l)
		cell := strings.Join(lines, "\n")
		if st, _ := shell.IsComplete(cell); st != shell.StatusIncomplete {
			return cell, start, nil
		}
	}
	if err := cr.sc.Err(); err != nil {
		return "", 0, err
	}
	if len(lines) > 0 {
		return strings.Join(lines, "\n"), start, nil
	}
	return "", 0, io.EOF
}

// RunScript evaluates the cells of a script in order, printing each
// result on a line of its own, without prompts or colours. It stops at
// the first failing cell, prints its error with the script's line, and
// returns ErrCellFailed. name names the script in errors.
func (sh *Shell) RunScript(name string, r io.Reader) error {
	stop := sh.handleSignals()
	defer stop()
	return sh.runCells(name, r, true)
}

// runCells evaluates the cells of r; stopOnError ends at the first failure.
func (sh *Shell) runCells(name string, r io.Reader, stopOnError bool) error {
	cr := newCellReader(r)
	failed := false
	for {
		text, start, err := cr.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("reading %s: %w", name, err)
		}
		if strings.HasPrefix(text, ":") {
			if err := sh.command(text); err != nil {
				fmt.Fprintln(sh.cfg.Stderr, sh.errorText(err))
				if stopOnError {
					return ErrCellFailed
				}
				failed = true
			}
			if sh.quitting() {
				break
			}
			continue
		}
		sh.mu.Lock()
		sh.origins[sh.s.Count()+1] = origin{file: name, line: start}
		sh.mu.Unlock()
		if !sh.report(sh.eval(text)) {
			if stopOnError {
				return ErrCellFailed
			}
			failed = true
		}
	}
	if failed {
		return ErrCellFailed
	}
	return nil
}

func (sh *Shell) quitting() bool {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	return sh.quit
}
