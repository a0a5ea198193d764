package shell

import (
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"strings"
)

// A cell mixes what Go keeps apart: declarations (func, type, var, const,
// import) and statements. The interpreter compiles a chunk either as a file
// of declarations or as the statements of a function body, so the shell cuts
// a cell into its top-level items first, classifies each, and evaluates runs
// of declarations and single statements in order.

// item is one top-level declaration or statement of a cell.
type item struct {
	// start and end delimit the item's text in the cell.
	start, end int
	// decl is true for a declaration; Decl is then its AST, else Stmt is.
	decl bool
	Decl ast.Decl
	Stmt ast.Stmt
	// file is the parse the AST belongs to; base is the offset in that
	// parse's source of the cell's byte 0 (so cell offset = file offset - base).
	file *token.File
	base int
}

// off returns the cell offset of pos, a position of the item's AST.
func (it *item) off(pos token.Pos) int { return it.file.Offset(pos) - it.base }

// text returns the cell text of node n of the item's AST.
func (it *item) text(src string, n ast.Node) string { return src[it.off(n.Pos()):it.off(n.End())] }

const (
	declPrefix = "package main\n"
	stmtPrefix = "package main; func main() {\n"
	stmtSuffix = "\n}"
)

// parseError is a syntax error of a cell, at a cell offset.
type parseError struct {
	Offset int
	Msg    string
}

func (e *parseError) Error() string { return e.Msg }

// splitCell cuts a cell into its top-level items. It splits at the
// semicolons (written or implied by newlines) that are outside brackets,
// then joins neighbouring pieces until they parse, which reassembles the
// clauses of a for, if or switch header.
func splitCell(src string) ([]item, error) {
	type piece struct{ start, end int }
	var pieces []piece
	fset := token.NewFileSet()
	file := fset.AddFile("", -1, len(src))
	var sc scanner.Scanner
	var scanErr *parseError
	sc.Init(file, []byte(src), func(pos token.Position, msg string) {
		if scanErr == nil {
			scanErr = &parseError{Offset: pos.Offset, Msg: msg}
		}
	}, 0)
	depth, start, last := 0, -1, 0 // last: end of the piece's last token
	for {
		pos, tok, lit := sc.Scan()
		off := file.Offset(pos)
		if tok == token.EOF || (tok == token.SEMICOLON && depth <= 0) {
			// The piece ends with its last token, before any comment.
			if start >= 0 {
				pieces = append(pieces, piece{start, last})
			}
			if tok == token.EOF {
				break
			}
			start = -1
			continue
		}
		if start < 0 {
			start = off
		}
		if lit != "" && tok != token.SEMICOLON {
			last = off + len(lit)
		} else {
			last = off + len(tok.String())
		}
		switch tok {
		case token.LPAREN, token.LBRACE, token.LBRACK:
			depth++
		case token.RPAREN, token.RBRACE, token.RBRACK:
			depth--
		}
	}
	if scanErr != nil {
		return nil, scanErr
	}
	var items []item
	for k := 0; k < len(pieces); {
		var it item
		var err error
		j := k
		for ; j < len(pieces); j++ {
			it, err = parseItem(src, pieces[k].start, pieces[j].end)
			if err == nil {
				break
			}
		}
		if err != nil {
			return nil, err
		}
		items = append(items, it)
		k = j + 1
	}
	return items, nil
}

