package main

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// bin is the gospark-shell binary the tests drive, built once.
var bin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "gospark-shell-test-")
	if err != nil {
		panic(err)
	}
	bin = filepath.Join(dir, "gospark-shell")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		os.RemoveAll(dir)
		panic("building gospark-shell: " + err.Error() + "\n" + string(out))
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// runShell runs the binary with args and stdin, without a terminal.
func runShell(t testing.TB, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Stdin = strings.NewReader(stdin)
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir())
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return o.String(), e.String(), code
}

const wordCount = `words := sc.Parallelize([]string{"the cat", "the dog the end"}).FlatMap(strings.Fields)
words.Count()
counts := words.MapPairs(func(w string) (string, int) { return w, 1 }).
	ReduceByKey(func(a, b int) int { return a + b })
counts.SortBy(func(p engine.Pair) int { return -p.Value.(int) }).Take(1)

// A helper, then its use.
func square(x int) int {
	return x * x
}
sc.Range(1, 4).Map(square).Collect()
fmt.Println("printed")
`

func TestScripts(t *testing.T) {
	dir := t.TempDir()
	script := filepath.Join(dir, "job.go")
	os.WriteFile(script, []byte("x := 20\nx * 2\ny := x.Foo()\nfmt.Println(\"not reached\")\n"), 0o644)
	lib := filepath.Join(dir, "lib.go")
	os.WriteFile(lib, []byte("// A helper file.\nfunc cube(v int) int {\n\treturn v * v * v\n}\n"), 0o644)
	for _, c := range []struct {
		name   string
		stdin  string
		args   []string
		out    string   // stdout, exactly
		errHas []string // stderr contains
		code   int
	}{
		{name: "wordcount", stdin: wordCount, out: "6\n[{the 3}]\n[1 4 9]\nprinted\n"},
		{name: "e", args: []string{"-e", "sc.Range(0, 10, 1, 2).Count()"}, out: "10\n"},
		{name: "master", args: []string{"--master", "local[3]", "-e", "sc.DefaultParallelism()"}, out: "3\n"},
		{name: "conf", args: []string{"--conf", "spark.default.parallelism=5", "--conf", "spark.app.name=t", "-e", `fmt.Println(sc.DefaultParallelism(), sc.AppName())`}, out: "5 t\n"},
		{name: "file fails at its line", args: []string{"-f", script}, out: "40\n", code: 1,
			errHas: []string{script + ":3:8", "x.Foo", "   3 | y := x.Foo()"}},
		{name: "syntax error", stdin: "a := 1\nb := (a +\n 2))\n", code: 1, errHas: []string{"<stdin>:3:4", "syntax error"}},
		{name: "panic", stdin: "1\nvar m map[string]int\nm[\"k\"] = 1\n2\n", out: "1\n", code: 1,
			errHas: []string{"<stdin>:3:1", "assignment to entry in nil map"}},
		{name: "job failure names the func", stdin: "sc.Range(0, 4).\n\tMap(func(x int) int { return 10 / (x - 2) }).\n\tCollect()\n", code: 1,
			errHas: []string{"job failed at <stdin>:1:1", "integer divide by zero", "at <stdin>:2:", "in a func literal", "partition"}},
		{name: "incomplete at EOF", stdin: "func f() {\n", code: 1, errHas: []string{"syntax error"}},
		{name: "commands", stdin: ":help\n:quit\n1\n", errHas: nil, out: ""},
		{name: "load", stdin: ":load " + lib + "\ncube(3)\n", out: "27\n"},
		{name: "load missing", stdin: ":load /nonexistent.go\n", code: 1, errHas: []string{"no such file"}},
		{name: "unknown command", stdin: ":frob\n", code: 1, errHas: []string{"unknown command :frob"}},
		{name: "bad flag", args: []string{"--nope"}, code: 2, errHas: []string{"flag provided but not defined"}},
		{name: "bad master", args: []string{"--master", "yarn"}, code: 1, errHas: []string{"spark.master"}},
		{name: "no prelude output", stdin: "min(3, 2)\nmax(2, 3.5)\n", out: "2\n3.5\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			out, errOut, code := runShell(t, c.stdin, c.args...)
			if c.name == "commands" {
				if !strings.Contains(out, "Commands:") || strings.Contains(out, "\n1\n") {
					t.Errorf(":help/:quit: stdout %q", out)
				}
			} else if out != c.out {
				t.Errorf("stdout %q, want %q (stderr %q)", out, c.out, errOut)
			}
			if code != c.code {
				t.Errorf("exit %d, want %d (stderr %q)", code, c.code, errOut)
			}
			for _, w := range c.errHas {
				if !strings.Contains(errOut, w) {
					t.Errorf("stderr lacks %q:\n%s", w, errOut)
				}
			}
			if strings.Contains(out+errOut, "\x1b[") {
				t.Errorf("escape sequences in script mode: %q %q", out, errOut)
			}
			if strings.Contains(errOut, "goroutine ") {
				t.Errorf("a Go stack dump leaked:\n%s", errOut)
			}
		})
	}
}

// BenchmarkStartup measures the time from exec to the first result of a
// piped cell, sc.Parallelize(...).Count().
func BenchmarkStartup(b *testing.B) {
	for b.Loop() {
		cmd := exec.Command(bin)
		cmd.Stdin = strings.NewReader("sc.Parallelize([]int{1, 2, 3, 4}).Count()\n")
		out, err := cmd.StdoutPipe()
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		line, err := bufio.NewReader(out).ReadString('\n')
		first := time.Since(start)
		if err != nil || line != "4\n" {
			b.Fatalf("first line %q, %v", line, err)
		}
		cmd.Wait()
		b.ReportMetric(float64(first.Microseconds())/1000, "ms-to-first-result")
	}
}

// TestScriptInterrupt: Ctrl-C (SIGINT) while a piped script's cell runs a
// job cancels the job: the cell fails as cancelled and the exit status is 1.
func TestScriptInterrupt(t *testing.T) {
	cmd := exec.Command(bin)
	cmd.Stdin = strings.NewReader("sc.Range(0, 100000, 1, 2).Map(func(v int) int { time.Sleep(time.Millisecond); return v }).Count()\nfmt.Println(\"not reached\")\n")
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(500 * time.Millisecond)
	cmd.Process.Signal(os.Interrupt)
	err := cmd.Wait()
	ee, ok := err.(*exec.ExitError)
	if !ok || ee.ExitCode() != 1 {
		t.Fatalf("exit %v; stderr:\n%s", err, e.String())
	}
	if !strings.Contains(e.String(), "cancelled") || strings.Contains(o.String(), "not reached") {
		t.Errorf("stdout %q stderr %q", o.String(), e.String())
	}
}
