package repl

import (
	"go/scanner"
	"go/token"
	"strings"
)

// oneLine turns a multi-line cell into one line of equivalent Go, for the
// line editor's history (which cannot edit several lines): a newline where
// Go inserts a semicolon becomes "; ", any other a space, and line comments
// become block comments. A cell with a multi-line raw string stays as is.
func oneLine(cell string) string {
	cell = strings.TrimSpace(cell)
	if !strings.Contains(cell, "\n") {
		return cell
	}
	fset := token.NewFileSet()
	file := fset.AddFile("", -1, len(cell))
	var sc scanner.Scanner
	bad := false
	sc.Init(file, []byte(cell), func(token.Position, string) { bad = true }, scanner.ScanComments)
	var b strings.Builder
	prev := 0 // end of the text copied so far
	semi := false
	for {
		pos, tok, lit := sc.Scan()
		off := file.Offset(pos)
		if tok == token.EOF {
			break
		}
		if tok == token.SEMICOLON && lit == "\n" {
			semi = true
			continue
		}
		// Copy the gap before this token, folding its newlines.
		gap := cell[prev:off]
		if strings.Contains(gap, "\n") {
			if semi {
				b.WriteString("; ")
			} else {
				b.WriteString(" ")
			}
		} else {
			if semi {
				b.WriteString(";")
			}
			b.WriteString(gap)
		}
		semi = false
		text := cell[off:]
		switch {
		case tok == token.COMMENT && strings.HasPrefix(lit, "//"):
			if strings.Contains(lit, "*/") {
				return cell
			}
			b.WriteString("/*" + strings.TrimRight(lit[2:], "\r") + " */")
			prev = off + len(lit)
			// A line comment ends its line: Go inserts the semicolon that
			// the comment hid, if the previous token wanted one.
			continue
		case tok == token.STRING && strings.Contains(lit, "\n"):
			return cell
		case lit != "" && strings.HasPrefix(text, lit):
			b.WriteString(lit)
			prev = off + len(lit)
		default:
			n := len(tok.String())
			b.WriteString(text[:n])
			prev = off + n
		}
	}
	if bad {
		return cell
	}
	return b.String()
}
