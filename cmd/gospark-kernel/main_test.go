package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"gospark/kernel"
	"gospark/kernel/kerneltest"
)

// asKernel is set in the environment of a test binary started as the
// kernel: the tests run the real command without building it separately.
const asKernel = "GOSPARK_KERNEL_TEST_AS_KERNEL"

func TestMain(m *testing.M) {
	if os.Getenv(asKernel) == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// kernelCommand returns a command that runs this test binary as
// gospark-kernel with args.
func kernelCommand(t testing.TB, args ...string) *exec.Cmd {
	t.Helper()
	bin, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), asKernel+"=1", "GOSPARK_KERNEL_HISTORY=")
	return cmd
}

// freePorts returns n tcp ports free on loopback, as a frontend picks them
// for a connection file.
func freePorts(t testing.TB, n int) []int {
	t.Helper()
	var ports []int
	var ls []net.Listener
	for i := 0; i < n; i++ {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ls = append(ls, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	for _, l := range ls {
		l.Close()
	}
	return ports
}

// writeConnectionFile writes a connection file as a frontend does.
func writeConnectionFile(t testing.TB, dir string) (string, *kernel.ConnectionInfo) {
	t.Helper()
	p := freePorts(t, 5)
	ci := &kernel.ConnectionInfo{Transport: "tcp", IP: "127.0.0.1", ShellPort: p[0], IOPubPort: p[1],
		StdinPort: p[2], ControlPort: p[3], HBPort: p[4], SignatureScheme: "hmac-sha256", Key: "a-test-key"}
	path := filepath.Join(dir, "kernel.json")
	if err := ci.WriteFile(path); err != nil {
		t.Fatal(err)
	}
	return path, ci
}

// runningKernel is the kernel binary started on a connection file, with a
// Go client connected.
type runningKernel struct {
	cmd    *exec.Cmd
	c      *kerneltest.Client
	ctx    context.Context
	stderr *bytes.Buffer
	exited chan error
}

func startBinary(t *testing.T, args ...string) *runningKernel {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	t.Cleanup(cancel)
	path, ci := writeConnectionFile(t, t.TempDir())
	cmd := kernelCommand(t, append([]string{"--connection-file", path, "--master", "local[2]"}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	rk := &runningKernel{cmd: cmd, ctx: ctx, stderr: &stderr, exited: make(chan error, 1)}
	go func() { rk.exited <- cmd.Wait() }()
	c, err := kerneltest.Dial(ctx, ci)
	if err != nil {
		t.Fatal(err)
	}
	rk.c = c
	t.Cleanup(func() {
		c.Close()
		cmd.Process.Kill()
		<-rk.exited
		if t.Failed() {
			t.Logf("kernel stderr:\n%s", stderr.String())
		}
	})
	if _, err := c.Ready(ctx); err != nil {
		t.Fatal(err)
	}
	return rk
}

// TestBinary runs the command as Jupyter does and checks what only the
// real process does: output of compiled code written to file descriptor
// 1, SIGINT, and exiting on shutdown_request.
func TestBinary(t *testing.T) {
	rk := startBinary(t)
	ex, err := rk.c.Execute(rk.ctx, `os.NewFile(1, "fd1").WriteString("straight to fd 1\n"); fmt.Println("interpreted")`)
	if err != nil {
		t.Fatal(err)
	}
	if out := ex.Stdout(); !strings.Contains(out, "straight to fd 1\n") || !strings.Contains(out, "interpreted\n") {
		t.Errorf("stdout %q", out)
	}

	// A panic in a task: one error message and nothing else, though the
	// engine and the interpreter write to the captured stderr.
	ex, err = rk.c.Execute(rk.ctx, "sc.Parallelize([]int{1, 2, 3}, 3).Map(func(x int) int { if x == 2 { panic(\"two\") }; return x }).Collect()")
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, m := range ex.Outputs {
		kinds = append(kinds, m.Header.MsgType)
	}
	if strings.Join(kinds, " ") != "status execute_input error status" {
		t.Errorf("a task panic published %v", kinds)
	}
	if _, _, tb, err := ex.Error(); err != nil || len(tb) < 3 {
		t.Errorf("a task panic: traceback %q, %v", tb, err)
	}

	// SIGINT interrupts the running job, and the session goes on.
	id, err := rk.c.Send("shell", "execute_request", map[string]any{"code": "sc.Range(0, 100000, 1, 10000).Map(func(x int) int { time.Sleep(20 * time.Millisecond); return x }).Count()"})
	if err != nil {
		t.Fatal(err)
	}
	rk.c.WaitFor(rk.ctx, id, func(m *kernel.Message) bool { return m.Header.MsgType == "execute_input" })
	time.Sleep(300 * time.Millisecond)
	rk.cmd.Process.Signal(os.Interrupt)
	ex, err = rk.c.Finish(rk.ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if ename, _, _, err := ex.Error(); err != nil || ename != "Cancelled" {
		t.Errorf("after SIGINT: %s %v", ename, err)
	}
	ex, _ = rk.c.Execute(rk.ctx, "1 + 1")
	if r, _ := ex.Result("text/plain"); r != "2" {
		t.Errorf("after SIGINT: 1 + 1 = %q", r)
	}

	if _, err := rk.c.Send("control", "shutdown_request", map[string]any{"restart": false}); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-rk.exited:
		rk.exited <- err
		if err != nil {
			t.Errorf("the kernel exited with %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Error("the kernel did not exit after shutdown_request")
	}
}

// TestWritesMissingConnectionFile starts the kernel on a connection file
// that does not exist: it picks ports and writes the file.
func TestWritesMissingConnectionFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "new.json")
	cmd := kernelCommand(t, "--connection-file", path, "--master", "local[1]")
	var out bytes.Buffer
	cmd.Stdout = &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		cmd.Process.Kill()
		cmd.Wait()
	}()
	var ci *kernel.ConnectionInfo
	for start := time.Now(); time.Since(start) < 30*time.Second; time.Sleep(20 * time.Millisecond) {
		if c, err := kernel.ReadConnectionFile(path); err == nil && c.HBPort != 0 {
			ci = c
			break
		}
	}
	if ci == nil {
		t.Fatal("no connection file was written")
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c, err := kerneltest.Dial(ctx, ci)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Ready(ctx); err != nil {
		t.Fatal(err)
	}
}

// TestExitsWithParent checks that a kernel started by Jupyter (which sets
// JPY_PARENT_PID) exits when the process that started it dies.
func TestExitsWithParent(t *testing.T) {
	path, _ := writeConnectionFile(t, t.TempDir())
	k := kernelCommand(t, "--connection-file", path, "--master", "local[1]")
	// A shell starts the kernel in the background, says its pid, and waits.
	sh := exec.Command("/bin/sh", "-c", `"$@" & echo $!; sleep 60`, "sh")
	sh.Args = append(sh.Args, k.Args...)
	sh.Env = append(k.Env, "JPY_PARENT_PID=1")
	out, err := sh.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := sh.Start(); err != nil {
		t.Fatal(err)
	}
	var pid int
	if _, err := fmt.Fscan(out, &pid); err != nil {
		t.Fatal(err)
	}
	time.Sleep(500 * time.Millisecond)
	if !alive(pid) {
		t.Fatal("the kernel did not start")
	}
	sh.Process.Kill()
	sh.Wait()
	for start := time.Now(); time.Since(start) < 15*time.Second; time.Sleep(100 * time.Millisecond) {
		if !alive(pid) {
			return
		}
	}
	syscall.Kill(pid, syscall.SIGKILL)
	t.Error("the kernel outlived its parent")
}

// alive reports whether process pid runs (a zombie does not).
func alive(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	// The state follows the command name in parentheses.
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	return i > 0 && i+2 < len(s) && s[i+2] != 'Z'
}

func TestInstallCommand(t *testing.T) {
	prefix := t.TempDir()
	var out, errb bytes.Buffer
	if err := run([]string{"install", "--prefix", prefix, "--master", "local[3]"}, &out, &errb); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(prefix, "share", "jupyter", "kernels", "gospark", "kernel.json"))
	if err != nil {
		t.Fatal(err)
	}
	var spec kernel.Spec
	if err := json.Unmarshal(b, &spec); err != nil {
		t.Fatal(err)
	}
	self, _ := os.Executable()
	self, _ = filepath.EvalSymlinks(self)
	want := []string{"--connection-file", "{connection_file}", "--master", "local[3]"}
	if len(spec.Argv) == 0 || fmt.Sprint(spec.Argv[1:]) != fmt.Sprint(want) || spec.InterruptMode != "message" {
		t.Errorf("kernelspec %+v", spec)
	}
	// The test binary lives in go's temporary build directory, as a go run
	// binary does: the spec must name a kept copy, not the vanishing file.
	bin := spec.Argv[0]
	if strings.Contains(bin, "go-build") {
		t.Errorf("the kernelspec names the temporary binary %s", bin)
	}
	got, err1 := os.ReadFile(bin)
	orig, err2 := os.ReadFile(self)
	if err1 != nil || err2 != nil || !bytes.Equal(got, orig) {
		t.Errorf("the kernelspec's binary %s is not a copy of %s (%v, %v)", bin, self, err1, err2)
	}
	if fi, err := os.Stat(bin); err != nil || fi.Mode()&0o111 == 0 {
		t.Errorf("the kernelspec's binary %s is not executable: %v", bin, err)
	}
	if err := run([]string{"install", "--user", "--prefix", prefix}, &out, &errb); err == nil {
		t.Error("--user with --prefix did not fail")
	}
}

// BenchmarkStartup measures a kernel's start: from a connection file to
// the kernel_info_reply, as a frontend sees it (process start, sockets,
// the client's connection), and then to the first cell's result (the
// session and its engine started).
func BenchmarkStartup(b *testing.B) {
	var toInfo, toCell time.Duration
	for i := 0; i < b.N; i++ {
		dir := b.TempDir()
		path, ci := writeConnectionFile(b, dir)
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		start := time.Now()
		cmd := kernelCommand(b, "--connection-file", path, "--master", "local[2]")
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		c, err := kerneltest.Dial(ctx, ci)
		if err != nil {
			b.Fatal(err)
		}
		id, err := c.Send("shell", "kernel_info_request", map[string]any{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := c.Reply(ctx, id); err != nil {
			b.Fatal(err)
		}
		toInfo += time.Since(start)
		if _, err := c.Ready(ctx); err != nil {
			b.Fatal(err)
		}
		ex, err := c.Execute(ctx, "1 + 1")
		if err != nil {
			b.Fatal(err)
		}
		if r, _ := ex.Result("text/plain"); r != "2" {
			b.Fatalf("1 + 1 = %q", r)
		}
		toCell += time.Since(start)
		c.Close()
		cmd.Process.Kill()
		cmd.Wait()
		cancel()
	}
	b.ReportMetric(float64(toInfo.Milliseconds())/float64(b.N), "ms-to-kernel_info")
	b.ReportMetric(float64(toCell.Milliseconds())/float64(b.N), "ms-to-first-result")
}
