// Package pipe forwards what is written into an OS pipe to a writer, and
// lets a caller wait until everything written before its call has been
// forwarded. The shell forwards its interpreter's os.Stdout and os.Stderr
// this way (pipes are real files, so cells keep Go's types), and the kernel
// the process's file descriptors 1 and 2, so that compiled code printing to
// them reaches the notebook.
package pipe

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// SyncTimeout bounds Sync: a stalled destination must not hang its caller.
const SyncTimeout = time.Second

// syncMark brackets the markers Sync writes into the pipe. Text output
// cannot contain it: it holds NUL bytes.
const syncMark = "\x00gospark-sync\x00"

// Forwarder owns a pipe and a goroutine that copies what arrives in it to a
// writer.
type Forwarder struct {
	r, w   *os.File
	dst    io.Writer
	filter func([]byte) []byte

	mu      sync.Mutex
	waiting map[string]chan struct{}
	next    atomic.Int64
	stopped chan struct{}
}

// New starts forwarding a new pipe to dst. filter, when not nil, sees each
// chunk before it is written and returns what to write (the shell takes the
// interpreter's panic-frame lines out of stderr that way).
func New(dst io.Writer, filter func([]byte) []byte) (*Forwarder, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("creating an output pipe: %w", err)
	}
	f := &Forwarder{r: r, w: w, dst: dst, filter: filter, waiting: map[string]chan struct{}{}, stopped: make(chan struct{})}
	go f.run()
	return f, nil
}

// File returns the pipe's write end: what writers write to.
func (f *Forwarder) File() *os.File { return f.w }

func (f *Forwarder) run() {
	defer close(f.stopped)
	buf := make([]byte, 64<<10)
	var carry []byte
	for {
		n, err := f.r.Read(buf)
		if n > 0 {
			data := append(carry, buf[:n]...)
			var done []chan struct{}
			data, carry, done = f.takeMarks(data)
			if f.filter != nil {
				data = f.filter(data)
			}
			if len(data) > 0 {
				f.dst.Write(data)
			}
			for _, c := range done {
				close(c)
			}
		}
		if err != nil {
			if len(carry) > 0 {
				f.dst.Write(carry)
			}
			return
		}
	}
}

// takeMarks removes the complete sync markers from data and returns the
// channels of the Sync calls they release; a trailing fragment that may
// begin a marker is held back in carry.
func (f *Forwarder) takeMarks(data []byte) (out, carry []byte, done []chan struct{}) {
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
		f.mu.Lock()
		if c, ok := f.waiting[id]; ok {
			done = append(done, c)
			delete(f.waiting, id)
		}
		f.mu.Unlock()
		data = append(data[:i:i], data[i+2*len(syncMark)+j:]...)
	}
	if k := bytes.IndexByte(data, 0); k >= 0 && bytes.HasPrefix([]byte(syncMark), data[k:]) {
		return data[:k], data[k:], done
	}
	return data, nil, done
}

// Sync waits until everything written to the pipe before the call has
// been forwarded, or SyncTimeout has passed.
func (f *Forwarder) Sync() {
	id := fmt.Sprint(f.next.Add(1))
	c := make(chan struct{})
	f.mu.Lock()
	f.waiting[id] = c
	f.mu.Unlock()
	if _, err := f.w.WriteString(syncMark + id + syncMark); err != nil {
		return
	}
	select {
	case <-c:
	case <-f.stopped:
	case <-time.After(SyncTimeout):
	}
}

// Close closes the pipe and waits for the forwarding to finish.
func (f *Forwarder) Close() {
	f.w.Close()
	<-f.stopped
	f.r.Close()
}
