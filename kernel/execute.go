package kernel

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"runtime/debug"
	"strings"

	"gospark/display"
	"gospark/shell"
)

// executeRequest is the content of an execute_request.
type executeRequest struct {
	Code            string         `json:"code"`
	Silent          bool           `json:"silent"`
	StoreHistory    *bool          `json:"store_history"`
	UserExpressions map[string]any `json:"user_expressions"`
	AllowStdin      bool           `json:"allow_stdin"`
	StopOnError     *bool          `json:"stop_on_error"`
}

// execute runs a cell. It publishes execute_input, then the cell's output
// as it comes, then one execute_result or one error, and replies.
func (k *Kernel) execute(m *Message) {
	var req executeRequest
	if err := m.decode(&req); err != nil {
		k.reply(k.socks.shell, m, "execute_reply", withCount(errorReply("BadRequest", err.Error()), k.count))
		return
	}
	store := !req.Silent && (req.StoreHistory == nil || *req.StoreHistory)
	if store {
		k.count++
	}
	n := k.count
	k.pub.setParent(m)
	if !req.Silent {
		k.pub.publishTo(m, "execute_input", map[string]any{"code": req.Code, "execution_count": n})
	}

	k.started()
	res, err := k.eval(req.Code)
	k.finished()
	if s := k.sess; s != nil {
		// The last progress update of the cell's jobs goes out before idle.
		s.Context().WaitForEvents()
	}
	k.syncOutput()

	if err != nil {
		ename, evalue, tb := errorContent(err)
		k.pub.publishTo(m, "error", map[string]any{"ename": ename, "evalue": evalue, "traceback": tb})
		reply := map[string]any{"status": "error", "ename": ename, "evalue": evalue, "traceback": tb,
			"execution_count": n, "user_expressions": map[string]any{}, "payload": []any{}}
		k.reply(k.socks.shell, m, "execute_reply", reply)
		if store {
			k.history.add(n, req.Code, "")
		}
		if req.StopOnError == nil || *req.StopOnError {
			k.abortQueued()
		}
		return
	}
	output := ""
	if res.HasValue && !req.Silent {
		d := k.resultData(res)
		output = d.String()
		k.pub.publishTo(m, "execute_result", bundleContent(n, d))
	}
	k.reply(k.socks.shell, m, "execute_reply", map[string]any{"status": "ok", "execution_count": n,
		"user_expressions": map[string]any{}, "payload": []any{}})
	if store {
		k.history.add(n, req.Code, output)
	}
}

// eval runs code in the session. A panic of the session itself (a bug)
// becomes the cell's error, so that the kernel goes on.
func (k *Kernel) eval(code string) (res shell.Result, err error) {
	s, err := k.session()
	if err != nil {
		return shell.Result{}, err
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("internal error of the gospark session: %v\n%s", r, debug.Stack())
		}
	}()
	return s.Eval(context.Background(), code)
}

// abortQueued answers the execute requests already queued behind a failed
// cell with status "aborted", as ipykernel does when stop_on_error is set:
// "run all" stops at the first error. Other requests are served.
func (k *Kernel) abortQueued() {
	for {
		select {
		case m := <-k.shellQ:
			if m.Header.MsgType != "execute_request" {
				k.handleShell(m)
				continue
			}
			k.pub.status(m, "busy")
			k.reply(k.socks.shell, m, "execute_reply", map[string]any{"status": "aborted", "execution_count": k.count})
			k.pub.status(m, "idle")
		default:
			return
		}
	}
}

func withCount(content map[string]any, n int) map[string]any {
	content["execution_count"] = n
	return content
}

// resultData is the bundle of a cell's value. A DataFrame shows its first
// rows as a table (which runs a job: an interrupt cancels it). A collection
// without a rich form of its own — the []any of rdd.Collect(), a []Pair
// from Take, a map from CountByValue — shows as an HTML table
// (display.Values) over its Go text.
func (k *Kernel) resultData(res shell.Result) display.Data {
	if res.Data != nil {
		return *res.Data
	}
	k.setRendering(true)
	d, ok, err := tableData(res.Value)
	k.setRendering(false)
	switch {
	case err != nil:
		return display.Text(res.Text + "\n(the table failed: " + err.Error() + ")")
	case ok:
		return d
	}
	if isCollection(res.Value) {
		if d, err := display.Values(res.Value).Display(); err == nil {
			return d.WithText(res.Text)
		}
	}
	return display.Text(res.Text)
}

// isCollection reports whether v is a non-empty slice, array or map, other
// than bytes.
func isCollection(v any) bool {
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Slice, reflect.Array:
		return rv.Len() > 0 && rv.Type().Elem().Kind() != reflect.Uint8
	case reflect.Map:
		return rv.Len() > 0
	}
	return false
}

// bundleContent is the content of an execute_result.
func bundleContent(n int, d display.Data) map[string]any {
	c := map[string]any{"execution_count": n, "data": d.MIME, "metadata": d.Metadata}
	if d.MIME == nil {
		c["data"] = map[string]any{}
	}
	if d.Metadata == nil {
		c["metadata"] = map[string]any{}
	}
	if d.ID != "" {
		c["transient"] = map[string]any{"display_id": d.ID}
	}
	return c
}

// ANSI colours of a traceback's first line, as IPython's.
const (
	ansiRed   = "\x1b[0;31m"
	ansiReset = "\x1b[0m"
)

// errorContent turns a cell's error into the ename, evalue and traceback
// of a Jupyter error: a *shell.CellError gives its kind, message and
// report (the failing line with a caret, then the frames and the job).
func errorContent(err error) (ename, evalue string, tb []string) {
	var ce *shell.CellError
	if !errors.As(err, &ce) {
		msg := err.Error()
		return "Error", firstLine(msg), colorFirst(strings.Split(msg, "\n"))
	}
	evalue = ce.Msg
	if ce.Hint != "" {
		evalue += " (" + ce.Hint + ")"
	}
	return ce.Kind.String(), evalue, colorFirst(strings.Split(ce.Report(), "\n"))
}

func colorFirst(lines []string) []string {
	if len(lines) > 0 {
		lines[0] = ansiRed + lines[0] + ansiReset
	}
	return lines
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
