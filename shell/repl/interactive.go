package repl

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/chzyer/readline"

	"gospark/shell"
)

const (
	prompt     = "gospark> "
	contPrompt = "    ...> "
)

// Interactive runs the terminal loop until :quit or Ctrl-D.
func (sh *Shell) Interactive() error {
	in, ok := sh.cfg.Stdin.(*os.File)
	if !ok {
		return errors.New("the interactive shell needs a terminal on stdin")
	}
	rl, err := readline.NewEx(&readline.Config{
		Prompt:                 prompt,
		AutoComplete:           completer{sh},
		InterruptPrompt:        "^C",
		EOFPrompt:              "",
		DisableAutoSaveHistory: true,
		HistorySearchFold:      true,
		Stdin:                  in,
		Stdout:                 sh.cfg.Stdout,
		Stderr:                 sh.cfg.Stderr,
	})
	if err != nil {
		return err
	}
	defer rl.Close()
	sh.mu.Lock()
	sh.rl = rl
	sh.mu.Unlock()
	if sh.cfg.HistoryFile != "" {
		cells, _ := shell.ReadHistory(sh.cfg.HistoryFile, 1000)
		for _, c := range cells {
			rl.SaveHistory(oneLine(c))
		}
	}
	stop := sh.handleSignals()
	defer stop()
	fmt.Fprintln(sh.cfg.Stdout, Banner(sh.Session().Context()))

	var lines []string
	for !sh.quitting() {
		if len(lines) == 0 {
			rl.SetPrompt(prompt)
		} else {
			rl.SetPrompt(contPrompt)
		}
		sh.setPending(lines)
		line, err := rl.Readline()
		switch {
		case errors.Is(err, readline.ErrInterrupt):
			lines = nil // Ctrl-C clears the line and the pending cell
			continue
		case err == io.EOF:
			return nil
		case err != nil:
			return err
		}
		if len(lines) == 0 {
			t := strings.TrimSpace(line)
			if t == "" {
				continue
			}
			if strings.HasPrefix(t, ":") {
				rl.SaveHistory(t)
				if t == ":paste" {
					sh.paste(rl)
					continue
				}
				if err := sh.command(t); err != nil {
					fmt.Fprintln(sh.cfg.Stderr, sh.errorText(err))
				}
				continue
			}
		}
		lines = append(lines, line)
		cell := strings.Join(lines, "\n")
		if st, _ := shell.IsComplete(cell); st == shell.StatusIncomplete {
			continue
		}
		lines = nil
		rl.SaveHistory(oneLine(cell))
		sh.report(sh.eval(cell))
	}
	return nil
}

// paste reads lines until ":end" or Ctrl-D and runs them as one cell.
func (sh *Shell) paste(rl *readline.Instance) {
	fmt.Fprintln(sh.cfg.Stdout, "// pasting: end with a line holding :end, or Ctrl-D")
	rl.SetPrompt("")
	var lines []string
	for {
		line, err := rl.Readline()
		if errors.Is(err, readline.ErrInterrupt) {
			fmt.Fprintln(sh.cfg.Stdout, "// paste cancelled")
			return
		}
		if err != nil || strings.TrimSpace(line) == ":end" {
			break
		}
		lines = append(lines, line)
	}
	cell := strings.Join(lines, "\n")
	if strings.TrimSpace(cell) == "" {
		return
	}
	rl.SaveHistory(oneLine(cell))
	sh.report(sh.eval(cell))
}

// setPending records the lines of the cell being typed, for completion.
func (sh *Shell) setPending(lines []string) {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	sh.pending = ""
	if len(lines) > 0 {
		sh.pending = strings.Join(lines, "\n") + "\n"
	}
}

// completer adapts Session.Complete to the line editor, which completes
// the current line only; the cell's earlier lines are passed as context.
type completer struct{ sh *Shell }

// Do returns the suffixes that complete the word before pos (a rune
// offset) and the length of that word in runes.
func (c completer) Do(line []rune, pos int) ([][]rune, int) {
	c.sh.mu.Lock()
	pending := c.sh.pending
	c.sh.mu.Unlock()
	code := pending + string(line[:pos])
	rest := string(line[pos:])
	matches, start, end := c.sh.Session().Complete(code+rest, len(code))
	if len(matches) == 0 {
		return nil, 0
	}
	word := code[start:end]
	out := make([][]rune, 0, len(matches))
	for _, m := range matches {
		out = append(out, []rune(m[len(word):]))
	}
	return out, utf8.RuneCountInString(word)
}

// readInput answers a cell's Input(prompt) from the terminal.
func (sh *Shell) readInput(prompt string, password bool) (string, error) {
	sh.mu.Lock()
	rl := sh.rl
	sh.mu.Unlock()
	if rl == nil {
		return "", io.EOF
	}
	if password {
		b, err := rl.ReadPassword(prompt)
		return string(b), err
	}
	rl.SetPrompt(prompt)
	return rl.Readline()
}
