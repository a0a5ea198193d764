package shell

import (
	"go/ast"
	"go/token"
	"reflect"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Complete returns the completions of the name that ends at byte offset
// cursor of code; each match replaces code[start:end]. After a dot it
// lists the members of a package (strings.Fi → Fields) or of the value
// before the dot, whose type it finds by reflection without calling
// anything (sc.Range(0, 10).Re → Reduce, ReduceByKey, Repartition); else
// it lists the session's names, the prelude's helpers, packages, Go's
// predeclared names and keywords.
func (s *Session) Complete(code string, cursor int) (matches []string, start, end int) {
	cursor = min(max(cursor, 0), len(code))
	start = wordStart(code, cursor)
	word := code[start:cursor]
	r, release := s.newResolver()
	defer release()
	var cands []string
	if start > 0 && code[start-1] == '.' {
		x := exprBefore(code, start-1)
		if x == "" {
			return nil, start, cursor
		}
		cands = r.membersOf(x)
	} else {
		cands = r.names()
	}
	seen := map[string]bool{}
	for _, c := range cands {
		if strings.HasPrefix(c, word) && !seen[c] && !strings.HasPrefix(c, hiddenPrefix) {
			seen[c] = true
			matches = append(matches, c)
		}
	}
	sort.Strings(matches)
	return matches, start, cursor
}

// membersOf lists what may follow "x.".
func (r *resolver) membersOf(x string) []string {
	e, ok := parseExpr(x)
	if !ok {
		return nil
	}
	if id, ok := e.(*ast.Ident); ok {
		if _, isVar := r.varType(id.Name); !isVar {
			if p, ok := r.pkgPath(id.Name); ok {
				var out []string
				for name := range packageExports(p) {
					if ast.IsExported(name) {
						out = append(out, name)
					}
				}
				return out
			}
		}
	}
	t, ok := r.typeOf(e)
	if !ok {
		return nil
	}
	out := slices.DeleteFunc(members(t), func(m string) bool { return plumbing(t, m) })
	if name := r.sessionTypeName(t); name != "" {
		for m := range r.s.model.methodsOf(name) {
			out = append(out, m)
		}
	}
	return out
}

// plumbing reports whether a method exists for the engine's own use: its
// doc says it implements one of the engine's interfaces ("RunJob
// implements rdd.Context."). Completion leaves such methods out.
func plumbing(t reflect.Type, name string) bool {
	d, ok := methodDoc(t, name)
	if !ok {
		return false
	}
	_, text, _ := strings.Cut(d, "\n\n")
	return strings.HasPrefix(text, name+" implements ")
}

// names lists what a bare name may complete to.
func (r *resolver) names() []string {
	out := r.s.model.all()
	if r.idle {
		for name := range r.globals() {
			out = append(out, name)
		}
	}
	out = append(out, preludeNames()...)
	for name := range knownPackages().byName {
		out = append(out, name)
	}
	out = append(out, predeclared...)
	return slices.DeleteFunc(out, func(n string) bool { return !token.IsIdentifier(n) && !token.IsKeyword(n) })
}

// predeclared are Go's keywords and predeclared identifiers.
var predeclared = strings.Fields(`break case chan const continue default defer else fallthrough for func go goto if
import interface map package range return select struct switch type var
any bool byte comparable complex64 complex128 error float32 float64 int int8 int16 int32 int64 rune string
uint uint8 uint16 uint32 uint64 uintptr true false iota nil
append cap clear close complex copy delete imag len make new panic print println real recover`)

// wordStart returns the start of the identifier that ends at cursor.
func wordStart(code string, cursor int) int {
	i := cursor
	for i > 0 {
		r, size := utf8.DecodeLastRuneInString(code[:i])
		if !isIdentRune(r) {
			break
		}
		i -= size
	}
	return i
}

// wordEnd returns the end of the identifier that contains offset i.
func wordEnd(code string, i int) int {
	for i < len(code) {
		r, size := utf8.DecodeRuneInString(code[i:])
		if !isIdentRune(r) {
			break
		}
		i += size
	}
	return i
}

func isIdentRune(r rune) bool { return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) }

// exprBefore returns the operand that ends at offset dot (exclusive): the
// chain of names, calls, indexes and selectors before a '.', e.g.
// `sc.Range(0, 10).Map(f)` in `x := sc.Range(0, 10).Map(f).Co`.
func exprBefore(code string, dot int) string {
	i := dot
	for i > 0 {
		c := code[i-1]
		switch {
		case c == ')' || c == ']' || c == '}':
			j := matchOpen(code, i-1)
			if j < 0 {
				return ""
			}
			i = j
			// A composite literal's type or a call's func precedes it.
			continue
		case isIdentRune(rune(c)) || c >= utf8.RuneSelf:
			i = wordStart(code, i)
			if i > 0 && code[i-1] == '.' {
				i--
				continue
			}
			return strings.TrimSpace(code[i:dot])
		case c == '"' || c == '`':
			return ""
		default:
			return strings.TrimSpace(code[i:dot])
		}
	}
	return strings.TrimSpace(code[i:dot])
}

// matchOpen returns the offset of the bracket that opens the one at close.
func matchOpen(code string, close int) int {
	depth := 0
	for i := close; i >= 0; i-- {
		switch code[i] {
		case ')', ']', '}':
			depth++
		case '(', '[', '{':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}
