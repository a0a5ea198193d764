package kernel

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
)

// ConnectionInfo is the content of a Jupyter connection file: where the
// kernel's five sockets listen and the key that signs messages.
type ConnectionInfo struct {
	// Transport is "tcp" or "ipc".
	Transport string `json:"transport"`
	// IP is the address the tcp sockets bind, or the path prefix of the ipc
	// ones.
	IP string `json:"ip"`
	// The ports of the five sockets; 0 asks the kernel to pick one, which
	// Listen then writes back into the ConnectionInfo.
	ShellPort   int `json:"shell_port"`
	IOPubPort   int `json:"iopub_port"`
	StdinPort   int `json:"stdin_port"`
	ControlPort int `json:"control_port"`
	HBPort      int `json:"hb_port"`
	// SignatureScheme is "hmac-sha256"; Key signs every message, and an
	// empty Key turns signing off.
	SignatureScheme string `json:"signature_scheme"`
	Key             string `json:"key"`
	// KernelName is the kernelspec the frontend started, if it says.
	KernelName string `json:"kernel_name,omitempty"`
}

// ReadConnectionFile reads and checks a connection file.
func ReadConnectionFile(path string) (*ConnectionInfo, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading the connection file: %w", err)
	}
	var ci ConnectionInfo
	if err := json.Unmarshal(b, &ci); err != nil {
		return nil, fmt.Errorf("parsing the connection file %s: %w", path, err)
	}
	if err := ci.check(); err != nil {
		return nil, fmt.Errorf("connection file %s: %w", path, err)
	}
	return &ci, nil
}

// NewConnectionInfo returns a ConnectionInfo for a kernel started without a
// frontend: tcp on 127.0.0.1, ports picked when the kernel listens, and a
// fresh random key.
func NewConnectionInfo() *ConnectionInfo {
	return &ConnectionInfo{Transport: "tcp", IP: "127.0.0.1", SignatureScheme: "hmac-sha256", Key: newID()}
}

// WriteFile writes the connection info as JSON, readable by its owner only.
func (ci *ConnectionInfo) WriteFile(path string) error {
	b, err := json.MarshalIndent(ci, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, append(b, '\n'), 0o600); err != nil {
		return fmt.Errorf("writing the connection file: %w", err)
	}
	return nil
}

func (ci *ConnectionInfo) check() error {
	switch ci.Transport {
	case "":
		ci.Transport = "tcp"
	case "tcp", "ipc":
	default:
		return fmt.Errorf("unsupported transport %q (want tcp or ipc)", ci.Transport)
	}
	if ci.IP == "" {
		ci.IP = "127.0.0.1"
	}
	switch ci.SignatureScheme {
	case "", "hmac-sha256":
		ci.SignatureScheme = "hmac-sha256"
	default:
		return fmt.Errorf("unsupported signature scheme %q (want hmac-sha256)", ci.SignatureScheme)
	}
	return nil
}

// endpoint returns the ZeroMQ address of a port: "tcp://127.0.0.1:5555",
// or for ipc, Jupyter's "ipc://<ip>-<port>".
func (ci *ConnectionInfo) endpoint(port int) string {
	if ci.Transport == "ipc" {
		return fmt.Sprintf("ipc://%s-%d", ci.IP, port)
	}
	return fmt.Sprintf("tcp://%s:%d", ci.IP, port)
}

// newID returns 16 random bytes in hex: message ids, session ids, keys.
func newID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand does not fail on the systems Go supports
	}
	return hex.EncodeToString(b[:])
}
