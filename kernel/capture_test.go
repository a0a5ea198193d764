//go:build linux

package kernel

import (
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
)

type lockedBuilder struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuilder) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuilder) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestCaptureFD captures a descriptor of its own (capturing 1 would
// swallow the test's output): what any code writes to it is forwarded, and
// sync returns once it has been.
func TestCaptureFD(t *testing.T) {
	f, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fd := int(f.Fd())
	var out lockedBuilder
	c, err := startCapture(fd, &out)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 100; i++ {
		if _, err := syscall.Write(fd, []byte("line\n")); err != nil {
			t.Fatal(err)
		}
	}
	c.sync()
	if got := out.String(); got != strings.Repeat("line\n", 100) {
		t.Errorf("forwarded %d bytes, want 500", len(got))
	}
	syscall.Write(fd, []byte("last"))
	c.restore()
	if got := out.String(); !strings.HasSuffix(got, "last") {
		t.Errorf("restore lost the tail: %q", got[len(got)-10:])
	}
	// The descriptor is the file it was again.
	var st1, st2 syscall.Stat_t
	syscall.Fstat(fd, &st1)
	syscall.Stat(os.DevNull, &st2)
	if st1.Rdev != st2.Rdev {
		t.Error("restore did not point the descriptor back at /dev/null")
	}
}
