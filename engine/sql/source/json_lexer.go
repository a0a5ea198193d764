package source

import (
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// JSON value kinds reported by scanObject.
const (
	jString = 's'
	jNumber = 'n'
	jTrue   = 't'
	jFalse  = 'f'
	jNull   = 'z'
	jNested = 'o' // an object or array, reported as its JSON text
)

func skipWS(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n') {
		i++
	}
	return i
}

// scanString reads the string whose opening quote is at b[i]; it returns
// the unescaped bytes (a slice of b when there is no escape, else of
// scratch) and the index after the closing quote, or -1 when malformed.
func scanString(b []byte, i int, scratch *[]byte) ([]byte, int) {
	i++
	start := i
	for i < len(b) {
		switch b[i] {
		case '"':
			return b[start:i], i + 1
		case '\\':
			return unescape(b, start, scratch)
		}
		i++
	}
	return nil, -1
}

func unescape(b []byte, start int, _ *[]byte) ([]byte, int) {
	out := make([]byte, 0, 32)
	i := start
	for i < len(b) {
		c := b[i]
		switch {
		case c == '"':
			return out, i + 1
		case c != '\\':
			out = append(out, c)
			i++
			continue
		}
		if i+1 >= len(b) {
			return nil, -1
		}
		i++
		switch b[i] {
		case '"', '\\', '/':
			out = append(out, b[i])
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			if i+4 >= len(b) {
				return nil, -1
			}
			r, err := strconv.ParseUint(string(b[i+1:i+5]), 16, 32)
			if err != nil {
				return nil, -1
			}
			i += 4
			ru := rune(r)
			if utf16.IsSurrogate(ru) && i+6 < len(b) && b[i+1] == '\\' && b[i+2] == 'u' {
				if r2, err := strconv.ParseUint(string(b[i+3:i+7]), 16, 32); err == nil {
					ru = utf16.DecodeRune(ru, rune(r2))
					i += 6
				}
			}
			out = utf8.AppendRune(out, ru)
		default:
			return nil, -1
		}
		i++
	}
	return nil, -1
}

// scanNested skips the object or array starting at b[i] and returns the
// index after it, or -1.
func scanNested(b []byte, i int) int {
	depth := 0
	for i < len(b) {
		switch b[i] {
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				return i + 1
			}
		case '"':
			var dummy []byte
			_, i = scanString(b, i, &dummy)
			if i < 0 {
				return -1
			}
			continue
		}
		i++
	}
	return -1
}

// scanObject reads one JSON object (a JSON Lines record) and calls f for
// each top-level member with its key, kind and value bytes (unescaped for
// strings, the text for numbers and nested values). It reports whether the
// line is a well-formed object.
func scanObject(b []byte, scratch *[]byte, f func(key []byte, kind byte, val []byte)) bool {
	i := skipWS(b, 0)
	if i >= len(b) || b[i] != '{' {
		return false
	}
	i = skipWS(b, i+1)
	if i < len(b) && b[i] == '}' {
		return skipWS(b, i+1) == len(b)
	}
	for {
		if i >= len(b) || b[i] != '"' {
			return false
		}
		key, j := scanString(b, i, scratch)
		if j < 0 {
			return false
		}
		i = skipWS(b, j)
		if i >= len(b) || b[i] != ':' {
			return false
		}
		i = skipWS(b, i+1)
		if i >= len(b) {
			return false
		}
		var kind byte
		var val []byte
		switch c := b[i]; {
		case c == '"':
			val, j = scanString(b, i, scratch)
			if j < 0 {
				return false
			}
			kind, i = jString, j
		case c == '{' || c == '[':
			j = scanNested(b, i)
			if j < 0 {
				return false
			}
			kind, val, i = jNested, b[i:j], j
		case c == 't' && len(b)-i >= 4 && string(b[i:i+4]) == "true":
			kind, i = jTrue, i+4
		case c == 'f' && len(b)-i >= 5 && string(b[i:i+5]) == "false":
			kind, i = jFalse, i+5
		case c == 'n' && len(b)-i >= 4 && string(b[i:i+4]) == "null":
			kind, i = jNull, i+4
		case c == '-' || (c >= '0' && c <= '9'):
			j = i + 1
			for j < len(b) && (b[j] >= '0' && b[j] <= '9' || b[j] == '.' || b[j] == 'e' || b[j] == 'E' || b[j] == '+' || b[j] == '-') {
				j++
			}
			kind, val, i = jNumber, b[i:j], j
		default:
			return false
		}
		f(key, kind, val)
		i = skipWS(b, i)
		if i >= len(b) {
			return false
		}
		if b[i] == '}' {
			return skipWS(b, i+1) == len(b)
		}
		if b[i] != ',' {
			return false
		}
		i = skipWS(b, i+1)
	}
}
