package kernel

import (
	"fmt"
	"io"
	"os"

	"gospark/internal/pipe"
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
	fwd   *pipe.Forwarder
}

// startCapture redirects fd into a new pipe forwarded to dst.
func startCapture(fd int, dst io.Writer) (*fdCapture, error) {
	saved, err := dupFD(fd)
	if err != nil {
		return nil, fmt.Errorf("kernel: saving fd %d: %w", fd, err)
	}
	fwd, err := pipe.New(dst, nil)
	if err != nil {
		saved.Close()
		return nil, fmt.Errorf("kernel: capturing fd %d: %w", fd, err)
	}
	if err := redirectFD(fwd.File(), fd); err != nil {
		saved.Close()
		fwd.Close()
		return nil, fmt.Errorf("kernel: capturing fd %d: %w", fd, err)
	}
	return &fdCapture{fd: fd, saved: saved, fwd: fwd}, nil
}

// sync waits until what was written to the descriptor before the call has
// been forwarded, or a second has passed.
func (c *fdCapture) sync() { c.fwd.Sync() }

// restore points the descriptor back where it was and stops forwarding.
func (c *fdCapture) restore() {
	redirectFD(c.saved, c.fd)
	c.fwd.Close()
	c.saved.Close()
}
