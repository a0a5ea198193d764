package kernel

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"os/user"
	"runtime/debug"
	"sync"
	"time"

	"gospark/shell"
)

// Config configures a Kernel.
type Config struct {
	// Conn says where the sockets listen and how messages are signed.
	// Ports that are 0 are picked by New and written back.
	Conn *ConnectionInfo
	// Session configures the shell session cells run in. The kernel sets
	// its Stdout, Stderr and Display.
	Session shell.Options
	// CaptureFDs redirects file descriptors 1 and 2 for the kernel's life,
	// so that compiled code writing to os.Stdout and os.Stderr is seen in
	// the notebook. Only a kernel that owns its process should: a test
	// binary's own output would be captured too.
	CaptureFDs bool
	// History records executed cells for history_request; nil keeps them
	// in memory.
	History *History
	// Log receives the kernel's own log: dropped messages, socket errors.
	// Nil means the process's standard error as it was before CaptureFDs
	// redirected it.
	Log io.Writer
}

// Kernel serves the Jupyter protocol for one shell.Session.
type Kernel struct {
	cfg     Config
	log     *log.Logger
	codec   *Codec
	origin  origin
	socks   *sockets
	pub     *publisher
	stdout  *streamWriter
	stderr  *streamWriter
	capture []*fdCapture
	history *History

	ready   chan struct{} // closed once the session has started (or failed to)
	sess    *shell.Session
	sessErr error
	prog    *progress

	shellQ chan *Message
	count  int // the execution count; the shell goroutine's alone

	mu        sync.Mutex
	displayed map[string]bool // display ids sent, to send updates after
	running   int             // the number of the running execution, 0 when none
	runs      int             // executions started
	rendering bool            // a result is being rendered, which may run jobs

	done     chan struct{}
	doneOnce sync.Once
	restart  bool
	wg       sync.WaitGroup
}

// New binds the kernel's sockets and starts its session in the background,
// so that the kernel answers kernel_info_request before the session is
// ready. Call Run to serve.
func New(cfg Config) (*Kernel, error) {
	if cfg.Conn == nil {
		return nil, errors.New("kernel: Config.Conn is nil")
	}
	if err := cfg.Conn.check(); err != nil {
		return nil, fmt.Errorf("kernel: %w", err)
	}
	k := &Kernel{
		cfg:       cfg,
		codec:     NewCodec(cfg.Conn.Key),
		origin:    origin{session: newID(), username: username()},
		history:   cfg.History,
		ready:     make(chan struct{}),
		shellQ:    make(chan *Message, 1024),
		displayed: map[string]bool{},
		done:      make(chan struct{}),
	}
	logOut := cfg.Log
	if logOut == nil {
		logOut = os.Stderr
		if cfg.CaptureFDs {
			saved, err := dupFD(2)
			if err != nil {
				return nil, fmt.Errorf("kernel: %w", err)
			}
			logOut = saved
			// A crash (a panic in a goroutine a cell started) is
			// printed where the frontend's log shows it, not into the pipe
			// that dies with the process.
			debug.SetCrashOutput(saved, debug.CrashOptions{})
		}
	}
	k.log = log.New(logOut, "gospark-kernel: ", log.LstdFlags|log.Lmicroseconds)
	if k.history == nil {
		k.history, _ = OpenHistory("")
	}
	socks, err := listen(context.Background(), cfg.Conn, k.log)
	if err != nil {
		return nil, err
	}
	k.socks = socks
	k.pub = &publisher{ch: socks.iopub, codec: k.codec, origin: k.origin, log: k.log}
	k.stdout = &streamWriter{p: k.pub, name: "stdout"}
	k.stderr = &streamWriter{p: k.pub, name: "stderr"}
	if cfg.CaptureFDs {
		for _, c := range []struct {
			fd int
			w  io.Writer
		}{{1, k.stdout}, {2, k.stderr}} {
			fc, err := startCapture(c.fd, c.w)
			if err != nil {
				k.log.Printf("output of compiled code will not reach the notebook: %v", err)
				continue
			}
			k.capture = append(k.capture, fc)
		}
	}
	go k.startSession()
	return k, nil
}

func username() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	if u := os.Getenv("USER"); u != "" {
		return u
	}
	return "gospark"
}

// Conn returns the kernel's connection info, with the ports it listens on.
func (k *Kernel) Conn() *ConnectionInfo { return k.cfg.Conn }

// startSession starts the shell session.
func (k *Kernel) startSession() {
	defer close(k.ready)
	opts := k.cfg.Session
	opts.Stdout, opts.Stderr, opts.Display = k.stdout, k.stderr, k.display
	s, err := shell.NewSession(opts)
	if err != nil {
		k.sessErr = fmt.Errorf("the gospark session did not start: %w", err)
		k.log.Print(k.sessErr)
		return
	}
	k.sess = s
	k.prog = newProgress(s.Context(), k.progressDisplay)
}

// session waits for the session to start and returns it.
func (k *Kernel) session() (*shell.Session, error) {
	<-k.ready
	return k.sess, k.sessErr
}

// Session returns the kernel's session once it has started.
func (k *Kernel) Session() (*shell.Session, error) { return k.session() }

