package kernel_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"gospark/engine"
	"gospark/kernel"
	"gospark/kernel/kerneltest"
	"gospark/shell"
)

// syncBuffer is a bytes.Buffer safe for the kernel's log goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// testKernel is an in-process kernel on loopback sockets with a client
// connected to it.
type testKernel struct {
	k       *kernel.Kernel
	c       *kerneltest.Client
	log     *syncBuffer
	ctx     context.Context
	ran     chan struct{}
	restart bool
}

// startKernel starts a kernel on local[2] and waits until the client is
// ready. The kernel is shut down when the test ends.
func startKernel(t *testing.T) *testKernel {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	log := &syncBuffer{}
	hist, err := kernel.OpenHistory("")
	if err != nil {
		t.Fatal(err)
	}
	k, err := kernel.New(kernel.Config{
		Conn:    kernel.NewConnectionInfo(),
		Session: shell.Options{Conf: engine.Conf{"spark.master": "local[2]"}},
		History: hist,
		Log:     log,
	})
	if err != nil {
		t.Fatal(err)
	}
	tk := &testKernel{k: k, log: log, ctx: ctx, ran: make(chan struct{})}
	go func() {
		defer close(tk.ran)
		tk.restart, _ = k.Run(context.Background())
	}()
	c, err := kerneltest.Dial(ctx, k.Conn())
	if err != nil {
		t.Fatal(err)
	}
	tk.c = c
	t.Cleanup(func() {
		k.Shutdown(false)
		<-tk.ran
		c.Close()
	})
	if _, err := c.Ready(ctx); err != nil {
		t.Fatal(err)
	}
	return tk
}

func (tk *testKernel) execute(t *testing.T, code string) *kerneltest.Execution {
	t.Helper()
	ex, err := tk.c.Execute(tk.ctx, code)
	if err != nil {
		t.Fatalf("executing %q: %v", code, err)
	}
	return ex
}

func content(t *testing.T, m *kernel.Message) map[string]any {
	t.Helper()
	var c map[string]any
	if err := json.Unmarshal(m.Content, &c); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestKernelInfo(t *testing.T) {
	tk := startKernel(t)
	for _, ch := range []string{"shell", "control"} {
		reply, outs, err := tk.c.Request(tk.ctx, ch, "kernel_info_request", map[string]any{})
		if err != nil {
			t.Fatal(err)
		}
		if reply.Header.Version != "5.3" || reply.Header.MsgType != "kernel_info_reply" {
			t.Errorf("%s: header %+v, want a 5.3 kernel_info_reply", ch, reply.Header)
		}
		c := content(t, reply)
		li, _ := c["language_info"].(map[string]any)
		if c["status"] != "ok" || c["protocol_version"] != "5.3" || li["name"] != "go" || li["file_extension"] != ".go" {
			t.Errorf("%s: kernel_info_reply %v", ch, c)
		}
		if len(outs) != 2 || state(t, outs[0]) != "busy" || state(t, outs[1]) != "idle" {
			t.Errorf("%s: iopub %v, want busy then idle", ch, types(outs))
		}
	}
	if err := tk.c.Ping(tk.ctx); err != nil {
		t.Errorf("heartbeat: %v", err)
	}
}

func state(t *testing.T, m *kernel.Message) string {
	s, _ := content(t, m)["execution_state"].(string)
	return s
}

func types(ms []*kernel.Message) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Header.MsgType)
	}
	return out
}

