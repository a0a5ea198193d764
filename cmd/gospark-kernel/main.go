// Command gospark-kernel is gospark's Jupyter kernel: Go cells in a
// notebook, evaluated by the same session as gospark-shell, with a live sc.
//
// Install the kernelspec, then pick "Go (gospark)" in Jupyter:
//
//	gospark-kernel install --user          # ~/.local/share/jupyter/kernels/gospark
//	gospark-kernel install --prefix DIR    # DIR/share/jupyter/kernels/gospark
//	gospark-kernel install                 # /usr/local/share/jupyter/kernels/gospark
//
// Jupyter starts the kernel as
//
//	gospark-kernel --connection-file /path/to/kernel-1234.json
//
// Without --connection-file the kernel writes a connection file of its own
// and prints its path, for `jupyter console --existing FILE`.
//
// --master and --conf k=v configure the engine as for gospark-shell; given
// to install, they are written into the kernelspec. SIGINT interrupts the
// running cell (the kernelspec asks frontends for interrupt_request
// messages instead); SIGTERM shuts the kernel down.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"gospark/engine"
	"gospark/kernel"
	"gospark/shell"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "gospark-kernel:", err)
		os.Exit(1)
	}
}

// confFlag collects repeated --conf k=v flags.
type confFlag map[string]string

func (c confFlag) String() string { return "" }

func (c confFlag) Set(s string) error {
	k, v, ok := strings.Cut(s, "=")
	if !ok || k == "" {
		return fmt.Errorf("want key=value, got %q", s)
	}
	c[k] = v
	return nil
}

// engineFlags registers the flags that configure the engine.
func engineFlags(fs *flag.FlagSet) (master *string, conf confFlag) {
	conf = confFlag{}
	master = fs.String("master", "", "the engine's master URL, as spark.master (default local[*])")
	fs.Var(conf, "conf", "an engine setting `key=value`, e.g. spark.sql.shuffle.partitions=4 (repeatable)")
	return master, conf
}

func run(args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "install" {
		return install(args[1:], stdout, stderr)
	}
	fs := flag.NewFlagSet("gospark-kernel", flag.ContinueOnError)
	fs.SetOutput(stderr)
	connFile := fs.String("connection-file", "", "the Jupyter connection `file` (written when missing)")
	fs.StringVar(connFile, "f", "", "short for --connection-file")
	master, conf := engineFlags(fs)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: gospark-kernel --connection-file FILE [--master URL] [--conf k=v ...]\n"+
			"       gospark-kernel install [--user | --prefix DIR] [--master URL] [--conf k=v ...]\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	return serve(*connFile, *master, conf, stdout)
}

// serve runs the kernel until it is shut down.
func serve(connFile, master string, conf confFlag, stdout io.Writer) error {
	var ci *kernel.ConnectionInfo
	write := false
	if connFile != "" {
		c, err := kernel.ReadConnectionFile(connFile)
		switch {
		case err == nil:
			ci = c
		case errors.Is(err, os.ErrNotExist):
			ci, write = kernel.NewConnectionInfo(), true
		default:
			return err
		}
	} else {
		ci, write = kernel.NewConnectionInfo(), true
		connFile = filepath.Join(os.TempDir(), fmt.Sprintf("gospark-kernel-%d.json", os.Getpid()))
	}
	econf := engine.Conf{"spark.app.name": "gospark-kernel"}
	for k, v := range conf {
		econf[k] = v
	}
	if master != "" {
		econf["spark.master"] = master
	}
	if write {
		// Said now: once the kernel runs, stdout is the notebook's.
		fmt.Fprintf(stdout, "To connect a client: jupyter console --existing %s\n", connFile)
	}
	hist, err := kernel.OpenHistory(kernel.DefaultHistoryFile())
	if err != nil {
		fmt.Fprintln(os.Stderr, "gospark-kernel: history is not kept:", err)
		hist = nil
	}
	k, err := kernel.New(kernel.Config{
		Conn:       ci,
		Session:    shell.Options{Conf: econf},
		CaptureFDs: true,
		History:    hist,
	})
	if err != nil {
		return err
	}
	if write {
		if err := ci.WriteFile(connFile); err != nil {
			return err
		}
	}

	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		for s := range sigs {
			if s == os.Interrupt {
				k.Interrupt()
				continue
			}
			cancel()
		}
	}()
	if os.Getenv("JPY_PARENT_PID") != "" {
		go watchParent(cancel)
	}
	_, err = k.Run(ctx)
	return err
}

// watchParent shuts the kernel down when the process that started it
// exits, as ipykernel's parent poller does: a frontend killed without
// shutting its kernels down must not leave them running. Jupyter's
// launcher sets JPY_PARENT_PID; the kernel then watches for being
// re-parented.
func watchParent(shutdown func()) {
	parent := os.Getppid()
	for range time.Tick(time.Second) {
		if os.Getppid() != parent {
			shutdown()
			return
		}
	}
}

// install writes the kernelspec.
func install(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("gospark-kernel install", flag.ContinueOnError)
	fs.SetOutput(stderr)
	user := fs.Bool("user", false, "install for the current user (the Jupyter data directory)")
	prefix := fs.String("prefix", "", "install under `DIR`/share/jupyter/kernels")
	master, conf := engineFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("install: unexpected arguments %q", fs.Args())
	}
	dir, err := kernel.KernelsDir(*user, *prefix)
	if err != nil {
		return fmt.Errorf("install: %w", err)
	}
	bin, err := os.Executable()
	if err != nil {
		return fmt.Errorf("install: finding the kernel binary: %w", err)
	}
	if b, err := filepath.EvalSymlinks(bin); err == nil {
		bin = b
	}
	if strings.Contains(bin, string(filepath.Separator)+"go-build") {
		// go run builds into a directory it deletes on exit: keep a copy
		// of the binary with the kernelspec, or the spec would name a file
		// that is gone.
		kept, err := keepBinary(bin, filepath.Join(dir, kernel.SpecName))
		if err != nil {
			return fmt.Errorf("install: keeping the temporary binary %s: %w", bin, err)
		}
		fmt.Fprintf(stderr, "%s is a temporary binary (go run); copied it to %s\n", bin, kept)
		bin = kept
	}
	var extra []string
	if *master != "" {
		extra = append(extra, "--master", *master)
	}
	for k, v := range conf {
		extra = append(extra, "--conf", k+"="+v)
	}
	path, err := kernel.Install(dir, kernel.NewSpec(bin, extra...))
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Installed the gospark kernelspec in %s\n", path)
	return nil
}

// keepBinary copies the executable bin into dir and returns the copy's path.
func keepBinary(bin, dir string) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	dst := filepath.Join(dir, "gospark-kernel")
	src, err := os.Open(bin)
	if err != nil {
		return "", err
	}
	defer src.Close()
	tmp, err := os.CreateTemp(dir, ".gospark-kernel-*")
	if err != nil {
		return "", err
	}
	defer os.Remove(tmp.Name())
	if _, err := io.Copy(tmp, src); err != nil {
		tmp.Close()
		return "", err
	}
	if err := tmp.Chmod(0o755); err != nil {
		tmp.Close()
		return "", err
	}
	if err := tmp.Close(); err != nil {
		return "", err
	}
	return dst, os.Rename(tmp.Name(), dst)
}
