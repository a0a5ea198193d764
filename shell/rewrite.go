package shell

import (
	"fmt"
	"go/ast"
	"go/token"
	"strings"
)

// yaegi v0.16.1 mishandles a few forms when they run at the top level of the
// REPL (the statements of a cell), though it runs them well inside a
// function. The shell rewrites them before compiling:
//
//   - a comma-ok definition, v, ok := m[k] / e.(T), or var v, ok = ...,
//     panics with "nil type": it becomes declarations of v and ok and a
//     plain assignment, which works (impure operands of an index are first
//     stored in hidden variables, so they are evaluated once). The receive
//     form v, ok := <-ch has no such rewrite (the element type is not
//     written anywhere and yaegi's generics fail on channels): it is
//     reported with a way around;
//   - a var declaration compiled as a package-level declaration fails with
//     "variable definition loop" when its value refers to a variable of an
//     earlier cell: top-level var declarations are compiled as statements,
//     which define the same global variables;
//   - a compound statement (for, if, switch, select, a block) that defines
//     two variables from one call (a, b := f()) or holds a comma-ok
//     definition fails with "undefined: a", and a top-level type switch
//     panics: such a statement is moved into a function literal that runs
//     at once, `_ = func() struct{} { <stmt>; return struct{}{} }()`. The
//     result is assigned, never discarded: yaegi re-runs a bare top-level
//     func(){...}() on later evaluations.
//
// A rewritten statement keeps its original text and position wherever it
// can, so errors still point into the user's code.

// srcBuilder writes the source of a chunk. Every copy of cell text is
// preceded by a /*line*/ directive giving its virtual position, so the
// interpreter's positions map back to the cell whatever was inserted.
type srcBuilder struct {
	b    strings.Builder
	cell string
	base int // virtual line of the cell's line 1
	// edits replace spans of the cell text wherever orig copies them.
	edits []edit
}

// edit replaces cell[start:end] with text.
type edit struct {
	start, end int
	text       string
}

// at positions the following text at cell offset off.
func (sb *srcBuilder) at(off int) { sb.b.WriteString(sb.directive(off)) }

// directive returns the line directive for cell offset off.
func (sb *srcBuilder) directive(off int) string {
	line, col := lineCol(sb.cell, off)
	return fmt.Sprintf("/*line %s:%d:%d*/", srcFile, sb.base+line-1, col)
}

// orig copies cell text, applying the edits that fall inside it.
func (sb *srcBuilder) orig(start, end int) {
	cur := start
	for _, e := range sb.edits {
		if e.start < cur || e.end > end {
			continue
		}
		sb.at(cur)
		sb.b.WriteString(sb.cell[cur:e.start])
		sb.at(e.start)
		sb.b.WriteString(e.text)
		cur = e.end
	}
	sb.at(cur)
	sb.b.WriteString(sb.cell[cur:end])
}

// lit writes synthetic text.
func (sb *srcBuilder) lit(s string) { sb.b.WriteString(s) }

func (sb *srcBuilder) String() string { return sb.b.String() }

// hiddenPrefix starts the names of variables the shell introduces.
const hiddenPrefix = "__gs"

// rewriter numbers the hidden variables of a session.
type rewriter struct {
	next int
}

func (rw *rewriter) hidden() string {
	rw.next++
	return fmt.Sprintf("%s%d", hiddenPrefix, rw.next)
}

// errRecvOK is the error of v, ok := <-ch at the top level of a cell.
var errRecvOK = "v, ok := <-ch does not work at the top level of a cell in this interpreter; declare the variables first (var v T; var ok bool; v, ok = <-ch) or receive inside a func"

// writeStmt writes a top-level statement item, rewritten when needed. It
// returns a message for a form that has no rewrite, at a cell offset.
func (rw *rewriter) writeStmt(sb *srcBuilder, it *item) (int, string) {
	switch s := it.Stmt.(type) {
	case *ast.AssignStmt:
		if s.Tok == token.DEFINE && len(s.Lhs) == 2 && len(s.Rhs) == 1 {
			if done, msg := rw.commaOK(sb, it, s.Lhs, s.Rhs[0]); msg != "" {
				return it.start, msg
			} else if done {
				return 0, ""
			}
		}
	case *ast.DeclStmt:
		if g, ok := s.Decl.(*ast.GenDecl); ok && g.Tok == token.VAR && len(g.Specs) == 1 {
			if vs := g.Specs[0].(*ast.ValueSpec); len(vs.Names) == 2 && len(vs.Values) == 1 && vs.Type == nil {
				lhs := []ast.Expr{vs.Names[0], vs.Names[1]}
				if done, msg := rw.commaOK(sb, it, lhs, vs.Values[0]); msg != "" {
					return it.start, msg
				} else if done {
					return 0, ""
				}
			}
		}
	case *ast.TypeSwitchStmt:
		rw.wrap(sb, it)
		return 0, ""
	case *ast.IfStmt, *ast.ForStmt, *ast.RangeStmt, *ast.SwitchStmt, *ast.SelectStmt, *ast.BlockStmt, *ast.LabeledStmt:
		if needsWrap(it.Stmt) {
			rw.wrap(sb, it)
			return 0, ""
		}
	}
	sb.orig(it.start, it.end)
	return 0, ""
}

