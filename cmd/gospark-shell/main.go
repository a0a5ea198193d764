// Command gospark-shell is gospark's REPL: Go typed at a prompt against a
// live engine context sc, like spark-shell.
//
//	gospark-shell                         # interactive, local[*]
//	gospark-shell --master local[4] --conf spark.default.parallelism=8
//	gospark-shell -e 'sc.Range(0, 10, 1, 2).Count()'
//	gospark-shell -f job.go               # run a script's cells in order
//	cat job.go | gospark-shell            # the same, from stdin
//
// In script mode results are printed without prompts or colours and the
// exit status is 1 at the first failing cell, whose error names the line.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/term"

	"gospark/engine"
	"gospark/shell"
	"gospark/shell/repl"
)

// confFlags collects repeated --conf k=v flags.
type confFlags engine.Conf

func (c confFlags) String() string { return "" }

func (c confFlags) Set(kv string) error {
	k, v, ok := strings.Cut(kv, "=")
	if !ok || strings.TrimSpace(k) == "" {
		return fmt.Errorf("want key=value, got %q", kv)
	}
	c[strings.TrimSpace(k)] = v
	return nil
}

func main() { os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) }

func run(args []string, stdin *os.File, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("gospark-shell", flag.ContinueOnError)
	fs.SetOutput(stderr)
	conf := confFlags{}
	master := fs.String("master", "", "the master URL: local, local[N], local[*] (default) or local-cluster[E,C,M]")
	name := fs.String("name", "", "the application name (spark.app.name)")
	file := fs.String("f", "", "run the cells of a Go script `file` and exit")
	code := fs.String("e", "", "run `code` and exit")
	fs.Var(conf, "conf", "a configuration `key=value`; repeatable")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: gospark-shell [--master URL] [--conf key=value]... [-f file | -e code]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "gospark-shell: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return 2
	}
	if *file != "" && *code != "" {
		fmt.Fprintln(stderr, "gospark-shell: use either -f or -e")
		return 2
	}
	if *master != "" {
		conf["spark.master"] = *master
	}
	if *name != "" {
		conf["spark.app.name"] = *name
	}
	interactive := *file == "" && *code == "" && term.IsTerminal(int(stdin.Fd()))
	cfg := repl.Config{
		Session:  shell.Options{Conf: engine.Conf(conf)},
		Stdin:    stdin,
		Stdout:   stdout,
		Stderr:   stderr,
		Terminal: interactive,
		Progress: isTerminal(stderr),
	}
	if interactive {
		cfg.Color = isTerminal(stdout)
		if home, err := os.UserHomeDir(); err == nil {
			cfg.HistoryFile = filepath.Join(home, ".gospark_history")
			cfg.Session.HistoryFile = cfg.HistoryFile
		}
	}
	sh, err := repl.New(cfg)
	if err != nil {
		fmt.Fprintln(stderr, "gospark-shell:", err)
		return 1
	}
	defer sh.Close()
	switch {
	case *code != "":
		err = sh.RunScript("-e", strings.NewReader(*code))
	case *file != "":
		f, ferr := os.Open(*file)
		if ferr != nil {
			fmt.Fprintln(stderr, "gospark-shell:", ferr)
			return 1
		}
		defer f.Close()
		err = sh.RunScript(*file, f)
	case interactive:
		err = sh.Interactive()
	default:
		err = sh.RunScript("<stdin>", stdin)
	}
	if err != nil {
		if !errors.Is(err, repl.ErrCellFailed) {
			fmt.Fprintln(stderr, "gospark-shell:", err)
		}
		return 1
	}
	return 0
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
