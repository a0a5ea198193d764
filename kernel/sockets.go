package kernel

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"os"
	"sync"

	"github.com/go-zeromq/zmq4"
)

// channel is one of the kernel's sockets, with a lock so that goroutines
// take turns sending on it.
type channel struct {
	name string
	sock zmq4.Socket
	mu   sync.Mutex
}

// send signs and sends a message.
func (c *channel) send(s *Codec, m *Message) error {
	frames, err := s.Encode(m)
	if err != nil {
		return fmt.Errorf("kernel: encoding %s on %s: %w", m.Header.MsgType, c.name, err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.sock.SendMulti(zmq4.NewMsgFrom(frames...)); err != nil {
		return fmt.Errorf("kernel: sending %s on %s: %w", m.Header.MsgType, c.name, err)
	}
	return nil
}

// sockets are the five sockets of a kernel.
type sockets struct {
	shell, control, stdin, iopub *channel
	hb                           zmq4.Socket
}

// listen binds the five sockets where ci says. Ports that are 0 are picked
// and written back into ci.
func listen(ctx context.Context, ci *ConnectionInfo, logger *log.Logger) (*sockets, error) {
	opt := zmq4.WithLogger(logger)
	s := &sockets{
		shell:   &channel{name: "shell", sock: zmq4.NewRouter(ctx, opt)},
		control: &channel{name: "control", sock: zmq4.NewRouter(ctx, opt)},
		stdin:   &channel{name: "stdin", sock: zmq4.NewRouter(ctx, opt)},
		iopub:   &channel{name: "iopub", sock: zmq4.NewPub(ctx, opt)},
		hb:      zmq4.NewRep(ctx, opt),
	}
	binds := []struct {
		sock zmq4.Socket
		port *int
	}{
		{s.shell.sock, &ci.ShellPort},
		{s.control.sock, &ci.ControlPort},
		{s.stdin.sock, &ci.StdinPort},
		{s.iopub.sock, &ci.IOPubPort},
		{s.hb, &ci.HBPort},
	}
	for _, b := range binds {
		if err := bind(ci, b.sock, b.port); err != nil {
			s.close()
			return nil, err
		}
	}
	return s, nil
}

// bind listens on one port, picking it when it is 0.
func bind(ci *ConnectionInfo, sock zmq4.Socket, port *int) error {
	if ci.Transport == "ipc" && *port == 0 {
		// Jupyter numbers ipc endpoints; take the first free one.
		for n := 1; ; n++ {
			if _, err := os.Stat(fmt.Sprintf("%s-%d", ci.IP, n)); errors.Is(err, os.ErrNotExist) {
				*port = n
				break
			}
		}
	}
	if err := sock.Listen(ci.endpoint(*port)); err != nil {
		return fmt.Errorf("kernel: %w", err)
	}
	if *port == 0 {
		addr, ok := sock.Addr().(*net.TCPAddr)
		if !ok {
			return fmt.Errorf("kernel: cannot tell which port %s got", ci.endpoint(0))
		}
		*port = addr.Port
	}
	return nil
}

func (s *sockets) close() {
	for _, c := range []*channel{s.shell, s.control, s.stdin, s.iopub} {
		c.mu.Lock()
		c.sock.Close()
		c.mu.Unlock()
	}
	s.hb.Close()
}
