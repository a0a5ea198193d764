package kernel

import (
	"runtime"
	"runtime/debug"
	"strings"
	"unicode/utf8"

	"gospark/shell"
)

// handleShell serves one shell request, between busy and idle statuses.
func (k *Kernel) handleShell(m *Message) {
	k.pub.status(m, "busy")
	defer k.pub.status(m, "idle")
	ch := k.socks.shell
	switch t := m.Header.MsgType; t {
	case "execute_request":
		k.execute(m)
	case "kernel_info_request":
		k.reply(ch, m, "kernel_info_reply", k.kernelInfo())
	case "complete_request":
		k.complete(m)
	case "inspect_request":
		k.inspect(m)
	case "is_complete_request":
		k.isComplete(m)
	case "history_request":
		k.historyReply(m)
	case "comm_info_request":
		k.reply(ch, m, "comm_info_reply", map[string]any{"status": "ok", "comms": map[string]any{}})
	case "comm_open":
		// No comm targets are registered: close the comm, as ipykernel
		// does for an unknown target.
		var c struct {
			CommID string `json:"comm_id"`
		}
		m.decode(&c)
		k.pub.publishTo(m, "comm_close", map[string]any{"comm_id": c.CommID, "data": map[string]any{}})
	case "comm_msg", "comm_close":
	case "connect_request":
		ci := k.cfg.Conn
		k.reply(ch, m, "connect_reply", map[string]any{"status": "ok", "shell_port": ci.ShellPort,
			"iopub_port": ci.IOPubPort, "stdin_port": ci.StdinPort, "control_port": ci.ControlPort, "hb_port": ci.HBPort})
	case "shutdown_request", "interrupt_request":
		k.handleControlRequest(ch, m)
	default:
		k.unknown(ch, m)
	}
}

// handleControl serves one control request. It runs on the control
// socket's own goroutine, so it is answered while a cell runs.
func (k *Kernel) handleControl(m *Message) {
	k.pub.status(m, "busy")
	defer k.pub.status(m, "idle")
	ch := k.socks.control
	switch m.Header.MsgType {
	case "kernel_info_request":
		k.reply(ch, m, "kernel_info_reply", k.kernelInfo())
	case "shutdown_request", "interrupt_request":
		k.handleControlRequest(ch, m)
	default:
		k.unknown(ch, m)
	}
}

func (k *Kernel) handleControlRequest(ch *channel, m *Message) {
	switch m.Header.MsgType {
	case "interrupt_request":
		k.Interrupt()
		k.reply(ch, m, "interrupt_reply", map[string]any{"status": "ok"})
	case "shutdown_request":
		var c struct {
			Restart bool `json:"restart"`
		}
		m.decode(&c)
		content := map[string]any{"status": "ok", "restart": c.Restart}
		k.reply(ch, m, "shutdown_reply", content)
		k.pub.publishTo(m, "shutdown_reply", content)
		k.Shutdown(c.Restart)
	}
}

// unknown answers a request the kernel does not serve with an error reply
// of the matching type, so that no client waits for ever; other unknown
// messages are logged.
func (k *Kernel) unknown(ch *channel, m *Message) {
	t := m.Header.MsgType
	if base, ok := strings.CutSuffix(t, "_request"); ok {
		k.reply(ch, m, base+"_reply", map[string]any{"status": "error", "ename": "UnknownMessageType",
			"evalue": "gospark-kernel does not serve " + t, "traceback": []string{}})
		return
	}
	k.log.Printf("%s: ignored a %q message", ch.name, t)
}

