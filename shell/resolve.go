package shell

import (
	"go/ast"
	"go/parser"
	"go/token"
	"reflect"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Completion, Inspect and "did you mean" need the type of an expression
// like sc.Range(0, 10).Map(f) without running it. The resolver evaluates
// only plain names (a variable's value, read while no cell runs) and
// follows method and function result types, fields and element types by
// reflection from there. It never calls anything.

// resolver answers questions about names while no cell runs; when a cell
// runs it knows only what the session model and the packages say.
type resolver struct {
	s    *Session
	idle bool // the interpreter may be queried: no cell is running
	vars map[string]reflect.Value
}

// newResolver returns a resolver; release must be called when done.
func (s *Session) newResolver() (*resolver, func()) {
	r := &resolver{s: s}
	if s.evalMu.TryLock() {
		r.idle = true
		return r, s.evalMu.Unlock
	}
	return r, func() {}
}

// globals returns the session's variables, read once.
func (r *resolver) globals() map[string]reflect.Value {
	if r.vars == nil {
		r.vars = map[string]reflect.Value{}
		if r.idle {
			func() {
				defer func() { recover() }()
				r.vars = r.s.i.Globals()
			}()
		}
	}
	return r.vars
}

// pkgPath returns the import path of a package name as the cell would see
// it: imported by the session, or known and not shadowed by a session name.
func (r *resolver) pkgPath(name string) (string, bool) {
	if p, ok := r.s.model.importPath(name); ok {
		return p, true
	}
	if _, ok := r.s.model.lookup(name); ok {
		return "", false
	}
	p, ok := knownPackages().byName[name]
	return p, ok
}

// varType returns the type of a session variable or func: from its value
// when the interpreter is idle, else as it was after the last cell.
func (r *resolver) varType(name string) (reflect.Type, bool) {
	if r.idle {
		if v, ok := r.value(name); ok {
			return v.Type(), true
		}
	}
	// While a cell runs, or when the interpreter cannot list its
	// variables (after a failed compile, say): the types as of the last
	// cell.
	return r.s.model.varType(name)
}

// value evaluates a session name (a variable or a func) without calling
// anything.
func (r *resolver) value(name string) (reflect.Value, bool) {
	if v, ok := r.globals()[name]; ok && v.IsValid() {
		return v, true
	}
	d, ok := r.s.model.lookup(name)
	if !ok || !r.idle || d.Kind != "func" {
		return reflect.Value{}, false
	}
	var v reflect.Value
	func() {
		defer func() { recover() }()
		var err error
		if v, err = r.s.i.Eval(name); err != nil {
			v = reflect.Value{}
		}
	}()
	return v, v.IsValid() && v.Kind() == reflect.Func
}

// sessionType returns the reflect type of a type declared in the session.
func (r *resolver) sessionType(name string) (reflect.Type, bool) {
	d, ok := r.s.model.lookup(name)
	if !ok || d.Kind != "type" || !r.idle {
		return nil, false
	}
	var t reflect.Type
	func() {
		defer func() { recover() }()
		v, err := r.s.i.Eval("(*" + name + ")(nil)")
		if err == nil && v.IsValid() && v.Kind() == reflect.Pointer {
			t = v.Type().Elem()
		}
	}()
	return t, t != nil
}

// typeExpr resolves a type written in a cell: T, pkg.T, *T, []T, map[K]V.
func (r *resolver) typeExpr(e ast.Expr) (reflect.Type, bool) {
	switch x := e.(type) {
	case *ast.Ident:
		if t, ok := builtinTypes[x.Name]; ok {
			return t, true
		}
		return r.sessionType(x.Name)
	case *ast.SelectorExpr:
		id, ok := x.X.(*ast.Ident)
		if !ok {
			return nil, false
		}
		p, ok := r.pkgPath(id.Name)
		if !ok {
			return nil, false
		}
		v, ok := packageExports(p)[x.Sel.Name]
		if !ok || v.Kind() != reflect.Pointer || !v.IsNil() {
			return nil, false
		}
		return v.Type().Elem(), true
	case *ast.StarExpr:
		t, ok := r.typeExpr(x.X)
		if !ok {
			return nil, false
		}
		return reflect.PointerTo(t), true
	case *ast.ArrayType:
		t, ok := r.typeExpr(x.Elt)
		if !ok {
			return nil, false
		}
		return reflect.SliceOf(t), true
	case *ast.MapType:
		k, ok1 := r.typeExpr(x.Key)
		v, ok2 := r.typeExpr(x.Value)
		if !ok1 || !ok2 {
			return nil, false
		}
		return reflect.MapOf(k, v), true
	case *ast.ParenExpr:
		return r.typeExpr(x.X)
	}
	return nil, false
}

var builtinTypes = map[string]reflect.Type{
	"int": reflect.TypeFor[int](), "int8": reflect.TypeFor[int8](), "int16": reflect.TypeFor[int16](),
	"int32": reflect.TypeFor[int32](), "int64": reflect.TypeFor[int64](), "uint": reflect.TypeFor[uint](),
	"uint8": reflect.TypeFor[uint8](), "uint16": reflect.TypeFor[uint16](), "uint32": reflect.TypeFor[uint32](),
	"uint64": reflect.TypeFor[uint64](), "float32": reflect.TypeFor[float32](), "float64": reflect.TypeFor[float64](),
	"string": reflect.TypeFor[string](), "bool": reflect.TypeFor[bool](), "byte": reflect.TypeFor[byte](),
	"rune": reflect.TypeFor[rune](), "any": reflect.TypeFor[any](), "error": reflect.TypeFor[error](),
}

// typeOf returns the static type of an expression, as far as it can be
// known without running it.
func (r *resolver) typeOf(e ast.Expr) (reflect.Type, bool) {
	switch x := e.(type) {
	case *ast.Ident:
		return r.varType(x.Name)
	case *ast.BasicLit:
		switch x.Kind {
		case token.STRING, token.CHAR:
			return reflect.TypeFor[string](), true
		case token.INT:
			return reflect.TypeFor[int](), true
		case token.FLOAT:
			return reflect.TypeFor[float64](), true
		}
	case *ast.ParenExpr:
		return r.typeOf(x.X)
	case *ast.StarExpr:
		t, ok := r.typeOf(x.X)
		if ok && t.Kind() == reflect.Pointer {
			return t.Elem(), true
		}
	case *ast.UnaryExpr:
		t, ok := r.typeOf(x.X)
		if ok && x.Op == token.AND {
			return reflect.PointerTo(t), true
		}
		return t, ok
	case *ast.CompositeLit:
		if x.Type != nil {
			return r.typeExpr(x.Type)
		}
	case *ast.TypeAssertExpr:
		if x.Type != nil {
			return r.typeExpr(x.Type)
		}
	case *ast.IndexExpr:
		t, ok := r.typeOf(x.X)
		if !ok {
			return nil, false
		}
		if t.Kind() == reflect.Pointer && t.Elem().Kind() == reflect.Array {
			t = t.Elem()
		}
		switch t.Kind() {
		case reflect.Slice, reflect.Array, reflect.Map:
			return t.Elem(), true
		case reflect.String:
			return reflect.TypeFor[byte](), true
		}
	case *ast.SliceExpr:
		return r.typeOf(x.X)
	case *ast.SelectorExpr:
		return r.selectorType(x)
	case *ast.CallExpr:
		// A conversion T(x) has type T.
		if t, ok := r.typeExpr(x.Fun); ok {
			return t, true
		}
		ft, ok := r.typeOf(x.Fun)
		if ok && ft.Kind() == reflect.Func && ft.NumOut() > 0 {
			return ft.Out(0), true
		}
	}
	return nil, false
}

// sessionTypeName returns the name of the session type t is, or points
// to: interpreted types are anonymous to reflection.
func (r *resolver) sessionTypeName(t reflect.Type) string {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.PkgPath() != "" {
		return ""
	}
	for _, name := range r.s.model.types() {
		if st, ok := r.sessionType(name); ok && st == t {
			return name
		}
	}
	return ""
}

// selectorType resolves X.Sel: a package member, a method or a field.
func (r *resolver) selectorType(x *ast.SelectorExpr) (reflect.Type, bool) {
	if id, ok := x.X.(*ast.Ident); ok {
		if _, isVar := r.varType(id.Name); !isVar {
			if p, ok := r.pkgPath(id.Name); ok {
				v, ok := packageExports(p)[x.Sel.Name]
				if !ok {
					return nil, false
				}
				if v.Kind() == reflect.Pointer && v.IsNil() {
					return nil, false // a type, not a value
				}
				return v.Type(), true
			}
		}
	}
	t, ok := r.typeOf(x.X)
	if !ok {
		return nil, false
	}
	return memberType(t, x.Sel.Name)
}

// memberType returns the type of field or method name of t: for a method,
// its func type without the receiver.
func memberType(t reflect.Type, name string) (reflect.Type, bool) {
	if m, ok := t.MethodByName(name); ok {
		return methodFunc(t, m), true
	}
	if t.Kind() != reflect.Pointer && t.Kind() != reflect.Interface {
		if m, ok := reflect.PointerTo(t).MethodByName(name); ok {
			return methodFunc(reflect.PointerTo(t), m), true
		}
	}
	s := t
	if s.Kind() == reflect.Pointer {
		s = s.Elem()
	}
	if s.Kind() == reflect.Struct {
		if f, ok := s.FieldByName(name); ok {
			return f.Type, true
		}
		if f, ok := s.FieldByName("X" + name); ok && isLower(name) {
			return f.Type, true
		}
	}
	return nil, false
}

func isLower(name string) bool {
	r, _ := utf8.DecodeRuneInString(name)
	return unicode.IsLower(r)
}

// methodFunc returns a method's type without its receiver.
func methodFunc(t reflect.Type, m reflect.Method) reflect.Type {
	if t.Kind() == reflect.Interface {
		return m.Type
	}
	in := make([]reflect.Type, 0, m.Type.NumIn()-1)
	for i := 1; i < m.Type.NumIn(); i++ {
		in = append(in, m.Type.In(i))
	}
	out := make([]reflect.Type, m.Type.NumOut())
	for i := range out {
		out[i] = m.Type.Out(i)
	}
	return reflect.FuncOf(in, out, m.Type.IsVariadic())
}

// members lists the fields and methods of t (and of *t).
func members(t reflect.Type) []string {
	seen := map[string]bool{}
	var out []string
	add := func(n string) {
		if !seen[n] && ast.IsExported(n) {
			seen[n] = true
			out = append(out, n)
		}
	}
	for _, u := range []reflect.Type{t, reflect.PointerTo(t)} {
		if t.Kind() == reflect.Pointer && u != t {
			continue
		}
		for i := 0; i < u.NumMethod(); i++ {
			add(u.Method(i).Name)
		}
	}
	s := t
	if s.Kind() == reflect.Pointer {
		s = s.Elem()
	}
	if s.Kind() == reflect.Struct {
		for i := 0; i < s.NumField(); i++ {
			f := s.Field(i)
			name := f.Name
			// yaegi exports the lowercase fields of interpreted structs
			// with an X prefix.
			if strings.HasPrefix(name, "X") && len(name) > 1 && isLower(name[1:]) {
				name = name[1:]
				if !seen[name] {
					seen[name] = true
					out = append(out, name)
				}
				continue
			}
			add(name)
		}
	}
	return out
}

// parseExpr parses an expression, or reports false.
func parseExpr(src string) (ast.Expr, bool) {
	e, err := parser.ParseExpr(src)
	return e, err == nil
}
