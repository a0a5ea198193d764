package shell

import (
	"errors"
	"fmt"
	"go/ast"
	"gospark/internal/fuzzy"
	"regexp"
	"sort"
	"strings"
)

// noSymbolRE matches yaegi's error for an unknown package member.
var noSymbolRE = regexp.MustCompile(`^package (\w+) "([^"]+)" has no symbol (\w+)$`)

// suggest adds a "did you mean" hint to a compile error about an unknown
// name, method, field or package member, and points its column at the
// name (yaegi reports the start of the statement).
func (s *Session) suggest(ce *CellError, ch *chunk) {
	var cp *compilePanicError
	if errors.As(ce.Err, &cp) {
		s.explainCompilePanic(ce, ch)
		return
	}
	var name, pkg string
	member := false
	if m := noSymbolRE.FindStringSubmatch(ce.Msg); m != nil {
		ce.Msg = fmt.Sprintf("undefined: %s.%s", m[1], m[3])
		pkg, name, member = m[1], m[3], true
	}
	switch {
	case member:
	case strings.HasPrefix(ce.Msg, "undefined: "):
		name = strings.TrimPrefix(ce.Msg, "undefined: ")
	case strings.HasPrefix(ce.Msg, "undefined method: "):
		name, member = strings.TrimPrefix(ce.Msg, "undefined method: "), true
	case strings.HasPrefix(ce.Msg, "undefined selector: "), strings.HasPrefix(ce.Msg, "undefined selector "):
		name, member = strings.TrimPrefix(strings.TrimPrefix(ce.Msg, "undefined selector"), ": "), true
		name = strings.TrimSpace(name)
		if p, n, ok := strings.Cut(name, "."); ok {
			pkg, name = p, n
		}
	default:
		return
	}
	if name == "" || strings.ContainsAny(name, " ()") {
		return
	}
	r, release := s.newResolverLocked()
	defer release()
	var cands []string
	found := false
	for pass := 0; pass < 2 && !found; pass++ {
		for _, it := range ch.items {
			var node ast.Node = it.Stmt
			if it.Stmt == nil {
				node = it.Decl
			}
			ast.Inspect(node, func(n ast.Node) bool {
				if found {
					return false
				}
				var id *ast.Ident
				var x ast.Expr
				switch v := n.(type) {
				case *ast.SelectorExpr:
					if !member || v.Sel.Name != name {
						return true
					}
					id, x = v.Sel, v.X
				case *ast.Ident:
					if member || v.Name != name {
						return true
					}
					id = v
				default:
					return true
				}
				line, col := lineCol(ch.cellSrc, it.off(id.Pos()))
				if pass == 0 && ce.Line != 0 && line != ce.Line {
					return true
				}
				found = true
				ce.Line, ce.Column, ce.Source = line, col, sourceLine(ch.cellSrc, line)
				if x != nil {
					cands = r.membersOf(it.text(ch.cellSrc, x))
				}
				return false
			})
		}
	}
	switch {
	case pkg != "":
		if p, ok := r.pkgPath(pkg); ok {
			cands = cands[:0]
			for n := range packageExports(p) {
				if ast.IsExported(n) {
					cands = append(cands, n)
				}
			}
		}
	case !member:
		cands = r.names()
	}
	if best := nearest(name, cands); best != "" {
		ce.Hint = "did you mean " + best + "?"
	}
}

// newResolverLocked returns a resolver for use while the caller holds
// evalMu (inside Eval): the interpreter is idle between chunks.
func (s *Session) newResolverLocked() (*resolver, func()) {
	return &resolver{s: s, idle: true}, func() {}
}

// nearest returns the candidate closest to name by edit distance, if it is
// close enough to be a plausible typo.
func nearest(name string, cands []string) string {
	if len(name) < 3 {
		return "" // any short name is near any other
	}
	sort.Strings(cands)
	visible := cands[:0:0]
	for _, c := range cands {
		if c != name && !strings.HasPrefix(c, hiddenPrefix) {
			visible = append(visible, c)
		}
	}
	best, _ := fuzzy.Nearest(name, visible, max(1, len(name)/3))
	return best
}

// explainCompilePanic improves the error of a chunk the interpreter
// crashed on while compiling: yaegi panics, rather than reporting, on some
// unknown methods. The chunk's selectors are checked against the types the
// resolver knows; the first unknown member becomes the error.
func (s *Session) explainCompilePanic(ce *CellError, ch *chunk) {
	if len(ch.items) > 0 && ce.Line == 0 {
		ce.at(ch.pos, sourceLine(ch.cellSrc, ch.pos.Line))
	}
	r, release := s.newResolverLocked()
	defer release()
	done := false
	for _, it := range ch.items {
		var node ast.Node = it.Stmt
		if it.Stmt == nil {
			node = it.Decl
		}
		ast.Inspect(node, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if done || !ok {
				return !done
			}
			x := it.text(ch.cellSrc, sel.X)
			cands := r.membersOf(x)
			if len(cands) == 0 {
				return true
			}
			for _, c := range cands {
				if c == sel.Sel.Name {
					return true
				}
			}
			done = true
			line, col := lineCol(ch.cellSrc, it.off(sel.Sel.Pos()))
			ce.Line, ce.Column, ce.Source = line, col, sourceLine(ch.cellSrc, line)
			ce.Msg = fmt.Sprintf("%s has no field or method %s", x, sel.Sel.Name)
			if best := nearest(sel.Sel.Name, cands); best != "" {
				ce.Hint = "did you mean " + best + "?"
			}
			return false
		})
	}
}
