// Package kerneltest is a Jupyter client in Go for testing kernels over
// their real sockets: it connects to the five sockets a connection file
// names, signs what it sends, and sorts what it receives by the request
// it answers, so that a test reads like a notebook session:
//
//	c, _ := kerneltest.Dial(ctx, conn)
//	ex, _ := c.Execute(ctx, `fmt.Println("hello")`)
//	ex.Stdout() // "hello\n"
package kerneltest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/go-zeromq/zmq4"

	"gospark/kernel"
)

// Client is a connection to a kernel.
type Client struct {
	conn    *kernel.ConnectionInfo
	codec   *kernel.Codec
	session string

	shell, control, stdin, iopub, hb zmq4.Socket
	sendMu                           sync.Mutex

	mu      sync.Mutex
	changed chan struct{}              // closed and replaced when messages arrive
	replies map[string]*kernel.Message // by parent msg_id
	outputs map[string][]*kernel.Message
	// unparented holds the iopub messages without a parent (status
	// "starting").
	unparented []*kernel.Message
	closed     bool
	cancel     context.CancelFunc
}

// Dial connects to the kernel ci describes. It does not wait for the
// kernel; call Ready.
func Dial(ctx context.Context, ci *kernel.ConnectionInfo) (*Client, error) {
	ctx, cancel := context.WithCancel(ctx)
	id := newID()
	c := &Client{
		conn:    ci,
		codec:   kernel.NewCodec(ci.Key),
		session: id,
		changed: make(chan struct{}),
		replies: map[string]*kernel.Message{},
		outputs: map[string][]*kernel.Message{},
		cancel:  cancel,
	}
	opt := zmq4.WithID(zmq4.SocketIdentity(id))
	retry := zmq4.WithDialerRetry(20 * time.Millisecond)
	retries := zmq4.WithDialerMaxRetries(500)
	c.shell = zmq4.NewDealer(ctx, opt, retry, retries)
	c.control = zmq4.NewDealer(ctx, opt, retry, retries)
	c.stdin = zmq4.NewDealer(ctx, opt, retry, retries)
	c.iopub = zmq4.NewSub(ctx, retry, retries)
	c.hb = zmq4.NewReq(ctx, retry, retries)
	for _, d := range []struct {
		s    zmq4.Socket
		port int
	}{{c.shell, ci.ShellPort}, {c.control, ci.ControlPort}, {c.stdin, ci.StdinPort}, {c.iopub, ci.IOPubPort}, {c.hb, ci.HBPort}} {
		if err := d.s.Dial(endpoint(ci, d.port)); err != nil {
			c.Close()
			return nil, fmt.Errorf("kerneltest: %w", err)
		}
	}
	if err := c.iopub.SetOption(zmq4.OptionSubscribe, ""); err != nil {
		c.Close()
		return nil, err
	}
	go c.receive(c.shell, false)
	go c.receive(c.control, false)
	go c.receive(c.iopub, true)
	return c, nil
}

func endpoint(ci *kernel.ConnectionInfo, port int) string {
	if ci.Transport == "ipc" {
		return fmt.Sprintf("ipc://%s-%d", ci.IP, port)
	}
	return fmt.Sprintf("tcp://%s:%d", ci.IP, port)
}

func newID() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// Close closes the sockets.
func (c *Client) Close() {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return
	}
	c.closed = true
	c.mu.Unlock()
	c.cancel()
	for _, s := range []zmq4.Socket{c.shell, c.control, c.stdin, c.iopub, c.hb} {
		if s != nil {
			s.Close()
		}
	}
}

func (c *Client) receive(s zmq4.Socket, iopub bool) {
	for {
		zm, err := s.Recv()
		if err != nil {
			c.mu.Lock()
			closed := c.closed
			c.mu.Unlock()
			if closed {
				return
			}
			time.Sleep(5 * time.Millisecond)
			continue
		}
		m, err := c.codec.Decode(zm.Frames)
		if err != nil {
			continue
		}
		c.mu.Lock()
		parent := m.ParentID()
		switch {
		case !iopub:
			c.replies[parent] = m
		case parent == "":
			c.unparented = append(c.unparented, m)
		default:
			c.outputs[parent] = append(c.outputs[parent], m)
		}
		close(c.changed)
		c.changed = make(chan struct{})
		c.mu.Unlock()
	}
}