func TestExecute(t *testing.T) {
	tk := startKernel(t)

	ex := tk.execute(t, `fmt.Println("hello, world")`)
	if ex.Status() != "ok" || ex.Stdout() != "hello, world\n" {
		t.Errorf("hello: status %s, stdout %q", ex.Status(), ex.Stdout())
	}
	if got := types(ex.Outputs); strings.Join(got, " ") != "status execute_input stream status" {
		t.Errorf("hello: iopub %v", got)
	}

	ex = tk.execute(t, "x := 40\nx + 2")
	if r, _ := ex.Result("text/plain"); r != "42" {
		t.Errorf("x + 2 = %q, want 42", r)
	}
	if n := content(t, ex.Reply)["execution_count"]; n != 2.0 {
		t.Errorf("execution_count %v, want 2", n)
	}

	ex = tk.execute(t, `fmt.Fprintln(os.Stderr, "to stderr")`)
	if got := ex.Stream("stderr"); got != "to stderr\n" {
		t.Errorf("stderr %q", got)
	}

	// A panic: exactly one error message, with a traceback, and nothing
	// else between execute_input and idle.
	ex = tk.execute(t, "func boom() { panic(\"boom\") }\nboom()")
	if ex.Status() != "error" {
		t.Errorf("panic: status %s", ex.Status())
	}
	ename, evalue, tb, err := ex.Error()
	if err != nil {
		t.Fatalf("panic: %v (outputs %v)", err, types(ex.Outputs))
	}
	if ename != "RuntimeError" || !strings.Contains(evalue, "boom") || len(tb) < 2 {
		t.Errorf("panic: %s %q %q", ename, evalue, tb)
	}
	if got := strings.Join(types(ex.Outputs), " "); got != "status execute_input error status" {
		t.Errorf("panic: iopub %s", got)
	}
	rc := content(t, ex.Reply)
	if rc["ename"] != ename || rc["traceback"] == nil {
		t.Errorf("panic: reply %v", rc)
	}

	// A job whose func panics in a task, and a compile error.
	ex = tk.execute(t, "sc.Parallelize([]int{1, 2, 3}, 3).Map(func(x int) int { if x == 2 { panic(\"two\") }; return x }).Collect()")
	if ename, _, _, err := ex.Error(); err != nil || ename != "JobError" {
		t.Errorf("task panic: %s %v (outputs %v)", ename, err, types(ex.Outputs))
	}
	ex = tk.execute(t, "y := undefinedName + 1")
	if ename, _, _, err := ex.Error(); err != nil || ename != "CompileError" {
		t.Errorf("compile error: %s %v", ename, err)
	}

	// The session survives.
	ex = tk.execute(t, "sc.Parallelize([]int{1, 2, 3, 4}).Map(func(x int) int { return x * x }).Reduce(func(a, b int) int { return a + b })")
	if r, _ := ex.Result("text/plain"); r != "30" {
		t.Errorf("after errors: %q, want 30", r)
	}
}

