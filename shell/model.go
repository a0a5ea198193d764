package shell

import (
	"go/ast"
	"go/token"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// model is the session's record of what cells declared: the interpreter
// does not list them all (Globals has only variables, Symbols only exported
// names, and the methods of interpreted types are invisible to
// reflection), yet completion, Inspect, auto-import and "did you mean"
// need them.
type model struct {
	mu      sync.Mutex
	names   map[string]*declared
	imports map[string]string            // local name → path
	methods map[string]map[string]string // type name → method → signature
	// vars holds the types of the session's variables after the last cell,
	// for completion while a cell runs.
	vars map[string]reflect.Type
}

// declared is one name a cell declared.
type declared struct {
	Name string
	// Kind is "func", "type", "var" or "const".
	Kind string
	// Sig is a func's signature or a type's definition, as written.
	Sig string
	// Doc is the doc comment written above it, if any.
	Doc string
	// Cell is the cell that declared it last.
	Cell int
}

func newModel() *model {
	return &model{names: map[string]*declared{}, imports: map[string]string{}, methods: map[string]map[string]string{}}
}

func (m *model) put(d *declared) {
	if d.Name == "_" || strings.HasPrefix(d.Name, hiddenPrefix) {
		return
	}
	m.names[d.Name] = d
}

// record adds the declarations of an item that ran without error.
func (m *model) record(cell int, src string, it *item) {
	m.mu.Lock()
	defer m.mu.Unlock()
	text := func(n ast.Node) string { return it.text(src, n) }
	if it.decl {
		switch d := it.Decl.(type) {
		case *ast.FuncDecl:
			sig := text(d)
			if d.Body != nil {
				sig = strings.TrimSpace(src[it.off(d.Pos()):it.off(d.Body.Lbrace)])
			}
			doc := docAbove(src, it.start)
			if d.Recv != nil && len(d.Recv.List) == 1 {
				tn := recvTypeName(d.Recv.List[0].Type)
				if m.methods[tn] == nil {
					m.methods[tn] = map[string]string{}
				}
				m.methods[tn][d.Name.Name] = sig
				return
			}
			m.put(&declared{Name: d.Name.Name, Kind: "func", Sig: sig, Doc: doc, Cell: cell})
		case *ast.GenDecl:
			m.genDecl(cell, d, text)
		}
		return
	}
	switch s := it.Stmt.(type) {
	case *ast.AssignStmt:
		if s.Tok == token.DEFINE {
			for _, l := range s.Lhs {
				if id, ok := l.(*ast.Ident); ok {
					m.put(&declared{Name: id.Name, Kind: "var", Cell: cell})
				}
			}
		}
	case *ast.DeclStmt:
		if g, ok := s.Decl.(*ast.GenDecl); ok {
			m.genDecl(cell, g, text)
		}
	}
}

func (m *model) genDecl(cell int, g *ast.GenDecl, text func(ast.Node) string) {
	for _, spec := range g.Specs {
		switch sp := spec.(type) {
		case *ast.ImportSpec:
			p, _ := strconv.Unquote(sp.Path.Value)
			name := knownPackages().byPath[p]
			if name == "" {
				name = p[strings.LastIndex(p, "/")+1:]
			}
			if sp.Name != nil {
				name = sp.Name.Name
			}
			m.imports[name] = p
		case *ast.TypeSpec:
			m.put(&declared{Name: sp.Name.Name, Kind: "type", Sig: "type " + text(sp), Cell: cell})
			if !sp.Assign.IsValid() {
				delete(m.methods, sp.Name.Name) // a new type has none yet
			}
		case *ast.ValueSpec:
			typ := ""
			if sp.Type != nil {
				typ = text(sp.Type)
			}
			for _, n := range sp.Names {
				m.put(&declared{Name: n.Name, Kind: g.Tok.String(), Sig: typ, Cell: cell})
			}
		}
	}
}

func recvTypeName(e ast.Expr) string {
	for {
		switch x := e.(type) {
		case *ast.StarExpr:
			e = x.X
		case *ast.IndexExpr:
			e = x.X
		case *ast.IndexListExpr:
			e = x.X
		case *ast.ParenExpr:
			e = x.X
		case *ast.Ident:
			return x.Name
		default:
			return ""
		}
	}
}

// setVarTypes records the types of the session's variables.
func (m *model) setVarTypes(g map[string]reflect.Value) {
	vars := make(map[string]reflect.Type, len(g))
	for name, v := range g {
		if v.IsValid() {
			vars[name] = v.Type()
		}
	}
	m.mu.Lock()
	m.vars = vars
	m.mu.Unlock()
}

// varType returns the type a variable had after the last cell.
func (m *model) varType(name string) (reflect.Type, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	t, ok := m.vars[name]
	return t, ok
}

// lookup returns a declared name.
func (m *model) lookup(name string) (*declared, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	d, ok := m.names[name]
	return d, ok
}

// importPath returns the path a local package name was imported as.
func (m *model) importPath(name string) (string, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	p, ok := m.imports[name]
	return p, ok
}

// all returns the declared names and imported package names, sorted.
func (m *model) all() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]string, 0, len(m.names)+len(m.imports))
	for n := range m.names {
		out = append(out, n)
	}
	for n := range m.imports {
		if !strings.HasPrefix(n, hiddenPrefix) && n != "_" && n != "." {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

// methodsOf returns the methods declared on a session type.
func (m *model) methodsOf(typeName string) map[string]string {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := map[string]string{}
	for k, v := range m.methods[typeName] {
		out[k] = v
	}
	return out
}

// types returns the names of the session's types.
func (m *model) types() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []string
	for n, d := range m.names {
		if d.Kind == "type" {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

// addImport records an import.
func (m *model) addImport(name, path string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.imports[name] = path
}

// imported reports whether a package path is imported under its own name.
func (m *model) imported(path string) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, p := range m.imports {
		if p == path {
			return true
		}
	}
	return false
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// docAbove returns the // comment lines right above offset start.
func docAbove(src string, start int) string {
	lines := strings.Split(src[:start], "\n")
	if len(lines) > 0 && strings.TrimSpace(lines[len(lines)-1]) == "" {
		lines = lines[:len(lines)-1]
	}
	var doc []string
	for i := len(lines) - 1; i >= 0; i-- {
		l := strings.TrimSpace(lines[i])
		if !strings.HasPrefix(l, "//") {
			break
		}
		doc = append([]string{strings.TrimSpace(strings.TrimPrefix(l, "//"))}, doc...)
	}
	return strings.Join(doc, "\n")
}