// Run serves the protocol until a shutdown_request arrives, Shutdown is
// called or ctx is done; then it stops the session and closes the sockets.
// It reports whether the frontend asked for a restart, which the frontend
// carries out by starting a new kernel process.
func (k *Kernel) Run(ctx context.Context) (restart bool, err error) {
	k.pub.status(nil, "starting")
	k.goServe(k.heartbeat)
	k.goServe(func() { k.receive(k.socks.shell, func(m *Message) { k.shellQ <- m }) })
	k.goServe(func() { k.receive(k.socks.control, k.handleControl) })
	worker := make(chan struct{})
	go func() {
		defer close(worker)
		for {
			select {
			case m := <-k.shellQ:
				k.handleShell(m)
			case <-k.done:
				return
			}
		}
	}()
	select {
	case <-ctx.Done():
		k.Shutdown(false)
	case <-k.done:
	}
	k.stop(worker)
	return k.restart, nil
}

func (k *Kernel) goServe(f func()) {
	k.wg.Add(1)
	go func() {
		defer k.wg.Done()
		f()
	}()
}

// Shutdown makes Run return; restart is what Run reports.
func (k *Kernel) Shutdown(restart bool) {
	k.doneOnce.Do(func() {
		k.restart = restart
		close(k.done)
	})
}

// stop closes the session, waits a little for the running cell to end and
// for iopub to drain, and closes the sockets.
func (k *Kernel) stop(worker chan struct{}) {
	<-k.ready
	if k.prog != nil {
		k.prog.close()
	}
	if k.sess != nil {
		k.sess.Close()
	}
	select {
	case <-worker:
	case <-time.After(2 * time.Second):
		k.log.Print("the running cell did not stop; shutting down anyway")
	}
	k.syncOutput()
	// The PUB socket sends from a queue of its own: give it a moment.
	time.Sleep(50 * time.Millisecond)
	k.socks.close()
	k.wg.Wait()
	for _, c := range k.capture {
		c.restore()
	}
	k.history.Close()
}

// InterruptGrace is how long a cell may go on after an interrupt has
// cancelled its jobs before the kernel stops the interpreter too.
const InterruptGrace = 2 * time.Second

// Interrupt interrupts the running cell, as interrupt_request and SIGINT
// do. It cancels the cell's jobs (see shell.Session.Interrupt), which ends
// a cell waiting for a job; a cell still running InterruptGrace later (an
// interpreted loop, a long sleep) is stopped the hard way, as a second
// interrupt does, so that an interrupt always gives control back.
func (k *Kernel) Interrupt() {
	select {
	case <-k.ready:
	default:
		return
	}
	s := k.sess
	if s == nil {
		return
	}
	k.mu.Lock()
	run, rendering := k.running, k.rendering
	k.mu.Unlock()
	if rendering {
		// The cell is over; the jobs that fetch its table run outside it.
		s.Context().CancelAllJobs()
		return
	}
	s.Interrupt()
	if run == 0 {
		return
	}
	time.AfterFunc(InterruptGrace, func() {
		k.mu.Lock()
		still := k.running == run
		k.mu.Unlock()
		if still {
			k.log.Printf("execution %d still runs %v after the interrupt: stopping the interpreter", run, InterruptGrace)
			s.Interrupt()
		}
	})
}

// started and finished bracket an execution, for Interrupt.
func (k *Kernel) started() {
	k.mu.Lock()
	k.runs++
	k.running = k.runs
	k.mu.Unlock()
}

func (k *Kernel) setRendering(on bool) {
	k.mu.Lock()
	k.rendering = on
	k.mu.Unlock()
}

func (k *Kernel) finished() {
	k.mu.Lock()
	k.running = 0
	k.mu.Unlock()
}

// receive reads messages from a ROUTER socket until it closes, and hands
// those that verify to handle.
func (k *Kernel) receive(ch *channel, handle func(*Message)) {
	for {
		zm, err := ch.sock.Recv()
		if err != nil {
			select {
			case <-k.done:
			default:
				k.log.Printf("%s: receiving: %v", ch.name, err)
				time.Sleep(10 * time.Millisecond)
				continue
			}
			return
		}
		m, err := k.codec.Decode(zm.Frames)
		if err != nil {
			k.log.Printf("%s: dropped a message: %v", ch.name, err)
			continue
		}
		handle(m)
	}
}

// heartbeat echoes every ping until the socket closes.
func (k *Kernel) heartbeat() {
	for {
		m, err := k.socks.hb.Recv()
		if err != nil {
			select {
			case <-k.done:
				return
			default:
				time.Sleep(10 * time.Millisecond)
				continue
			}
		}
		if err := k.socks.hb.Send(m); err != nil {
			k.log.Printf("heartbeat: %v", err)
		}
	}
}

// reply sends the reply to a request on the channel it came from.
func (k *Kernel) reply(ch *channel, req *Message, msgType string, content any) {
	m, err := k.origin.newMessage(msgType, req, content)
	if err != nil {
		k.log.Printf("encoding %s: %v", msgType, err)
		return
	}
	m.Identities = req.Identities
	if err := ch.send(k.codec, m); err != nil {
		k.log.Print(err)
	}
}
