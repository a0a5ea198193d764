// Package docs holds the documentation that Inspect shows: a table of
// gospark's packages generated from their sources by `go generate` (a test
// keeps it in step), and the standard library's, read from GOROOT when the
// sources are installed.
package docs

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/doc"
	"go/parser"
	"go/printer"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
)

//go:generate go run ./gen gospark/engine gospark/engine/rdd gospark/engine/scheduler gospark/engine/storage gospark/engine/accum gospark/engine/sql gospark/display

// Package returns the documentation of the package in dir, keyed
// "import/path.Name" for functions, types, variables and constants and
// "import/path.Type.Method" for methods. Each entry is the declaration
// followed by its doc comment.
func Package(dir, importPath string) (map[string]string, error) {
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, dir, func(fi fs.FileInfo) bool {
		return !strings.HasSuffix(fi.Name(), "_test.go")
	}, parser.ParseComments)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for name, p := range pkgs {
		if strings.HasSuffix(name, "_test") || (name == "main" && len(pkgs) > 1) {
			continue
		}
		files := make([]*ast.File, 0, len(p.Files))
		for _, f := range p.Files {
			files = append(files, f)
		}
		var mode doc.Mode
		if importPath == "builtin" {
			mode = doc.AllDecls // its names are lowercase
		}
		d, err := doc.NewFromFiles(fset, files, importPath, mode)
		if err != nil {
			return nil, err
		}
		pre := importPath + "."
		out[importPath] = "package " + d.Name + " // import \"" + importPath + "\"\n\n" + d.Doc
		for _, f := range d.Funcs {
			out[pre+f.Name] = funcText(fset, f)
		}
		for _, v := range append(d.Consts, d.Vars...) {
			text := nodeText(fset, v.Decl) + "\n\n" + v.Doc
			for _, n := range v.Names {
				out[pre+n] = text
			}
		}
		for _, t := range d.Types {
			out[pre+t.Name] = nodeText(fset, t.Decl) + "\n\n" + t.Doc
			for _, f := range t.Funcs {
				out[pre+f.Name] = funcText(fset, f)
			}
			for _, m := range t.Methods {
				out[pre+t.Name+"."+m.Name] = funcText(fset, m)
			}
			for _, v := range append(t.Consts, t.Vars...) {
				text := nodeText(fset, v.Decl) + "\n\n" + v.Doc
				for _, n := range v.Names {
					out[pre+n] = text
				}
			}
		}
	}
	for k, v := range out {
		out[k] = strings.TrimSpace(v)
	}
	return out, nil
}

func funcText(fset *token.FileSet, f *doc.Func) string {
	d := *f.Decl
	d.Doc, d.Body = nil, nil
	return nodeText(fset, &d) + "\n\n" + f.Doc
}

func nodeText(fset *token.FileSet, n ast.Node) string {
	var b bytes.Buffer
	if err := (&printer.Config{Mode: printer.UseSpaces, Tabwidth: 4}).Fprint(&b, fset, n); err != nil {
		return fmt.Sprint(err)
	}
	return b.String()
}

// Encode serialises a table for the generated file.
func Encode(m map[string]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		b.WriteString(k + "\x1f" + m[k] + "\x1e")
	}
	return b.String()
}

func decode(s string) map[string]string {
	out := map[string]string{}
	for _, e := range strings.Split(s, "\x1e") {
		if k, v, ok := strings.Cut(e, "\x1f"); ok {
			out[k] = v
		}
	}
	return out
}

var (
	gosparkOnce sync.Once
	gospark     map[string]string

	stdMu sync.Mutex
	std   = map[string]map[string]string{}
)

// Lookup returns the documentation of a key ("strings.Fields",
// "gospark/engine/rdd.RDD.Map"); pkg is the key's import path.
func Lookup(pkg, key string) (string, bool) {
	if strings.HasPrefix(pkg, "gospark/") {
		gosparkOnce.Do(func() { gospark = decode(data) })
		d, ok := gospark[key]
		return d, ok
	}
	stdMu.Lock()
	m, ok := std[pkg]
	if !ok {
		dir := filepath.Join(runtime.GOROOT(), "src", filepath.FromSlash(pkg))
		if _, err := os.Stat(dir); err == nil {
			m, _ = Package(dir, pkg)
		}
		std[pkg] = m
	}
	stdMu.Unlock()
	d, ok := m[key]
	return d, ok
}
