package symbols

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/traefik/yaegi/extract"
)

// TestSymbolsUpToDate regenerates the symbol files as `go generate` does and
// fails when a committed file differs: an engine API changed and the shell
// would not see it. Fix with `go generate ./shell/internal/symbols`.
func TestSymbolsUpToDate(t *testing.T) {
	if testing.Short() {
		t.Skip("type-checks the engine from source")
	}
	src, err := os.ReadFile("symbols.go")
	if err != nil {
		t.Fatal(err)
	}
	var pkgs []string
	for _, line := range strings.Split(string(src), "\n") {
		if rest, ok := strings.CutPrefix(line, "//go:generate go run github.com/traefik/yaegi/cmd/yaegi extract "); ok {
			pkgs = strings.Fields(rest)
		}
	}
	if len(pkgs) == 0 {
		t.Fatal("no go:generate extract line in symbols.go")
	}
	want := map[string]bool{"symbols.go": true, "symbols_test.go": true}
	r := strings.NewReplacer("/", "-", ".", "_", "~", "_")
	for _, p := range pkgs {
		var buf bytes.Buffer
		ext := extract.Extractor{Dest: "symbols"}
		importPath, err := ext.Extract(p, "", &buf)
		if err != nil {
			t.Fatalf("extracting %s: %v", p, err)
		}
		name := r.Replace(importPath) + ".go"
		want[name] = true
		have, err := os.ReadFile(name)
		if err != nil {
			t.Errorf("%s: %v; run go generate ./shell/internal/symbols", name, err)
			continue
		}
		if !bytes.Equal(have, buf.Bytes()) {
			t.Errorf("%s is stale: the API of %s changed; run go generate ./shell/internal/symbols", name, p)
		}
	}
	files, _ := filepath.Glob("*.go")
	for _, f := range files {
		if !want[f] {
			t.Errorf("%s is not generated from any package listed in symbols.go; delete it", f)
		}
	}
}
