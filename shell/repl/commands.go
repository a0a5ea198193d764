package repl

import (
	"fmt"
	"os"
	"strings"

	"gospark/shell"
)

// helpText is what :help prints.
const helpText = `gospark shell: type Go; sc (and spark) is a live engine context.

  words := sc.TextFile("README.md").FlatMap(strings.Fields)
  words.Count()
  words.MapPairs(func(w string) (string, int) { return w, 1 }).
      ReduceByKey(func(a, b int) int { return a + b }).Take(3)

A cell is run when it is complete; an open bracket, or a line ending in
'.', ',' or an operator, asks for more lines. The value of a cell's last
expression is printed. Standard packages need no import (strings.Fields
just works; sql is gospark's engine/sql). Tab completes names, package
members and methods (sc.<Tab>). spark is the DataFrame/SQL session on sc:
spark.SQL("SELECT 1").Show(). Display(v) shows a value's rich form (its
text here); Input(prompt) reads a line.

Commands:
  :help          this text
  :doc NAME      documentation of a name, e.g. :doc rdd.ReduceByKey
  :load FILE     run the cells of a Go script file
  :paste         read lines until a line with :end (or Ctrl-D), run them as one cell
  :reset         start a new session (a new interpreter and engine context)
  :quit          stop sc and leave (also Ctrl-D)

Keys: Ctrl-C at the prompt clears the line. While a cell runs, Ctrl-C
cancels its jobs; a second Ctrl-C stops the interpreter (funcs and RDDs made
before must then be made again).

Limits of the interpreter (yaegi, Go as of 1.22):
  - range over an integer works when the shell can see it is one (a
    literal, len(x), an int variable); no range over funcs, no iterators;
  - loop variables are shared by closures as before Go 1.22: copy them
    (i := i) before capturing in a func literal;
  - min and max are helpers here, not built-ins; clear is missing;
    the helpers Keys, Values, Sorted, SortBy, Sum, MapSlice, FilterSlice
    stand in for missing library generics (slices.Sort, maps.Keys);
  - generics: type inference is weak; write type arguments when a call fails;
  - methods of types declared at the prompt are invisible to compiled code:
    fmt prints their values without calling String(), and the engine
    cannot call them through an interface;
  - v, ok := <-ch at the top level of a cell: declare v and ok first;
  - only the standard library and gospark's packages can be imported.
`

// command runs a ':' command line.
func (sh *Shell) command(line string) error {
	name, arg, _ := strings.Cut(strings.TrimSpace(line), " ")
	arg = strings.TrimSpace(arg)
	switch name {
	case ":help", ":h", ":?":
		fmt.Fprint(sh.cfg.Stdout, helpText)
	case ":quit", ":q", ":exit":
		sh.mu.Lock()
		sh.quit = true
		sh.mu.Unlock()
	case ":load", ":l":
		if arg == "" {
			return fmt.Errorf(":load needs a file name")
		}
		f, err := os.Open(arg)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := sh.runCells(arg, f, true); err != nil && err != ErrCellFailed {
			return err
		}
	case ":reset":
		sh.mu.Lock()
		old := sh.s
		sh.mu.Unlock()
		old.Close()
		s, err := shell.NewSession(sh.cfg.Session)
		if err != nil {
			return fmt.Errorf("starting a new session: %w", err)
		}
		sh.mu.Lock()
		sh.s = s
		sh.origins = map[int]origin{}
		sh.mu.Unlock()
		fmt.Fprintln(sh.cfg.Stdout, "new session: "+Banner(s.Context()))
	case ":doc", ":d":
		if arg == "" {
			return fmt.Errorf(":doc needs a name, e.g. :doc strings.Fields")
		}
		doc, ok := sh.Session().Inspect(arg, len(arg))
		if !ok {
			return fmt.Errorf("no documentation for %s", arg)
		}
		fmt.Fprintln(sh.cfg.Stdout, doc)
	case ":paste":
		return fmt.Errorf(":paste works in the interactive shell only")
	default:
		return fmt.Errorf("unknown command %s (:help lists them)", name)
	}
	return nil
}