// wrap writes the statement inside a function literal that runs at once.
func (rw *rewriter) wrap(sb *srcBuilder, it *item) {
	sb.at(it.start)
	sb.lit("_ = func() struct{} {\n")
	sb.orig(it.start, it.end)
	sb.lit("\nreturn struct{}{}\n}()")
}

// commaOK rewrites v, ok := m[k] / e.(T). It reports false when the
// statement is not such a definition, and a message for <-ch.
func (rw *rewriter) commaOK(sb *srcBuilder, it *item, lhs []ast.Expr, rhs ast.Expr) (bool, string) {
	v, okv := identName(lhs[0]), identName(lhs[1])
	if v == "" || okv == "" {
		return false, ""
	}
	rhs = ast.Unparen(rhs)
	text := func(n ast.Node) string { return it.text(sb.cell, n) }
	// operand returns an expression for n that can be evaluated twice:
	// its text when it is pure, else a hidden variable holding its value.
	operand := func(n ast.Expr) string {
		if pure(n) {
			return text(n)
		}
		h := rw.hidden()
		sb.at(it.off(n.Pos()))
		sb.lit(h + " := ")
		sb.orig(it.off(n.Pos()), it.off(n.End()))
		sb.lit("; ")
		return h
	}
	declOK := func() {
		if okv != "_" {
			sb.lit("var " + okv + " bool; ")
		}
	}
	switch r := rhs.(type) {
	case *ast.TypeAssertExpr:
		if r.Type == nil {
			return false, ""
		}
		x := operand(r.X)
		sb.at(it.start)
		if v != "_" {
			sb.lit("var " + v + " ")
			sb.orig(it.off(r.Type.Pos()), it.off(r.Type.End()))
			sb.lit("; ")
		}
		declOK()
		sb.lit(v + ", " + okv + " = " + x + ".(")
		sb.orig(it.off(r.Type.Pos()), it.off(r.Type.End()))
		sb.lit(")")
		return true, ""
	case *ast.IndexExpr:
		m, k := operand(r.X), operand(r.Index)
		sb.at(it.start)
		if v != "_" {
			sb.lit("var " + v + " = " + m + "[" + k + "]; ")
		}
		declOK()
		sb.lit(v + ", " + okv + " = " + m + "[" + k + "]")
		return true, ""
	case *ast.UnaryExpr:
		if r.Op == token.ARROW {
			return false, errRecvOK
		}
	}
	return false, ""
}

func identName(e ast.Expr) string {
	if id, ok := e.(*ast.Ident); ok {
		return id.Name
	}
	return ""
}

// pure reports whether evaluating e twice is harmless: it calls nothing but
// len and cap, and receives nothing.
func pure(e ast.Expr) bool {
	ok := true
	ast.Inspect(e, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.CallExpr:
			// len and cap of pure operands are pure.
			if id, isID := x.Fun.(*ast.Ident); isID && id.Obj == nil && (id.Name == "len" || id.Name == "cap") {
				return true
			}
			ok = false
		case *ast.FuncLit, *ast.CompositeLit:
			ok = false
		case *ast.UnaryExpr:
			if x.Op == token.ARROW {
				ok = false
			}
		}
		return ok
	})
	return ok
}

// needsWrap reports whether a compound top-level statement holds, outside
// function literals, a form that fails at the REPL's top level.
func needsWrap(s ast.Stmt) bool {
	bad := false
	ast.Inspect(s, func(n ast.Node) bool {
		if bad {
			return false
		}
		switch x := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.AssignStmt:
			if x.Tok == token.DEFINE && len(x.Lhs) > 1 && len(x.Rhs) == 1 {
				bad = true
			}
		case *ast.ValueSpec:
			if len(x.Names) > 1 && len(x.Values) == 1 {
				bad = true
			}
		}
		return true
	})
	return bad
}
