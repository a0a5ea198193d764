package shell

import (
	"fmt"
	"go/ast"
	"go/token"
	"maps"
	"path"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"github.com/traefik/yaegi/stdlib"

	"gospark/shell/internal/symbols"
)

// Auto-import: a cell may use a standard package (strings.Fields,
// math.Sqrt) or a gospark package (display.HTML) without importing it; the
// shell imports it before compiling the cell, as users expect of a REPL.

// preferred settles package names that several paths share.
var preferred = map[string]string{
	"rand":     "math/rand",
	"template": "text/template",
	"scanner":  "text/scanner",
	"pprof":    "runtime/pprof",
	"syslog":   "log/syslog",
	"sql":      "gospark/engine/sql", // in a gospark session, not database/sql
}

// packageTable maps package names to import paths.
type packageTable struct {
	byName map[string]string
	byPath map[string]string // path → name
}

var (
	pkgOnce sync.Once
	pkgs    packageTable
)

// knownPackages returns the table of the packages cells can import: the
// standard library as yaegi exposes it, and gospark's.
func knownPackages() packageTable {
	pkgOnce.Do(func() {
		pkgs = packageTable{byName: map[string]string{}, byPath: map[string]string{}}
		add := func(key string) {
			// Keys are "import/path/name".
			p, name := path.Dir(key), path.Base(key)
			if strings.Contains(p, "internal") {
				return
			}
			pkgs.byPath[p] = name
			old, ok := pkgs.byName[name]
			switch {
			case !ok, p == preferred[name]:
				pkgs.byName[name] = p
			case old != preferred[name] && len(p) < len(old):
				pkgs.byName[name] = p
			}
		}
		for key := range stdlib.Symbols {
			add(key)
		}
		for key := range symbols.Symbols {
			add(key)
		}
	})
	return pkgs
}

// packageExports returns the exported symbols of a package by import
// path, or nil for an unknown package.
func packageExports(importPath string) map[string]reflect.Value {
	key := importPath + "/" + knownPackages().byPath[importPath]
	if syms, ok := stdlib.Symbols[key]; ok {
		return syms
	}
	return symbols.Symbols[key]
}

// cellDeclares returns the names a cell declares at its top level.
func cellDeclares(items []item) map[string]bool {
	out := map[string]bool{}
	gen := func(g *ast.GenDecl) {
		for _, spec := range g.Specs {
			switch sp := spec.(type) {
			case *ast.TypeSpec:
				out[sp.Name.Name] = true
			case *ast.ValueSpec:
				for _, n := range sp.Names {
					out[n.Name] = true
				}
			case *ast.ImportSpec:
				p, _ := strconv.Unquote(sp.Path.Value)
				if sp.Name != nil {
					out[sp.Name.Name] = true
				} else if name := knownPackages().byPath[p]; name != "" {
					out[name] = true
				}
			}
		}
	}
	for k := range items {
		switch d := items[k].Decl.(type) {
		case *ast.FuncDecl:
			if d.Recv == nil {
				out[d.Name.Name] = true
			}
		case *ast.GenDecl:
			gen(d)
		}
		switch st := items[k].Stmt.(type) {
		case *ast.AssignStmt:
			if st.Tok == token.DEFINE {
				for _, l := range st.Lhs {
					if id, ok := l.(*ast.Ident); ok {
						out[id.Name] = true
					}
				}
			}
		case *ast.DeclStmt:
			if g, ok := st.Decl.(*ast.GenDecl); ok {
				gen(g)
			}
		}
	}
	return out
}

// missing returns the packages a cell uses without importing them (import
// paths) and the prelude helpers it calls that are not defined yet.
func (s *Session) missing(items []item, declares map[string]bool) (imports, helpers []string) {
	pk := knownPackages()
	s.mu.Lock()
	defined := maps.Clone(s.defined)
	s.mu.Unlock()
	known := func(name string) bool {
		if declares[name] {
			return true
		}
		if _, ok := s.model.lookup(name); ok {
			return true
		}
		_, ok := s.model.importPath(name)
		return ok
	}
	for k := range items {
		it := &items[k]
		sels := map[*ast.Ident]bool{}
		var node ast.Node = it.Stmt
		if it.decl {
			node = it.Decl
		}
		ast.Inspect(node, func(n ast.Node) bool {
			switch x := n.(type) {
			case *ast.SelectorExpr:
				sels[x.Sel] = true
				if id, ok := x.X.(*ast.Ident); ok && id.Obj == nil && !known(id.Name) {
					if p, ok := pk.byName[id.Name]; ok && !contains(imports, p) {
						imports = append(imports, p)
					}
				}
			case *ast.Ident:
				if x.Obj == nil && !sels[x] && !defined[x.Name] && !known(x.Name) && !contains(helpers, x.Name) {
					if _, ok := prelude[x.Name]; ok {
						helpers = append(helpers, x.Name)
					}
				}
			}
			return true
		})
	}
	return imports, helpers
}