// TestStreamsLive checks that output reaches the client while the cell
// still runs, not when it ends.
func TestStreamsLive(t *testing.T) {
	tk := startKernel(t)
	id, err := tk.c.Send("shell", "execute_request", map[string]any{"code": `fmt.Println("first"); time.Sleep(time.Second); fmt.Println("second")`})
	if err != nil {
		t.Fatal(err)
	}
	m, err := tk.c.WaitFor(tk.ctx, id, func(m *kernel.Message) bool { return m.Header.MsgType == "stream" })
	if err != nil {
		t.Fatal(err)
	}
	if text := content(t, m)["text"]; text != "first\n" {
		t.Errorf("the first stream message is %q", text)
	}
	short, cancel := context.WithTimeout(tk.ctx, 100*time.Millisecond)
	defer cancel()
	if _, err := tk.c.Reply(short, id); err == nil {
		t.Error("the cell had ended when its first output arrived")
	}
	ex, err := tk.c.Finish(tk.ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if ex.Stdout() != "first\nsecond\n" {
		t.Errorf("stdout %q", ex.Stdout())
	}
}

func TestSilentAndStoreHistory(t *testing.T) {
	tk := startKernel(t)
	id, _ := tk.c.Send("shell", "execute_request", map[string]any{"code": "1 + 1", "silent": true})
	ex, err := tk.c.Finish(tk.ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(ex.Of("execute_input")) != 0 || len(ex.Of("execute_result")) != 0 {
		t.Errorf("silent: iopub %v", types(ex.Outputs))
	}
	ex = tk.execute(t, "2 + 2")
	if n := content(t, ex.Reply)["execution_count"]; n != 1.0 {
		t.Errorf("execution_count after a silent cell: %v, want 1", n)
	}
}

func TestBadSignatureIsDropped(t *testing.T) {
	tk := startKernel(t)
	id, err := tk.c.SendSigned("shell", "kernel_info_request", map[string]any{}, "not-the-key")
	if err != nil {
		t.Fatal(err)
	}
	short, cancel := context.WithTimeout(tk.ctx, 500*time.Millisecond)
	defer cancel()
	if m, err := tk.c.Reply(short, id); err == nil {
		t.Fatalf("a message with a bad signature got a reply: %v", m.Header)
	}
	if !strings.Contains(tk.log.String(), "bad message signature") {
		t.Errorf("the kernel did not log the bad signature; log:\n%s", tk.log.String())
	}
	if _, _, err := tk.c.Request(tk.ctx, "shell", "kernel_info_request", map[string]any{}); err != nil {
		t.Errorf("after a bad message: %v", err)
	}
}

func TestReplies(t *testing.T) {
	tk := startKernel(t)
	tk.execute(t, "value := 42")
	cases := []struct {
		msgType string
		content map[string]any
		check   func(c map[string]any) bool
	}{
		{"complete_request", map[string]any{"code": "val", "cursor_pos": 3},
			func(c map[string]any) bool { _, ok := c["matches"].([]any); return ok && c["cursor_end"] == 3.0 }},
		{"inspect_request", map[string]any{"code": "sc", "cursor_pos": 2, "detail_level": 0},
			func(c map[string]any) bool { _, ok := c["found"].(bool); return ok }},
		{"is_complete_request", map[string]any{"code": "func f() {"},
			func(c map[string]any) bool { return c["status"] == "incomplete" && c["indent"] == "    " }},
		{"is_complete_request", map[string]any{"code": "x := := 3"},
			func(c map[string]any) bool { return c["status"] == "invalid" }},
		{"comm_info_request", map[string]any{},
			func(c map[string]any) bool { _, ok := c["comms"].(map[string]any); return ok }},
		{"history_request", map[string]any{"hist_access_type": "tail", "n": 1, "output": false, "raw": true},
			func(c map[string]any) bool { h, _ := c["history"].([]any); return len(h) == 1 }},
		{"made_up_request", map[string]any{},
			func(c map[string]any) bool { return c["status"] == "error" }},
	}
	for _, tc := range cases {
		reply, outs, err := tk.c.Request(tk.ctx, "shell", tc.msgType, tc.content)
		if err != nil {
			t.Errorf("%s: %v", tc.msgType, err)
			continue
		}
		c := content(t, reply)
		want := strings.TrimSuffix(tc.msgType, "_request") + "_reply"
		if reply.Header.MsgType != want || !tc.check(c) {
			t.Errorf("%s: %s %v", tc.msgType, reply.Header.MsgType, c)
		}
		if tc.msgType != "made_up_request" && c["status"] != "ok" && tc.msgType != "is_complete_request" {
			t.Errorf("%s: status %v", tc.msgType, c["status"])
		}
		if len(outs) != 2 {
			t.Errorf("%s: iopub %v, want busy and idle", tc.msgType, types(outs))
		}
	}
}

// TestCursorInCodePoints checks that positions are counted in code points
// on the wire: "é" is one position and two bytes.
func TestCursorInCodePoints(t *testing.T) {
	tk := startKernel(t)
	code := `s := "é"; va`
	reply, _, err := tk.c.Request(tk.ctx, "shell", "complete_request", map[string]any{"code": code, "cursor_pos": 12})
	if err != nil {
		t.Fatal(err)
	}
	if c := content(t, reply); c["cursor_end"] != 12.0 {
		t.Errorf("cursor_end %v, want 12 (code points)", c["cursor_end"])
	}
}

func TestHistory(t *testing.T) {
	tk := startKernel(t)
	for _, code := range []string{"1 + 1", "2 + 2", "1 + 1", "3 + 3"} {
		tk.execute(t, code)
	}
	hist := func(req map[string]any) []any {
		t.Helper()
		req["output"], req["raw"] = true, true
		reply, _, err := tk.c.Request(tk.ctx, "shell", "history_request", req)
		if err != nil {
			t.Fatal(err)
		}
		h, _ := content(t, reply)["history"].([]any)
		return h
	}
	tail := hist(map[string]any{"hist_access_type": "tail", "n": 2})
	if len(tail) != 2 {
		t.Fatalf("tail: %v", tail)
	}
	last := tail[1].([]any)
	if last[1] != 4.0 || last[2].([]any)[0] != "3 + 3" || last[2].([]any)[1] != "6" {
		t.Errorf("tail: last entry %v", last)
	}
	session := last[0]
	if r := hist(map[string]any{"hist_access_type": "range", "session": session, "start": 2, "stop": 4}); len(r) != 2 {
		t.Errorf("range [2,4): %v", r)
	}
	if r := hist(map[string]any{"hist_access_type": "search", "pattern": "1 *"}); len(r) != 2 {
		t.Errorf("search: %v", r)
	}
	if r := hist(map[string]any{"hist_access_type": "search", "pattern": "1 *", "unique": true}); len(r) != 1 {
		t.Errorf("search unique: %v", r)
	}
	if r := hist(map[string]any{"hist_access_type": "search", "pattern": "*", "n": 3}); len(r) != 3 {
		t.Errorf("search n=3: %v", r)
	}
}

func TestDisplay(t *testing.T) {
	tk := startKernel(t)
	ex := tk.execute(t, `fmt.Println("before"); Display(display.HTML("<b>bold</b>")); fmt.Println("after")`)
	dd := ex.Of("display_data")
	if len(dd) != 1 {
		t.Fatalf("display_data: %v", types(ex.Outputs))
	}
	data := content(t, dd[0])["data"].(map[string]any)
	if data["text/html"] != "<b>bold</b>" || data["text/plain"] != "bold" {
		t.Errorf("display_data %v", data)
	}

	// The same display id twice: a display, then an update in place.
	ex = tk.execute(t, `Display(display.Markdown("one").WithID("d1")); Display(display.Markdown("two").WithID("d1"))`)
	if got := strings.Join(types(ex.Outputs), " "); got != "status execute_input display_data update_display_data status" {
		t.Errorf("display id: iopub %s", got)
	}

	// A cell can clear its output.
	ex = tk.execute(t, `Display(display.ClearOutput(true))`)
	if cl := ex.Of("clear_output"); len(cl) != 1 || content(t, cl[0])["wait"] != true {
		t.Errorf("clear_output: %v", types(ex.Outputs))
	}

	// A DataFrame shows its first rows as a table.
	ex = tk.execute(t, "spark.SQL(`SELECT 1 AS x, 'a' AS y`)")
	if html, ok := ex.Result("text/html"); !ok || !strings.Contains(html, "<th>x</th>") || !strings.Contains(html, "<td>a</td>") {
		t.Errorf("a DataFrame: %q, %v", html, types(ex.Outputs))
	}
	if text, _ := ex.Result("text/plain"); !strings.Contains(text, "|  x|  y|") {
		t.Errorf("a DataFrame's text: %q", text)
	}

	// A collected result renders as an HTML table.
	ex = tk.execute(t, `display.Values(sc.Parallelize([]int{3, 1, 2}).Collect())`)
	if html, ok := ex.Result("text/html"); !ok || !strings.Contains(html, "<table") {
		t.Errorf("collected values: %q, %v", html, types(ex.Outputs))
	}
}

func TestInterrupt(t *testing.T) {
	tk := startKernel(t)
	// Many short tasks: the job runs for minutes unless cancelled.
	id, err := tk.c.Send("shell", "execute_request", map[string]any{"code": "sc.Range(0, 100000, 1, 10000).Map(func(x int) int { time.Sleep(20 * time.Millisecond); return x }).Count()"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tk.c.WaitFor(tk.ctx, id, func(m *kernel.Message) bool { return m.Header.MsgType == "execute_input" }); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	start := time.Now()
	reply, _, err := tk.c.Request(tk.ctx, "control", "interrupt_request", map[string]any{})
	if err != nil {
		t.Fatal(err)
	}
	if content(t, reply)["status"] != "ok" {
		t.Errorf("interrupt_reply %v", content(t, reply))
	}
	ex, err := tk.c.Finish(tk.ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("the cell ended %v after the interrupt", time.Since(start))
	if ename, _, _, err := ex.Error(); err != nil || ename != "Cancelled" {
		t.Errorf("interrupted cell: %s %v", ename, err)
	}
	ex = tk.execute(t, "sc.Parallelize([]int{1, 2, 3}).Count()")
	if r, _ := ex.Result("text/plain"); r != "3" {
		t.Errorf("after the interrupt: %q, want 3", r)
	}
}

// TestInterruptLoop interrupts a cell that runs no job: the kernel stops
// the interpreter after kernel.InterruptGrace, and the session goes on.
func TestInterruptLoop(t *testing.T) {
	tk := startKernel(t)
	id, err := tk.c.Send("shell", "execute_request", map[string]any{"code": "n := 0\nfor { n++ }"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tk.c.WaitFor(tk.ctx, id, func(m *kernel.Message) bool { return m.Header.MsgType == "execute_input" }); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond)
	start := time.Now()
	if _, _, err := tk.c.Request(tk.ctx, "control", "interrupt_request", map[string]any{}); err != nil {
		t.Fatal(err)
	}
	ex, err := tk.c.Finish(tk.ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("the loop stopped %v after the interrupt", time.Since(start))
	if ename, _, _, err := ex.Error(); err != nil || ename != "Cancelled" {
		t.Errorf("interrupted loop: %s %v", ename, err)
	}
	ex = tk.execute(t, "sc.Parallelize([]int{1, 2, 3}).Map(func(x int) int { return x * 2 }).Collect()")
	if r, _ := ex.Result("text/plain"); r != "[2 4 6]" {
		t.Errorf("after stopping the interpreter: %q, want [2 4 6] (%v)", r, types(ex.Outputs))
	}
}

func TestProgressBar(t *testing.T) {
	tk := startKernel(t)
	ex := tk.execute(t, "sc.Range(0, 40, 1, 8).Map(func(x int) int { time.Sleep(90 * time.Millisecond); return x }).Count()")
	if r, _ := ex.Result("text/plain"); r != "40" {
		t.Fatalf("count %q", r)
	}
	dd, up := ex.Of("display_data"), ex.Of("update_display_data")
	if len(dd) != 1 || len(up) == 0 {
		t.Fatalf("progress: iopub %v", types(ex.Outputs))
	}
	id := content(t, dd[0])["transient"].(map[string]any)["display_id"]
	final := content(t, up[len(up)-1])
	if final["transient"].(map[string]any)["display_id"] != id {
		t.Errorf("the update is for display %v, want %v", final["transient"], id)
	}
	text := final["data"].(map[string]any)["text/plain"].(string)
	if !strings.Contains(text, "finished in") {
		t.Errorf("the bar's last form is %q, want the job's time", text)
	}
}

func TestShutdown(t *testing.T) {
	tk := startKernel(t)
	reply, _, err := tk.c.Request(tk.ctx, "control", "shutdown_request", map[string]any{"restart": true})
	if err != nil {
		t.Fatal(err)
	}
	if c := content(t, reply); c["status"] != "ok" || c["restart"] != true {
		t.Errorf("shutdown_reply %v", c)
	}
	select {
	case <-tk.ran:
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after shutdown_request")
	}
	if !tk.restart {
		t.Error("Run did not report the restart")
	}
}
