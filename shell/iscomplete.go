package shell

import (
	"go/scanner"
	"go/token"
	"strings"
)

// The statuses IsComplete returns, as Jupyter's is_complete_reply names them.
const (
	StatusComplete   = "complete"
	StatusIncomplete = "incomplete"
	StatusInvalid    = "invalid"
)

// IsComplete reports whether code is a whole cell, ready to run
// ("complete"), the start of one that needs more lines ("incomplete": an
// open bracket, a string or comment still open, a line ending in an
// operator, a '.' or a ','), or a cell with a syntax error that more lines
// cannot fix ("invalid"). For an incomplete cell, indent is the
// indentation to offer on the next line: four spaces per open bracket.
func IsComplete(code string) (status, indent string) {
	if strings.TrimSpace(code) == "" {
		return StatusComplete, ""
	}
	depth, open, bad := scanDepth(code)
	switch {
	case bad:
		return StatusInvalid, ""
	case open:
		return StatusIncomplete, ""
	case depth < 0:
		return StatusInvalid, ""
	case depth > 0:
		return StatusIncomplete, strings.Repeat("    ", depth)
	}
	_, err := parseCell(code)
	if err == nil {
		return StatusComplete, ""
	}
	pe, ok := err.(*parseError)
	if ok && pe.Offset >= len(strings.TrimRight(code, " \t\r\n")) {
		return StatusIncomplete, ""
	}
	return StatusInvalid, ""
}

// IsComplete is the method form of the package function, for the kernel.
func (s *Session) IsComplete(code string) (status, indent string) { return IsComplete(code) }

// scanDepth returns the bracket depth at the end of code, whether it ends
// inside a raw string or a block comment (open), and whether it holds a
// lexical error more input cannot fix (an interpreted string that spans a
// line, an invalid character).
func scanDepth(code string) (depth int, open, bad bool) {
	fset := token.NewFileSet()
	file := fset.AddFile("", -1, len(code))
	var sc scanner.Scanner
	sc.Init(file, []byte(code), func(_ token.Position, msg string) {
		switch msg {
		case "raw string literal not terminated", "comment not terminated":
			open = true
		default:
			bad = true
		}
	}, scanner.ScanComments)
	for {
		_, tok, _ := sc.Scan()
		switch tok {
		case token.LPAREN, token.LBRACE, token.LBRACK:
			depth++
		case token.RPAREN, token.RBRACE, token.RBRACK:
			depth--
		case token.EOF:
			return depth, open, bad && !open
		}
	}
}
