package pipe

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"testing"
)

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestSyncOrders: after Sync returns, everything written before it has
// reached the destination, and no marker leaks into the output, whatever
// the chunking of the pipe.
func TestSyncOrders(t *testing.T) {
	var dst lockedBuffer
	f, err := New(&dst, nil)
	if err != nil {
		t.Fatal(err)
	}
	var want strings.Builder
	for i := 0; i < 200; i++ {
		line := fmt.Sprintf("line %d %s\n", i, strings.Repeat("x", i*37%5000))
		want.WriteString(line)
		f.File().WriteString(line)
		if i%7 == 0 {
			f.Sync()
			if got := dst.String(); got != want.String() {
				t.Fatalf("after Sync at line %d: %d bytes forwarded, want %d", i, len(got), want.Len())
			}
		}
	}
	f.Close()
	if got := dst.String(); got != want.String() {
		t.Fatalf("forwarded %d bytes, want %d", len(got), want.Len())
	}
}

func TestFilter(t *testing.T) {
	var dst lockedBuffer
	f, err := New(&dst, func(b []byte) []byte { return bytes.ReplaceAll(b, []byte("secret"), []byte("******")) })
	if err != nil {
		t.Fatal(err)
	}
	f.File().WriteString("a secret here\n")
	f.Sync()
	f.Close()
	if got := dst.String(); got != "a ****** here\n" {
		t.Fatalf("got %q", got)
	}
}

// TestTakeMarks: markers are cut out, the waiting Sync released, and a
// trailing fragment that may begin a marker held back.
func TestTakeMarks(t *testing.T) {
	f := &Forwarder{waiting: map[string]chan struct{}{"7": make(chan struct{})}}
	data := []byte("ab" + syncMark + "7" + syncMark + "cd" + syncMark[:3])
	out, carry, done := f.takeMarks(data)
	if string(out) != "abcd" || string(carry) != syncMark[:3] || len(done) != 1 {
		t.Errorf("takeMarks: out %q carry %q done %d", out, carry, len(done))
	}
}