// Send sends a request on "shell", "control" or "stdin" and returns its
// msg_id.
func (c *Client) Send(channel, msgType string, content any) (string, error) {
	return c.send(channel, msgType, content, c.codec)
}

// SendSigned is Send with messages signed under key instead of the
// connection's: a test of how the kernel treats bad signatures.
func (c *Client) SendSigned(channel, msgType string, content any, key string) (string, error) {
	return c.send(channel, msgType, content, kernel.NewCodec(key))
}

func (c *Client) send(channel, msgType string, content any, codec *kernel.Codec) (string, error) {
	body, err := json.Marshal(content)
	if err != nil {
		return "", err
	}
	m := &kernel.Message{
		Header: kernel.Header{MsgID: newID(), Session: c.session, Username: "kerneltest",
			Date: time.Now().UTC().Format(time.RFC3339Nano), MsgType: msgType, Version: kernel.ProtocolVersion},
		Content: body,
	}
	frames, err := codec.Encode(m)
	if err != nil {
		return "", err
	}
	var s zmq4.Socket
	switch channel {
	case "shell":
		s = c.shell
	case "control":
		s = c.control
	case "stdin":
		s = c.stdin
	default:
		return "", fmt.Errorf("kerneltest: no channel %q", channel)
	}
	c.sendMu.Lock()
	defer c.sendMu.Unlock()
	return m.Header.MsgID, s.SendMulti(zmq4.NewMsgFrom(frames...))
}