// startsDecl reports whether text starts like a declaration: a keyword other
// than func, or func followed by a name or a receiver and a name (a func
// literal is a statement).
func startsDecl(text string) bool {
	fset := token.NewFileSet()
	file := fset.AddFile("", -1, len(text))
	var sc scanner.Scanner
	sc.Init(file, []byte(text), func(token.Position, string) {}, 0)
	_, tok, _ := sc.Scan()
	switch tok {
	case token.IMPORT, token.TYPE, token.VAR, token.CONST:
		return true
	case token.FUNC:
	default:
		return false
	}
	_, tok, _ = sc.Scan()
	if tok == token.IDENT {
		return true
	}
	if tok != token.LPAREN {
		return false
	}
	for depth := 1; depth > 0; {
		_, tok, _ = sc.Scan()
		switch tok {
		case token.LPAREN:
			depth++
		case token.RPAREN:
			depth--
		case token.EOF:
			return false
		}
	}
	// A method name follows the receiver, then its parameters; a func
	// literal's result type may be a name too, but a body follows it.
	if _, tok, _ = sc.Scan(); tok != token.IDENT {
		return false
	}
	_, tok, _ = sc.Scan()
	return tok == token.LPAREN
}

// parseItem parses src[start:end] as one declaration or one statement.
func parseItem(src string, start, end int) (item, error) {
	text := src[start:end]
	if startsDecl(text) {
		f, file, err := parseText(declPrefix, text, "")
		if err != nil {
			if it, serr := parseStmt(src, start, end); serr == nil {
				return it, nil
			}
			return item{}, shiftError(err, len(declPrefix), start)
		}
		if len(f.Decls) != 1 {
			return item{}, &parseError{Offset: start, Msg: "expected one declaration"}
		}
		return item{start: start, end: end, decl: true, Decl: f.Decls[0], file: file,
			base: len(declPrefix) - start}, nil
	}
	return parseStmt(src, start, end)
}

// parseStmt parses src[start:end] as one statement.
func parseStmt(src string, start, end int) (item, error) {
	text := src[start:end]
	f, file, err := parseText(stmtPrefix, text, stmtSuffix)
	if err != nil {
		return item{}, shiftError(err, len(stmtPrefix), start)
	}
	body := f.Decls[0].(*ast.FuncDecl).Body.List
	if len(body) != 1 {
		return item{}, &parseError{Offset: start, Msg: "expected one statement"}
	}
	if _, ok := body[0].(*ast.EmptyStmt); ok {
		return item{}, &parseError{Offset: start, Msg: "expected a statement"}
	}
	return item{start: start, end: end, Stmt: body[0], file: file,
		base: len(stmtPrefix) - start}, nil
}

func parseText(prefix, text, suffix string) (*ast.File, *token.File, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", prefix+text+suffix, parser.DeclarationErrors)
	if err != nil {
		return nil, nil, err
	}
	return f, fset.File(f.Pos()), nil
}

// shiftError turns the first error of a parse of prefix+text into a
// parseError at a cell offset.
func shiftError(err error, prefix, start int) error {
	if el, ok := err.(scanner.ErrorList); ok && len(el) > 0 {
		return &parseError{Offset: max(el[0].Pos.Offset-prefix, 0) + start, Msg: el[0].Msg}
	}
	return &parseError{Offset: start, Msg: err.Error()}
}

// parseCell parses a whole cell: it is the syntax check run before anything
// of the cell is evaluated. The error, when not nil, is a *parseError at the
// first syntax error.
func parseCell(src string) ([]item, error) {
	if strings.TrimSpace(src) == "" {
		return nil, nil
	}
	items, err := splitCell(src)
	if err == nil {
		return items, nil
	}
	// Report the error of the whole cell's parse, which names the first
	// problem rather than the first piece that failed to join.
	pe, _ := err.(*parseError)
	for _, w := range [][2]string{{stmtPrefix, stmtSuffix}, {declPrefix, ""}} {
		if _, _, e := parseText(w[0], src, w[1]); e != nil {
			if el, ok := e.(scanner.ErrorList); ok && len(el) > 0 {
				o := max(el[0].Pos.Offset-len(w[0]), 0)
				if pe == nil || o > pe.Offset {
					pe = &parseError{Offset: min(o, len(src)), Msg: el[0].Msg}
				}
			}
		}
	}
	if pe == nil {
		return nil, err
	}
	return nil, pe
}
