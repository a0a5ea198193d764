package kernel

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
)

// SpecName is the name of gospark's kernelspec, the directory it is
// installed in and what `jupyter console --kernel` takes.
const SpecName = "gospark"

// Spec is a kernelspec, the kernel.json a frontend reads to start a kernel.
type Spec struct {
	// Argv starts the kernel; "{connection_file}" is replaced by the path
	// of the connection file.
	Argv        []string `json:"argv"`
	DisplayName string   `json:"display_name"`
	Language    string   `json:"language"`
	// InterruptMode "message" has frontends send interrupt_request on the
	// control channel instead of SIGINT.
	InterruptMode string            `json:"interrupt_mode"`
	Env           map[string]string `json:"env,omitempty"`
	Metadata      map[string]any    `json:"metadata,omitempty"`
}

// NewSpec returns gospark's kernelspec for the kernel binary at binary
// (an absolute path), with extra arguments after the connection file.
func NewSpec(binary string, extra ...string) Spec {
	argv := append([]string{binary, "--connection-file", "{connection_file}"}, extra...)
	return Spec{
		Argv:          argv,
		DisplayName:   "Go (gospark)",
		Language:      "go",
		InterruptMode: "message",
		Metadata:      map[string]any{"debugger": false},
	}
}

// KernelsDir returns the directory kernelspecs are installed in: with user,
// the user's Jupyter data directory ($JUPYTER_DATA_DIR, else
// $XDG_DATA_HOME/jupyter or ~/.local/share/jupyter; ~/Library/Jupyter on
// macOS); with a prefix, prefix/share/jupyter; else the system-wide
// /usr/local/share/jupyter, as `jupyter kernelspec install` does.
func KernelsDir(user bool, prefix string) (string, error) {
	switch {
	case user && prefix != "":
		return "", errors.New("--user and --prefix exclude each other")
	case prefix != "":
		abs, err := filepath.Abs(prefix)
		if err != nil {
			return "", err
		}
		return filepath.Join(abs, "share", "jupyter", "kernels"), nil
	case user:
		if d := os.Getenv("JUPYTER_DATA_DIR"); d != "" {
			return filepath.Join(d, "kernels"), nil
		}
		home, err := os.UserHomeDir()
		if err != nil {
			return "", err
		}
		if runtime.GOOS == "darwin" {
			return filepath.Join(home, "Library", "Jupyter", "kernels"), nil
		}
		data := os.Getenv("XDG_DATA_HOME")
		if data == "" {
			data = filepath.Join(home, ".local", "share")
		}
		return filepath.Join(data, "jupyter", "kernels"), nil
	}
	return filepath.Join("/usr", "local", "share", "jupyter", "kernels"), nil
}

// Install writes spec into kernelsDir/gospark: kernel.json and the logos
// (logo-32x32.png, logo-64x64.png, logo-svg.svg). It returns the directory
// written.
func Install(kernelsDir string, spec Spec) (string, error) {
	dir := filepath.Join(kernelsDir, SpecName)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("installing the kernelspec: %w", err)
	}
	b, err := json.MarshalIndent(spec, "", "  ")
	if err != nil {
		return "", err
	}
	files := map[string][]byte{"kernel.json": append(b, '\n'), "logo-svg.svg": []byte(logoSVG)}
	for _, size := range []int{32, 64} {
		png, err := logoPNG(size)
		if err != nil {
			return "", err
		}
		files[fmt.Sprintf("logo-%dx%d.png", size, size)] = png
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			return "", fmt.Errorf("installing the kernelspec: %w", err)
		}
	}
	return dir, nil
}
