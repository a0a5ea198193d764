package shell

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// The interpreter's os.Stdout and os.Stderr are pipes that the session
// reads and forwards to Options.Stdout and Options.Stderr. Pipes are real
// files, so cells keep Go's types (os.Stdout is an *os.File, and output of
// compiled code handed os.Stdout is captured too); and the session can take
// out of stderr the lines yaegi writes for each interpreted frame a panic
// crosses, which become the cell error's traceback.

// stream forwards one pipe to a writer.
type stream struct {
	r, w   *os.File
	dst    io.Writer
	frames func([]byte) []byte // removes and keeps frame lines; nil on stdout

	mu      sync.Mutex
	synced  map[string]chan struct{}
	pending []chan struct{} // markers seen, released once the data before them is written
	next    atomic.Int64
	stopped chan struct{}
}

func newStream(dst io.Writer, frames func([]byte) []byte) (*stream, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("creating an output pipe: %w", err)
	}
	s := &stream{r: r, w: w, dst: dst, frames: frames, synced: map[string]chan struct{}{}, stopped: make(chan struct{})}
	go s.run()
	return s, nil
}

// syncMark brackets the markers sync writes into the pipe. It cannot occur
// in text output: it holds NUL bytes.
const syncMark = "\x00gospark-sync\x00"

func (s *stream) run() {
	defer close(s.stopped)
	buf := make([]byte, 64<<10)
	var carry []byte
	for {
		n, err := s.r.Read(buf)
		if n > 0 {
			data := append(carry, buf[:n]...)
			carry = nil
			data, carry = s.takeMarks(data)
			if s.frames != nil {
				data = s.frames(data)
			}
			if len(data) > 0 {
				s.dst.Write(data)
			}
			s.release()
		}
		if err != nil {
			if len(carry) > 0 {
				s.dst.Write(carry)
			}
			return
		}
	}
}

// takeMarks removes complete sync markers from data, recording them as
// seen, and holds back a trailing fragment that may be the start of one.
func (s *stream) takeMarks(data []byte) (out, carry []byte) {
	for {
		i := bytes.Index(data, []byte(syncMark))
		if i < 0 {
			break
		}
		j := bytes.Index(data[i+len(syncMark):], []byte(syncMark))
		if j < 0 {
			return data[:i], data[i:]
		}
		id := string(data[i+len(syncMark) : i+len(syncMark)+j])
		s.mu.Lock()
		if c, ok := s.synced[id]; ok {
			s.pending = append(s.pending, c)
			delete(s.synced, id)
		}
		s.mu.Unlock()
		data = append(data[:i:i], data[i+2*len(syncMark)+j:]...)
	}
	if k := bytes.IndexByte(data, 0); k >= 0 && bytes.HasPrefix([]byte(syncMark), data[k:]) {
		return data[:k], data[k:]
	}
	return data, nil
}

// release wakes the sync calls whose markers have been passed.
func (s *stream) release() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.pending {
		close(c)
	}
	s.pending = nil
}

// sync waits until everything written to the pipe before the call has
// been forwarded (or a second has passed: a stalled destination must not
// hang the session).
func (s *stream) sync() {
	id := fmt.Sprint(s.next.Add(1))
	c := make(chan struct{})
	s.mu.Lock()
	s.synced[id] = c
	s.mu.Unlock()
	if _, err := s.w.WriteString(syncMark + id + syncMark); err != nil {
		return
	}
	select {
	case <-c:
	case <-s.stopped:
	case <-time.After(time.Second):
	}
}

// close closes the pipe and waits for the forwarding to finish.
func (s *stream) close() {
	s.w.Close()
	<-s.stopped
	s.r.Close()
}