// wait calls done under the lock each time messages arrive, until it
// reports true or ctx ends.
func (c *Client) wait(ctx context.Context, done func() bool) error {
	for {
		c.mu.Lock()
		ok := done()
		ch := c.changed
		c.mu.Unlock()
		if ok {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// Reply waits for the reply to request msgID.
func (c *Client) Reply(ctx context.Context, msgID string) (*kernel.Message, error) {
	var m *kernel.Message
	err := c.wait(ctx, func() bool {
		m = c.replies[msgID]
		return m != nil
	})
	if err != nil {
		return nil, fmt.Errorf("kerneltest: no reply to %s: %w", msgID, err)
	}
	return m, nil
}

// Outputs waits for the idle status that ends request msgID and returns
// the iopub messages it caused, from busy to idle.
func (c *Client) Outputs(ctx context.Context, msgID string) ([]*kernel.Message, error) {
	var out []*kernel.Message
	err := c.wait(ctx, func() bool {
		out = c.outputs[msgID]
		for _, m := range out {
			if m.Header.MsgType == "status" && state(m) == "idle" {
				return true
			}
		}
		return false
	})
	if err != nil {
		return out, fmt.Errorf("kerneltest: no idle status for %s: %w", msgID, err)
	}
	return append([]*kernel.Message(nil), out...), nil
}

// Messages returns the iopub messages received so far for request msgID.
func (c *Client) Messages(msgID string) []*kernel.Message {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]*kernel.Message(nil), c.outputs[msgID]...)
}

// WaitFor waits until an iopub message for msgID satisfies ok.
func (c *Client) WaitFor(ctx context.Context, msgID string, ok func(*kernel.Message) bool) (*kernel.Message, error) {
	var found *kernel.Message
	err := c.wait(ctx, func() bool {
		for _, m := range c.outputs[msgID] {
			if ok(m) {
				found = m
				return true
			}
		}
		return false
	})
	return found, err
}

func state(m *kernel.Message) string {
	var s struct {
		ExecutionState string `json:"execution_state"`
	}
	json.Unmarshal(m.Content, &s)
	return s.ExecutionState
}

// Request sends a request and waits for its reply and its idle status.
func (c *Client) Request(ctx context.Context, channel, msgType string, content any) (*kernel.Message, []*kernel.Message, error) {
	id, err := c.Send(channel, msgType, content)
	if err != nil {
		return nil, nil, err
	}
	reply, err := c.Reply(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	outs, err := c.Outputs(ctx, id)
	return reply, outs, err
}

// Ready waits until the kernel answers kernel_info_request and its iopub
// messages reach this client: a PUB socket drops what it sends before a
// subscriber's subscription arrives, so a client that has not seen a
// status message yet may miss the first outputs.
func (c *Client) Ready(ctx context.Context) (*kernel.Message, error) {
	for {
		id, err := c.Send("shell", "kernel_info_request", map[string]any{})
		if err != nil {
			return nil, err
		}
		reply, err := c.Reply(ctx, id)
		if err != nil {
			return nil, fmt.Errorf("kerneltest: the kernel is not ready: %w", err)
		}
		short, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
		_, err = c.Outputs(short, id)
		cancel()
		if err == nil {
			return reply, nil
		}
		if ctx.Err() != nil {
			return nil, fmt.Errorf("kerneltest: the kernel's iopub messages do not arrive: %w", ctx.Err())
		}
	}
}

// Ping sends a heartbeat and waits for its echo.
func (c *Client) Ping(ctx context.Context) error {
	done := make(chan error, 1)
	go func() {
		if err := c.hb.Send(zmq4.NewMsgString("ping")); err != nil {
			done <- err
			return
		}
		m, err := c.hb.Recv()
		if err == nil && string(m.Bytes()) != "ping" {
			err = fmt.Errorf("heartbeat echoed %q", m.Bytes())
		}
		done <- err
	}()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Execution is the outcome of one execute_request.
type Execution struct {
	MsgID   string
	Reply   *kernel.Message
	Outputs []*kernel.Message // iopub, from busy to idle
}

// Execute runs code and waits for its reply and its idle status.
func (c *Client) Execute(ctx context.Context, code string) (*Execution, error) {
	id, err := c.Send("shell", "execute_request", map[string]any{"code": code, "silent": false,
		"store_history": true, "user_expressions": map[string]any{}, "allow_stdin": false, "stop_on_error": true})
	if err != nil {
		return nil, err
	}
	return c.Finish(ctx, id)
}

// Finish waits for the reply and the idle status of an execute_request
// sent with Send.
func (c *Client) Finish(ctx context.Context, id string) (*Execution, error) {
	reply, err := c.Reply(ctx, id)
	if err != nil {
		return nil, err
	}
	outs, err := c.Outputs(ctx, id)
	return &Execution{MsgID: id, Reply: reply, Outputs: outs}, err
}

// Status is the reply's status: "ok", "error" or "aborted".
func (e *Execution) Status() string {
	var c struct {
		Status string `json:"status"`
	}
	json.Unmarshal(e.Reply.Content, &c)
	return c.Status
}

// Of returns the outputs of one message type.
func (e *Execution) Of(msgType string) []*kernel.Message {
	var out []*kernel.Message
	for _, m := range e.Outputs {
		if m.Header.MsgType == msgType {
			out = append(out, m)
		}
	}
	return out
}

// Stream returns the text of the stream ("stdout" or "stderr"), joined.
func (e *Execution) Stream(name string) string {
	var b strings.Builder
	for _, m := range e.Of("stream") {
		var c struct{ Name, Text string }
		json.Unmarshal(m.Content, &c)
		if c.Name == name {
			b.WriteString(c.Text)
		}
	}
	return b.String()
}

// Stdout returns what the cell printed on stdout.
func (e *Execution) Stdout() string { return e.Stream("stdout") }

// Result returns the execute_result's data for mime ("text/plain", say),
// or "" and false.
func (e *Execution) Result(mime string) (string, bool) {
	for _, m := range e.Of("execute_result") {
		var c struct {
			Data map[string]any `json:"data"`
		}
		json.Unmarshal(m.Content, &c)
		s, ok := c.Data[mime].(string)
		return s, ok
	}
	return "", false
}

// Error returns the ename, evalue and traceback of the cell's error
// message, or an error when there is not exactly one.
func (e *Execution) Error() (ename, evalue string, traceback []string, err error) {
	errs := e.Of("error")
	if len(errs) != 1 {
		return "", "", nil, fmt.Errorf("%d error messages, want 1", len(errs))
	}
	var c struct {
		Ename     string   `json:"ename"`
		Evalue    string   `json:"evalue"`
		Traceback []string `json:"traceback"`
	}
	if err := json.Unmarshal(errs[0].Content, &c); err != nil {
		return "", "", nil, err
	}
	if c.Traceback == nil {
		return "", "", nil, errors.New("the error has no traceback array")
	}
	return c.Ename, c.Evalue, c.Traceback, nil
}
