package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"
)

// ptyTerm drives gospark-shell under a pseudo-terminal.
type ptyTerm struct {
	t    *testing.T
	f    *os.File
	cmd  *exec.Cmd
	mu   sync.Mutex
	out  bytes.Buffer
	mark int // expect searches output after this offset
	done chan struct{}
}

func startTerm(t *testing.T, home string) *ptyTerm {
	t.Helper()
	cmd := exec.Command(bin, "--master", "local[2]")
	cmd.Env = append(os.Environ(), "HOME="+home, "TERM=xterm")
	f, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 40, Cols: 120})
	if err != nil {
		t.Fatal(err)
	}
	tm := &ptyTerm{t: t, f: f, cmd: cmd, done: make(chan struct{})}
	go func() {
		defer close(tm.done)
		buf := make([]byte, 4096)
		for {
			n, err := f.Read(buf)
			tm.mu.Lock()
			tm.out.Write(buf[:n])
			tm.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	t.Cleanup(func() {
		cmd.Process.Kill()
		f.Close()
	})
	return tm
}

func (tm *ptyTerm) send(s string) {
	tm.t.Helper()
	if _, err := tm.f.WriteString(s); err != nil {
		tm.t.Fatal(err)
	}
}

// expect waits until the output after the mark contains s, and moves the
// mark past it.
func (tm *ptyTerm) expect(s string, timeout time.Duration) {
	tm.t.Helper()
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		tm.mu.Lock()
		out := tm.out.String()
		tm.mu.Unlock()
		if i := strings.Index(out[tm.mark:], s); i >= 0 {
			tm.mark += i + len(s)
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	tm.mu.Lock()
	defer tm.mu.Unlock()
	tm.t.Fatalf("timed out waiting for %q; output after the mark:\n%q", s, tm.out.String()[tm.mark:])
}

func TestTerminal(t *testing.T) {
	home := t.TempDir()
	tm := startTerm(t, home)
	tm.expect("gospark 0.1 · master local[2] · app local-", 10*time.Second)
	tm.expect("(sc and spark are ready; :help for help)", time.Second)
	tm.expect("gospark> ", 5*time.Second)

	// Tab completes a method of sc.
	tm.send("sc.Ra\t")
	tm.expect("sc.Range", 5*time.Second)
	tm.send("(0, 3).Count()\r")
	tm.expect("\r\n3\r\n", 5*time.Second)

	// Tab twice lists the methods of the value before the dot.
	tm.send("rdd := sc.Range(0, 10)\r")
	tm.expect("gospark> ", 5*time.Second)
	tm.send("rdd.Red\t\t")
	tm.expect("Reduce", 5*time.Second)
	tm.expect("ReduceByKey", 5*time.Second)
	// Ctrl-C leaves the list, a second clears the line.
	tm.send("\x03")
	time.Sleep(100 * time.Millisecond)
	tm.send("\x03")
	tm.expect("^C", 5*time.Second)
	tm.expect("gospark> ", 5*time.Second)

	// A cell continues while it is incomplete.
	tm.send("x := 40 +\r")
	tm.expect("    ...> ", 5*time.Second)
	tm.send("2\r")
	tm.expect("gospark> ", 5*time.Second)
	tm.send("func twice(v int) int {\r")
	tm.expect("    ...> ", 5*time.Second)
	tm.send("return 2 * v\r")
	tm.expect("    ...> ", 5*time.Second)
	tm.send("}\r")
	tm.expect("gospark> ", 5*time.Second)
	tm.send("twice(x)\r")
	tm.expect("\r\n84\r\n", 5*time.Second)

	// Ctrl-C at the prompt clears the line.
	tm.send("garbage garbage")
	tm.send("\x03")
	tm.expect("gospark> ", 5*time.Second)
	tm.send("1 + 1\r")
	tm.expect("\r\n2\r\n", 5*time.Second)

	// Ctrl-C during a long job cancels it; the progress bar shows first.
	tm.send("sc.Range(0, 100000, 1, 2).Map(func(v int) int { time.Sleep(time.Millisecond); return v }).Count()\r")
	tm.expect("[Stage ", 10*time.Second)
	tm.send("\x03")
	tm.expect("cancelled", 10*time.Second)
	tm.expect("gospark> ", 10*time.Second)
	// The session goes on.
	tm.send("twice(21)\r")
	tm.expect("\r\n42\r\n", 10*time.Second)

	// Errors name the line and do not end the session.
	tm.send("rdd.Colect()\r")
	tm.expect("did you mean Collect?", 5*time.Second)
	tm.expect("gospark> ", 5*time.Second)

	// Input reads a line from the terminal.
	tm.send("who := Input(\"name? \")\r")
	tm.expect("name? ", 5*time.Second)
	tm.send("ann\r")
	tm.expect("gospark> ", 5*time.Second)
	tm.send("who\r")
	tm.expect("\"ann\"", 5*time.Second)

	// :paste runs the pasted lines as one cell.
	tm.send(":paste\r")
	tm.expect("pasting", 5*time.Second)
	tm.send("a := 5\rb := a * 3\rb\r:end\r")
	tm.expect("\r\n15\r\n", 5*time.Second)
	tm.expect("gospark> ", 5*time.Second)

	// :reset starts over.
	tm.send(":reset\r")
	tm.expect("new session: gospark 0.1", 10*time.Second)
	tm.send("a\r")
	tm.expect("undefined: a", 5*time.Second)
	tm.send("sc.Range(0, 2).Count()\r")
	tm.expect("\r\n2\r\n", 5*time.Second)

	// Ctrl-D stops sc and exits 0.
	tm.send("\x04")
	select {
	case <-tm.done:
	case <-time.After(10 * time.Second):
		t.Fatal("Ctrl-D did not end the shell")
	}
	if err := tm.cmd.Wait(); err != nil {
		t.Fatalf("exit: %v", err)
	}
	hist, err := os.ReadFile(filepath.Join(home, ".gospark_history"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(hist), `"func twice(v int) int {\nreturn 2 * v\n}"`) {
		t.Errorf("history lacks the whole multi-line cell:\n%s", hist)
	}
}

// TestTerminalHistoryRecall checks that a multi-line cell from an earlier
// session comes back as one line that runs.
func TestTerminalHistoryRecall(t *testing.T) {
	home := t.TempDir()
	os.WriteFile(filepath.Join(home, ".gospark_history"), []byte(`"func thrice(v int) int {\n\treturn 3 * v // triple\n}"`+"\n"+`"thrice(5)"`+"\n"), 0o600)
	tm := startTerm(t, home)
	tm.expect("gospark> ", 10*time.Second)
	tm.send("\x1b[A\x1b[A\r") // up twice: the func
	tm.expect("gospark> ", 5*time.Second)
	tm.send("\x1b[A\x1b[A\r") // up twice: thrice(5)
	tm.expect("\r\n15\r\n", 5*time.Second)
	tm.send("\x04")
	<-tm.done
}
