package docs

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// TestDataUpToDate fails when data.go no longer matches the sources of the
// packages listed in docs.go: run go generate ./shell/internal/docs.
func TestDataUpToDate(t *testing.T) {
	src, err := os.ReadFile("docs.go")
	if err != nil {
		t.Fatal(err)
	}
	var pkgs []string
	for _, line := range strings.Split(string(src), "\n") {
		if rest, ok := strings.CutPrefix(line, "//go:generate go run ./gen "); ok {
			pkgs = strings.Fields(rest)
		}
	}
	want, err := Generate(pkgs)
	if err != nil {
		t.Fatal(err)
	}
	have, err := os.ReadFile("data.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(have, want) {
		t.Error("data.go is stale: run go generate ./shell/internal/docs")
	}
}

func TestLookup(t *testing.T) {
	for _, c := range []struct{ pkg, key, want string }{
		{"gospark/engine/rdd", "gospark/engine/rdd.RDD.Map", "func (r *RDD) Map(f any) *RDD"},
		{"gospark/engine", "gospark/engine.Context.Parallelize", "Parallelize distributes"},
		{"strings", "strings.Fields", "func Fields(s string) []string"},
		{"builtin", "builtin.len", "func len(v Type) int"},
	} {
		d, ok := Lookup(c.pkg, c.key)
		if !ok || !strings.Contains(d, c.want) {
			t.Errorf("Lookup(%s) = %q, %v; want it to contain %q", c.key, d, ok, c.want)
		}
	}
}