// declText renders a declaration item for its chunk. Import declarations
// lose the specs the session already has (the interpreter refuses to
// import a package twice); an import of a package the shell does not have,
// or of a name already bound to another package, is an error.
func (s *Session) declText(n int, src string, base int, it *item, edits []edit) (string, error) {
	sb := &srcBuilder{cell: src, base: base, edits: edits}
	g, ok := it.Decl.(*ast.GenDecl)
	if ok && g.Tok == token.TYPE {
		return s.typeText(sb, it, g), nil
	}
	if !ok || g.Tok != token.IMPORT {
		sb.orig(it.start, it.end)
		return sb.String(), nil
	}
	kept := 0
	sb.at(it.start)
	sb.lit("import (\n")
	for _, spec := range g.Specs {
		sp := spec.(*ast.ImportSpec)
		p, _ := strconv.Unquote(sp.Path.Value)
		name := knownPackages().byPath[p]
		fail := func(msg string) error {
			line, col := lineCol(src, it.off(sp.Pos()))
			return &CellError{Kind: CompileError, Cell: n, Line: line, Column: col, Source: sourceLine(src, line), Msg: msg}
		}
		if name == "" {
			return "", fail(fmt.Sprintf("package %q is not available: the shell has the standard library (as of Go 1.22) and gospark's packages", p))
		}
		if sp.Name != nil {
			name = sp.Name.Name
		}
		if old, ok := s.model.importPath(name); ok && name != "_" && name != "." {
			if old == p {
				continue
			}
			return "", fail(fmt.Sprintf("%s is already imported from %q; import %q under another name, e.g. import my%s %q", name, old, p, name, p))
		}
		sb.orig(it.off(sp.Pos()), it.off(sp.End()))
		sb.lit("\n")
		kept++
	}
	if kept == 0 {
		return "", nil
	}
	sb.lit(")")
	return sb.String(), nil
}

// importChunk imports packages a cell uses without importing them.
func (s *Session) importChunk(n int, paths []string) chunk {
	var b strings.Builder
	b.WriteString(declPrefix + "import (\n")
	for _, p := range paths {
		b.WriteString(strconv.Quote(p) + "\n")
	}
	b.WriteString(")\n")
	return chunk{decl: true, src: b.String(), pos: cellPos{Cell: n, Line: 1}, after: func() {
		for _, p := range paths {
			s.model.addImport(knownPackages().byPath[p], p)
		}
	}}
}

// typeText renders a type declaration. yaegi keeps the first definition of
// a type name for good (a struct redefined with other fields keeps the old
// ones), so a type the session already has is declared under a hidden name
// and the name becomes an alias of it: type Pt struct{...} turns into
// type __gs7 struct{...}; type Pt = __gs7. Values made before keep the old
// type; methods must be declared again, as Go would require.
func (s *Session) typeText(sb *srcBuilder, it *item, g *ast.GenDecl) string {
	var aliases []string
	for _, spec := range g.Specs {
		ts := spec.(*ast.TypeSpec)
		d, ok := s.model.lookup(ts.Name.Name)
		if !ok || d.Kind != "type" || ts.Assign.IsValid() || ts.TypeParams != nil {
			continue
		}
		h := s.rw.hidden()
		off := it.off(ts.Name.Pos())
		sb.edits = mergeEdits(sb.edits, []edit{{start: off, end: off + len(ts.Name.Name), text: h}})
		aliases = append(aliases, "type "+ts.Name.Name+" = "+h)
	}
	sb.orig(it.start, it.end)
	for _, a := range aliases {
		sb.lit("\n" + a)
	}
	return sb.String()
}
