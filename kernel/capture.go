package kernel

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// fdCapture redirects one of the process's file descriptors (1 or 2) into
// a pipe and forwards what arrives there to a writer, so that compiled code
// writing to os.Stdout or os.Stderr — df.Show(), a library's log — reaches
// the notebook like the output of interpreted code. The descriptor stays
// redirected for the kernel's life; the writer routes the output to the
// request that runs.
//
// sync waits until everything written to the descriptor before the call
// has been forwarded: the kernel calls it before it publishes a cell's
// result or its idle status, so that output comes first.
type fdCapture struct {
	fd    int
	saved *os.File // the descriptor as it was, to restore it
	r, w  *os.File
	dst   io.Writer

	mu      sync.Mutex
	waiting map[string]chan struct{}
	next    atomic.Int64
	stopped chan struct{}
}

// syncMark brackets the markers sync writes into the pipe. It holds NUL
// bytes, which text output does not.
const syncMark = "\x00gospark-kernel-sync\x00"

// startCapture redirects fd into a new pipe forwarded to dst.
func startCapture(fd int, dst io.Writer) (*fdCapture, error) {
	saved, err := dupFD(fd)
	if err != nil {
		return nil, fmt.Errorf("kernel: saving fd %d: %w", fd, err)
	}
	r, w, err := os.Pipe()
	if err != nil {
		saved.Close()
		return nil, fmt.Errorf("kernel: capturing fd %d: %w", fd, err)
	}
	if err := redirectFD(w, fd); err != nil {
		saved.Close()
		r.Close()
		w.Close()
		return nil, fmt.Errorf("kernel: capturing fd %d: %w", fd, err)
	}
	c := &fdCapture{fd: fd, saved: saved, r: r, w: w, dst: dst,
		waiting: map[string]chan struct{}{}, stopped: make(chan struct{})}
	go c.run()
	return c, nil
}

func (c *fdCapture) run() {
	defer close(c.stopped)
	buf := make([]byte, 64<<10)
	var carry []byte
	for {
		n, err := c.r.Read(buf)
		if n > 0 {
			data := append(carry, buf[:n]...)
			var done []chan struct{}
			data, carry, done = c.takeMarks(data)
			if len(data) > 0 {
				c.dst.Write(data)
			}
			for _, ch := range done {
				close(ch)
			}
		}
		if err != nil {
			if len(carry) > 0 {
				c.dst.Write(carry)
			}
			return
		}
	}
}

// takeMarks removes the complete sync markers from data and returns the
// channels of the sync calls they release. A trailing fragment that may
// begin a marker is held back in carry.
func (c *fdCapture) takeMarks(data []byte) (out, carry []byte, done []chan struct{}) {
	for {
		i := bytes.Index(data, []byte(syncMark))
		if i < 0 {
			break
		}
		j := bytes.Index(data[i+len(syncMark):], []byte(syncMark))
		if j < 0 {
			return data[:i], data[i:], done
		}
		id := string(data[i+len(syncMark) : i+len(syncMark)+j])
		c.mu.Lock()
		if ch, ok := c.waiting[id]; ok {
			done = append(done, ch)
			delete(c.waiting, id)
		}
		c.mu.Unlock()
		data = append(data[:i:i], data[i+2*len(syncMark)+j:]...)
	}
	if k := bytes.IndexByte(data, 0); k >= 0 && bytes.HasPrefix([]byte(syncMark), data[k:]) {
		return data[:k], data[k:], done
	}
	return data, nil, done
}

// sync waits until what was written to the descriptor before the call has
// been forwarded, or a second has passed.
func (c *fdCapture) sync() {
	id := fmt.Sprint(c.next.Add(1))
	ch := make(chan struct{})
	c.mu.Lock()
	c.waiting[id] = ch
	c.mu.Unlock()
	if _, err := c.w.WriteString(syncMark + id + syncMark); err != nil {
		return
	}
	select {
	case <-ch:
	case <-c.stopped:
	case <-time.After(time.Second):
	}
}

// restore points the descriptor back where it was and stops forwarding.
func (c *fdCapture) restore() {
	redirectFD(c.saved, c.fd)
	c.w.Close()
	<-c.stopped
	c.r.Close()
	c.saved.Close()
}
