package shell

import (
	"fmt"
	"go/ast"
	"reflect"
	"strings"

	"gospark/shell/internal/docs"
)

// Inspect returns the documentation of the name under the cursor (a byte
// offset in code): for a package member or a method of an engine or
// standard type, its declaration and doc comment; for a name the session
// declared, its declaration (and a variable's type and value); for a
// prelude helper or a Go built-in, its signature and description. found is
// false when the name is unknown.
func (s *Session) Inspect(code string, cursor int) (doc string, found bool) {
	cursor = min(max(cursor, 0), len(code))
	start, end := wordStart(code, cursor), wordEnd(code, cursor)
	if start == end && start > 0 {
		// The cursor right after "f(" asks about f.
		if k := strings.LastIndexByte(code[:cursor], '('); k > 0 && strings.TrimSpace(code[k+1:cursor]) == "" {
			start, end = wordStart(code, k), k
		}
	}
	name := code[start:end]
	if name == "" {
		return "", false
	}
	r, release := s.newResolver()
	defer release()
	if start > 0 && code[start-1] == '.' {
		x := exprBefore(code, start-1)
		if x == "" {
			return "", false
		}
		return r.memberDoc(x, name)
	}
	return r.nameDoc(name)
}

// memberDoc documents x.name.
func (r *resolver) memberDoc(x, name string) (string, bool) {
	e, ok := parseExpr(x)
	if !ok {
		return "", false
	}
	if id, ok := e.(*ast.Ident); ok {
		if _, isVar := r.varType(id.Name); !isVar {
			if p, ok := r.pkgPath(id.Name); ok {
				if d, ok := docs.Lookup(p, p+"."+name); ok {
					return d, true
				}
				if v, ok := packageExports(p)[name]; ok {
					return fmt.Sprintf("%s.%s %s", id.Name, name, typeString(v)), true
				}
				return "", false
			}
		}
	}
	t, ok := r.typeOf(e)
	if !ok {
		return "", false
	}
	if mt, ok := memberType(t, name); ok {
		if d, ok := methodDoc(t, name); ok {
			return d, true
		}
		return fmt.Sprintf("%s.%s %v", t, name, mt), true
	}
	if tn := r.sessionTypeName(t); tn != "" {
		if sig, ok := r.s.model.methodsOf(tn)[name]; ok {
			return sig, true
		}
	}
	return "", false
}

// methodDoc finds the doc of a method or field of a named type.
func methodDoc(t reflect.Type, name string) (string, bool) {
	for _, u := range []reflect.Type{t, derefType(t)} {
		if u.Name() == "" || u.PkgPath() == "" {
			continue
		}
		if d, ok := docs.Lookup(u.PkgPath(), u.PkgPath()+"."+u.Name()+"."+name); ok {
			return d, true
		}
	}
	return "", false
}

func derefType(t reflect.Type) reflect.Type {
	if t.Kind() == reflect.Pointer {
		return t.Elem()
	}
	return t
}

func typeString(v reflect.Value) string {
	if v.Kind() == reflect.Pointer && v.IsNil() {
		return "type " + v.Type().Elem().String()
	}
	return v.Type().String()
}

// nameDoc documents a bare name.
func (r *resolver) nameDoc(name string) (string, bool) {
	if d, ok := r.s.model.lookup(name); ok {
		var b strings.Builder
		switch d.Kind {
		case "func":
			b.WriteString(d.Sig)
		case "type":
			b.WriteString(d.Sig)
			if ms := r.s.model.methodsOf(name); len(ms) > 0 {
				b.WriteString("\n")
				for _, m := range sortedKeys(ms) {
					b.WriteString("\n" + ms[m])
				}
			}
		default:
			fmt.Fprintf(&b, "%s %s", d.Kind, name)
			if v, ok := r.value(name); ok {
				fmt.Fprintf(&b, " %v = %s", v.Type(), oneLine(FormatValue(valueInterface(v))))
			} else if d.Sig != "" {
				b.WriteString(" " + d.Sig)
			}
		}
		if d.Doc != "" {
			b.WriteString("\n\n" + strings.TrimSpace(d.Doc))
		}
		if d.Cell > 0 {
			fmt.Fprintf(&b, "\n\n(declared in cell %d)", d.Cell)
		}
		return b.String(), true
	}
	if h, ok := prelude[name]; ok && h.doc != "" {
		return h.doc + "\n\n(a gospark shell helper)", true
	}
	if p, ok := r.pkgPath(name); ok {
		if d, ok := docs.Lookup(p, p); ok {
			return d, true
		}
		return "package " + name + " // import \"" + p + "\"", true
	}
	if d, ok := docs.Lookup("builtin", "builtin."+name); ok {
		return d, true
	}
	return "", false
}

func valueInterface(v reflect.Value) any {
	if !v.CanInterface() {
		return v.String()
	}
	return v.Interface()
}

func oneLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i] + " …"
	}
	if len(s) > 200 {
		s = s[:200] + " …"
	}
	return s
}
