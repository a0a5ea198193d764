package sql

import (
	"strings"
)

// The SQL front end parses with github.com/pingcap/tidb/pkg/parser (the
// MySQL dialect, with backtick identifiers like Spark). Spark SQL has a few
// forms that dialect lacks; sparkToMySQL rewrites them token by token into
// forms the parser accepts and the translator recognises:
//
//	CAST(x AS INT)                → gs_cast(x, 'INT')
//	FULL [OUTER] JOIN t ON c      → LEFT JOIN t ON gs_full_join() AND c
//	LEFT SEMI|ANTI JOIN t ON c    → LEFT JOIN t ON gs_semi_join() AND c
//	ORDER BY x DESC NULLS FIRST   → ORDER BY gs_nulls_first(x) DESC
//	first(x), split(s, p), …      → gs_first(x), gs_split(s, p), …
//
// Everything else is the parser's.

type token struct {
	text  string
	ident bool // a bare word
}

func tokenize(q string) []token {
	var out []token
	i := 0
	for i < len(q) {
		c := q[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			j := i
			for j < len(q) && (q[j] == ' ' || q[j] == '\t' || q[j] == '\n' || q[j] == '\r') {
				j++
			}
			out = append(out, token{text: q[i:j]})
			i = j
		case c == '\'' || c == '"' || c == '`':
			j := i + 1
			for j < len(q) {
				if q[j] == '\\' && c != '`' {
					j += 2
					continue
				}
				if q[j] == c {
					if j+1 < len(q) && q[j+1] == c {
						j += 2
						continue
					}
					break
				}
				j++
			}
			j = min(j+1, len(q))
			out = append(out, token{text: q[i:j]})
			i = j
		case c == '-' && i+1 < len(q) && q[i+1] == '-':
			j := strings.IndexByte(q[i:], '\n')
			if j < 0 {
				j = len(q) - i
			}
			out = append(out, token{text: " "})
			i += j
		case isWordByte(c):
			j := i
			for j < len(q) && isWordByte(q[j]) {
				j++
			}
			out = append(out, token{text: q[i:j], ident: true})
			i = j
		default:
			out = append(out, token{text: q[i : i+1]})
			i++
		}
	}
	return out
}

func isWordByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}

// renamed are functions whose names the MySQL grammar reserves for other
// syntax; they are called gs_<name> for the parser.
var renamed = map[string]bool{"first": true, "last": true, "split": true, "date_add": true, "date_sub": true,
	"first_value": true, "last_value": true, "collect_list": true, "collect_set": true, "median": true,
	"percentile": true, "percentile_approx": true, "approx_count_distinct": true, "corr": true,
	"covar_samp": true, "covar_pop": true, "any_value": true, "count_distinct": true, "position": true,
	"extract": true, "trim": true, "substring": true, "substr": true, "mod": true, "left": true, "right": true}

func sparkToMySQL(q string) string {
	toks := tokenize(q)
	// Index of the next non-space token after i.
	next := func(i int) int {
		for i++; i < len(toks); i++ {
			if strings.TrimSpace(toks[i].text) != "" {
				return i
			}
		}
		return -1
	}
	word := func(i int) string {
		if i < 0 || i >= len(toks) || !toks[i].ident {
			return ""
		}
		return strings.ToUpper(toks[i].text)
	}
	pendingMarker := map[int]string{} // paren depth → marker for the next ON
	depth := 0
	var castDepth []int // depths of open gs_cast( … AS
	// ORDER BY item tracking for NULLS FIRST/LAST.
	orderDepth := -1
	itemStart := -1
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		switch t.text {
		case "(":
			depth++
			continue
		case ")":
			if len(castDepth) > 0 && castDepth[len(castDepth)-1] == depth {
				castDepth = castDepth[:len(castDepth)-1]
			}
			if orderDepth == depth {
				orderDepth = -1
			}
			depth--
			continue
		case ",":
			if orderDepth == depth {
				itemStart = next(i)
			}
			continue
		}
		if !t.ident {
			continue
		}
		w := strings.ToUpper(t.text)
		n := next(i)
		switch {
		case w == "CAST" && n >= 0 && toks[n].text == "(":
			toks[i].text = "gs_cast"
			castDepth = append(castDepth, depth+1)
		case w == "AS" && len(castDepth) > 0 && castDepth[len(castDepth)-1] == depth:
			// Collect the type tokens up to the closing paren of the cast.
			j, d := i+1, 0
			var typ strings.Builder
			for ; j < len(toks); j++ {
				if toks[j].text == "(" || toks[j].text == "<" {
					d++
				}
				if toks[j].text == ")" || toks[j].text == ">" {
					if d == 0 && toks[j].text == ")" {
						break
					}
					d--
				}
				typ.WriteString(toks[j].text)
				toks[j].text = ""
			}
			toks[i].text = ", '" + strings.TrimSpace(typ.String()) + "'"
			toks[i].ident = false
		case renamed[strings.ToLower(w)] && n >= 0 && toks[n].text == "(":
			toks[i].text = "gs_" + strings.ToLower(w)
		case w == "FULL" && (word(n) == "JOIN" || word(n) == "OUTER"):
			toks[i].text = "LEFT"
			if word(n) == "OUTER" {
				toks[n].text = ""
			}
			pendingMarker[depth] = "gs_full_join()"
		case (w == "LEFT" && (word(n) == "SEMI" || word(n) == "ANTI")) || ((w == "SEMI" || w == "ANTI") && word(n) == "JOIN"):
			kind := w
			if w == "LEFT" {
				kind = word(n)
				toks[n].text = ""
			}
			toks[i].text = "LEFT"
			pendingMarker[depth] = "gs_" + strings.ToLower(kind) + "_join()"
		case w == "ON" && pendingMarker[depth] != "":
			toks[i].text = "ON " + pendingMarker[depth] + " AND "
			delete(pendingMarker, depth)
		case w == "ORDER" && word(n) == "BY":
			orderDepth = depth
			itemStart = next(n)
			i = n
		case w == "NULLS" && orderDepth == depth && (word(n) == "FIRST" || word(n) == "LAST"):
			fn := "gs_nulls_" + strings.ToLower(word(n))
			toks[i].text, toks[n].text = "", ""
			// Wrap the item (without a trailing ASC/DESC) in fn( … ).
			end := i - 1
			for end > itemStart && strings.TrimSpace(toks[end].text) == "" {
				end--
			}
			if w2 := strings.ToUpper(toks[end].text); w2 == "ASC" || w2 == "DESC" {
				end--
				for end > itemStart && strings.TrimSpace(toks[end].text) == "" {
					end--
				}
			}
			if itemStart >= 0 && end >= itemStart {
				toks[itemStart].text = fn + "(" + toks[itemStart].text
				toks[end].text += ")"
			}
			i = n
		case (w == "LIMIT" || w == "WINDOW" || w == "UNION" || w == "INTERSECT" || w == "EXCEPT") && orderDepth == depth:
			orderDepth = -1
		}
	}
	var b strings.Builder
	for _, t := range toks {
		b.WriteString(t.text)
	}
	return b.String()
}
