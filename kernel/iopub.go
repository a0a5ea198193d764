package kernel

import (
	"log"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/go-zeromq/zmq4"
)

// subscriberWait is how long the first iopub message waits for a client's
// subscription to reach the socket.
const subscriberWait = 5 * time.Second

// publisher sends iopub messages. Output that is not the answer to one
// request in particular (what a cell prints, its displays, progress bars)
// goes to the current parent: the request that runs, or the last one when
// none does, as ipykernel does for output of background threads.
type publisher struct {
	ch     *channel
	codec  *Codec
	origin origin
	log    *log.Logger

	mu     sync.Mutex
	parent *Message

	subscribed sync.Once
}

// awaitSubscriber waits, before the first message only, until a client has
// subscribed. A PUB socket drops what it publishes before a subscription
// arrives (ZeroMQ's "slow joiner"), and a client that misses the first
// cell's busy/idle status waits for it forever — jupyter console does.
// Protocol 5.3 has no welcome message to wait for (that is JEP 65, 5.4).
func (p *publisher) awaitSubscriber() {
	p.subscribed.Do(func() {
		t, ok := p.ch.sock.(zmq4.Topics)
		if !ok {
			return
		}
		for start := time.Now(); len(t.Topics()) == 0 && time.Since(start) < subscriberWait; {
			time.Sleep(2 * time.Millisecond)
		}
	})
}

// setParent makes m the parent of the output that follows.
func (p *publisher) setParent(m *Message) {
	p.mu.Lock()
	p.parent = m
	p.mu.Unlock()
}

func (p *publisher) currentParent() *Message {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.parent
}

// publish sends a message answering the current parent.
func (p *publisher) publish(msgType string, content any) {
	p.publishTo(p.currentParent(), msgType, content)
}

// publishTo sends a message answering parent.
func (p *publisher) publishTo(parent *Message, msgType string, content any) {
	p.awaitSubscriber()
	m, err := p.origin.newMessage(msgType, parent, content)
	if err != nil {
		p.log.Printf("encoding %s: %v", msgType, err)
		return
	}
	if err := p.ch.send(p.codec, m); err != nil {
		p.log.Print(err)
	}
}

// status publishes the kernel's execution state, answering parent.
func (p *publisher) status(parent *Message, state string) {
	p.publishTo(parent, "status", map[string]string{"execution_state": state})
}

// streamWriter turns writes into stream messages ("stdout" or "stderr")
// for the current parent, one message per write, so that output reaches
// the notebook as it is produced. A multi-byte character cut between two
// writes is held back until its end arrives.
type streamWriter struct {
	p    *publisher
	name string

	mu    sync.Mutex
	carry []byte
}

// Write implements io.Writer; it never fails.
func (w *streamWriter) Write(b []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	data := b
	if len(w.carry) > 0 {
		data = append(w.carry, b...)
		w.carry = nil
	}
	if cut := incompleteSuffix(data); cut > 0 {
		w.carry = append([]byte(nil), data[len(data)-cut:]...)
		data = data[:len(data)-cut]
	}
	if len(data) > 0 {
		w.p.publish("stream", map[string]string{"name": w.name, "text": string(data)})
	}
	return len(b), nil
}

// flush sends what a cut character held back, as it is.
func (w *streamWriter) flush() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.carry) > 0 {
		w.p.publish("stream", map[string]string{"name": w.name, "text": string(w.carry)})
		w.carry = nil
	}
}

// incompleteSuffix returns the length of a UTF-8 sequence cut short at the
// end of b, or 0.
func incompleteSuffix(b []byte) int {
	for i := 1; i <= utf8.UTFMax-1 && i <= len(b); i++ {
		c := b[len(b)-i]
		if c < utf8.RuneSelf {
			return 0 // ASCII: nothing cut
		}
		if utf8.RuneStart(c) {
			if utf8.FullRune(b[len(b)-i:]) {
				return 0
			}
			return i
		}
	}
	return 0
}