// kernelInfo is the content of kernel_info_reply.
func (k *Kernel) kernelInfo() map[string]any {
	return map[string]any{
		"status":                 "ok",
		"protocol_version":       ProtocolVersion,
		"implementation":         "gospark",
		"implementation_version": implementationVersion(),
		"language_info": map[string]any{
			"name":               "go",
			"version":            strings.TrimPrefix(runtime.Version(), "go"),
			"mimetype":           "text/x-go",
			"file_extension":     ".go",
			"pygments_lexer":     "go",
			"codemirror_mode":    "go",
			"nbconvert_exporter": "script",
		},
		"banner": "gospark " + implementationVersion() + " — Apache Spark's architecture in Go.\n" +
			"sc is the session's engine context; Display(v) shows v as rich output.",
		"help_links": []map[string]string{
			{"text": "Go", "url": "https://go.dev/doc/"},
			{"text": "Apache Spark RDD guide", "url": "https://spark.apache.org/docs/latest/rdd-programming-guide.html"},
		},
		"debugger": false,
	}
}

// implementationVersion is the gospark module's version, "dev" for a build
// from a work tree.
func implementationVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

// complete answers complete_request. Jupyter counts cursor positions in
// Unicode code points; the session counts bytes.
func (k *Kernel) complete(m *Message) {
	var c struct {
		Code      string `json:"code"`
		CursorPos *int   `json:"cursor_pos"`
	}
	m.decode(&c)
	cursor := utf8.RuneCountInString(c.Code)
	if c.CursorPos != nil {
		cursor = *c.CursorPos
	}
	matches, start, end := []string{}, cursor, cursor
	if s, err := k.session(); err == nil {
		b := byteOffset(c.Code, cursor)
		ms, bs, be := s.Complete(c.Code, b)
		if ms != nil {
			matches = ms
		}
		start, end = runeOffset(c.Code, bs), runeOffset(c.Code, be)
	}
	k.reply(k.socks.shell, m, "complete_reply", map[string]any{"status": "ok", "matches": matches,
		"cursor_start": start, "cursor_end": end, "metadata": map[string]any{}})
}

// inspect answers inspect_request with the doc of the name under the
// cursor.
func (k *Kernel) inspect(m *Message) {
	var c struct {
		Code      string `json:"code"`
		CursorPos *int   `json:"cursor_pos"`
	}
	m.decode(&c)
	cursor := utf8.RuneCountInString(c.Code)
	if c.CursorPos != nil {
		cursor = *c.CursorPos
	}
	data := map[string]any{}
	found := false
	if s, err := k.session(); err == nil {
		var doc string
		doc, found = s.Inspect(c.Code, byteOffset(c.Code, cursor))
		if found {
			data["text/plain"] = doc
		}
	}
	k.reply(k.socks.shell, m, "inspect_reply", map[string]any{"status": "ok", "found": found,
		"data": data, "metadata": map[string]any{}})
}

// isComplete answers is_complete_request; it needs no session.
func (k *Kernel) isComplete(m *Message) {
	var c struct {
		Code string `json:"code"`
	}
	m.decode(&c)
	status, indent := shell.IsComplete(c.Code)
	content := map[string]any{"status": status}
	if status == shell.StatusIncomplete {
		content["indent"] = indent
	}
	k.reply(k.socks.shell, m, "is_complete_reply", content)
}

func (k *Kernel) historyReply(m *Message) {
	var req historyRequest
	if err := m.decode(&req); err != nil {
		k.reply(k.socks.shell, m, "history_reply", errorReply("BadRequest", err.Error()))
		return
	}
	rows, err := k.history.query(req)
	if err != nil {
		k.reply(k.socks.shell, m, "history_reply", errorReply("BadRequest", err.Error()))
		return
	}
	k.reply(k.socks.shell, m, "history_reply", map[string]any{"status": "ok", "history": rows})
}

func errorReply(ename, evalue string) map[string]any {
	return map[string]any{"status": "error", "ename": ename, "evalue": evalue, "traceback": []string{evalue}}
}

// byteOffset converts an offset in code points to one in bytes.
func byteOffset(s string, runes int) int {
	if runes <= 0 {
		return 0
	}
	n := 0
	for i := range s {
		if n == runes {
			return i
		}
		n++
	}
	return len(s)
}

// runeOffset converts an offset in bytes to one in code points.
func runeOffset(s string, b int) int {
	b = min(max(b, 0), len(s))
	return utf8.RuneCountInString(s[:b])
}
