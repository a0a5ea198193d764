package kernel

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestInstall(t *testing.T) {
	dir, err := KernelsDir(false, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	path, err := Install(dir, NewSpec("/opt/gospark/bin/gospark-kernel", "--master", "local[2]"))
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(path) != "gospark" || !strings.HasSuffix(filepath.Dir(path), filepath.Join("share", "jupyter", "kernels")) {
		t.Errorf("installed in %s", path)
	}
	b, err := os.ReadFile(filepath.Join(path, "kernel.json"))
	if err != nil {
		t.Fatal(err)
	}
	var spec map[string]any
	if err := json.Unmarshal(b, &spec); err != nil {
		t.Fatal(err)
	}
	argv := spec["argv"].([]any)
	if argv[0] != "/opt/gospark/bin/gospark-kernel" || argv[1] != "--connection-file" || argv[2] != "{connection_file}" || argv[4] != "local[2]" {
		t.Errorf("argv %v", argv)
	}
	if spec["display_name"] != "Go (gospark)" || spec["language"] != "go" || spec["interrupt_mode"] != "message" {
		t.Errorf("spec %v", spec)
	}
	for _, size := range []int{32, 64} {
		f, err := os.ReadFile(filepath.Join(path, fmt.Sprintf("logo-%dx%d.png", size, size)))
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(f))
		if err != nil || img.Bounds().Dx() != size {
			t.Errorf("logo %d: %v %v", size, err, img.Bounds())
		}
	}
	svg, _ := os.ReadFile(filepath.Join(path, "logo-svg.svg"))
	if !strings.HasPrefix(string(svg), "<svg") {
		t.Errorf("logo-svg.svg: %.40q", svg)
	}
}

func TestKernelsDir(t *testing.T) {
	t.Setenv("JUPYTER_DATA_DIR", "/data/jupyter")
	if d, _ := KernelsDir(true, ""); d != "/data/jupyter/kernels" {
		t.Errorf("--user with JUPYTER_DATA_DIR: %s", d)
	}
	if _, err := KernelsDir(true, "/p"); err == nil {
		t.Error("--user with --prefix did not fail")
	}
	if d, _ := KernelsDir(false, ""); d != "/usr/local/share/jupyter/kernels" {
		t.Errorf("system: %s", d)
	}
}
