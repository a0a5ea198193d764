package source

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math/bits"
	"strings"
)

// Mode is how a reader treats malformed records.
type Mode int

// The read modes.
const (
	// Permissive sets the fields it cannot parse to NULL and, when the
	// schema has the corrupt-record column, puts the raw line there.
	Permissive Mode = iota
	// DropMalformed drops malformed records.
	DropMalformed
	// FailFast fails the read at the first malformed record, naming the
	// file and line.
	FailFast
)

// ParseMode parses Spark's mode option.
func ParseMode(s string) (Mode, error) {
	switch strings.ToUpper(s) {
	case "", "PERMISSIVE":
		return Permissive, nil
	case "DROPMALFORMED":
		return DropMalformed, nil
	case "FAILFAST":
		return FailFast, nil
	}
	return 0, fmt.Errorf("unknown read mode %q (want PERMISSIVE, DROPMALFORMED or FAILFAST)", s)
}

// CSVOptions are the CSV reader's options, from Spark's option names.
type CSVOptions struct {
	Header      bool
	InferSchema bool
	Sep         byte
	Quote       byte
	Escape      byte
	NullValue   string
	Mode        Mode
	// CorruptColumn is spark.sql.columnNameOfCorruptRecord.
	CorruptColumn string
	DateFormat    string
}

// ParseCSVOptions reads options given as strings (keys are case-insensitive).
func ParseCSVOptions(opts map[string]string) (CSVOptions, error) {
	o := CSVOptions{Sep: ',', Quote: '"', Escape: '\\', CorruptColumn: "_corrupt_record"}
	for k, v := range opts {
		switch strings.ToLower(k) {
		case "header":
			o.Header = isTrue(v)
		case "inferschema":
			o.InferSchema = isTrue(v)
		case "sep", "delimiter":
			s := unescapeSep(v)
			if len(s) != 1 {
				return o, fmt.Errorf("option sep must be one character, got %q", v)
			}
			o.Sep = s[0]
		case "quote":
			if len(v) > 0 {
				o.Quote = v[0]
			} else {
				o.Quote = 0
			}
		case "escape":
			if len(v) > 0 {
				o.Escape = v[0]
			}
		case "nullvalue":
			o.NullValue = v
		case "mode":
			m, err := ParseMode(v)
			if err != nil {
				return o, err
			}
			o.Mode = m
		case "columnnameofcorruptrecord":
			o.CorruptColumn = v
		case "dateformat", "timestampformat":
			o.DateFormat = v
		}
	}
	return o, nil
}

func isTrue(v string) bool { return strings.EqualFold(strings.TrimSpace(v), "true") }

func unescapeSep(v string) string {
	switch v {
	case `\t`:
		return "\t"
	case `\|`:
		return "|"
	}
	return v
}

func indexByte(b []byte, c byte) int { return bytes.IndexByte(b, c) }

// splitFields tokenizes one line (without its newline) into fields,
// appending to out. Quoted fields may contain the separator and doubled or
// escaped quotes; the quotes are removed (into scratch when needed).
func splitFields(line []byte, o *CSVOptions, out [][]byte, scratch *[]byte) ([][]byte, bool) {
	fields, _, _, ok := nextRecord(line, o, out, scratch, false)
	return fields, ok
}

// nextRecord tokenizes the first line of data (up to '\n', or all of it
// when stopAtNewline is false) and returns its fields, the line itself
// (without the newline or a trailing '\r') and the rest of data. One SWAR
// pass finds separators, quotes and the newline.
func nextRecord(data []byte, o *CSVOptions, out [][]byte, scratch *[]byte, stopAtNewline bool) (fields [][]byte, line, rest []byte, ok bool) {
	out = out[:0]
	sep, quote := o.Sep, o.Quote
	sepMask := uint64(sep) * lsb
	quoteMask := uint64(quote) * lsb
	nlMask := uint64('\n') * lsb
	start := 0
	i := 0
	end := len(data)
	slow := func(from int) ([][]byte, []byte, []byte, bool) {
		e := len(data)
		if stopAtNewline {
			if k := indexByte(data[from:], '\n'); k >= 0 {
				e = from + k
			}
		}
		ln := data[:e]
		r := data[e:]
		if e < len(data) {
			r = data[e+1:]
		}
		if n := len(ln); stopAtNewline && n > 0 && ln[n-1] == '\r' {
			ln = ln[:n-1]
		}
		f, ok := splitQuoted(ln[from:], o, out, scratch)
		return f, ln, r, ok
	}
	for ; i+8 <= len(data); i += 8 {
		w := binary.LittleEndian.Uint64(data[i:])
		m := zeroBytes(w ^ sepMask)
		if quote != 0 {
			m |= zeroBytes(w ^ quoteMask)
		}
		if stopAtNewline {
			m |= zeroBytes(w ^ nlMask)
		}
		for m != 0 {
			j := i + bits.TrailingZeros64(m)/8
			m &= m - 1
			switch c := data[j]; {
			case c == sep:
				out = append(out, data[start:j])
				start = j + 1
			case c == '\n' && stopAtNewline:
				end = j
				goto done
			case j == start:
				return slow(start)
			}
		}
	}
	for ; i < len(data); i++ {
		c := data[i]
		if c == sep {
			out = append(out, data[start:i])
			start = i + 1
		} else if c == '\n' && stopAtNewline {
			end = i
			goto done
		} else if c == quote && i == start && quote != 0 {
			return slow(start)
		}
	}
done:
	line = data[:end]
	if end < len(data) {
		rest = data[end+1:]
	}
	last := data[start:end]
	if n := len(last); stopAtNewline && n > 0 && last[n-1] == '\r' {
		last = last[:n-1]
		line = line[:len(line)-1]
	}
	return append(out, last), line, rest, true
}

// splitQuoted tokenizes the rest of a line from a field that may be quoted.
func splitQuoted(line []byte, o *CSVOptions, out [][]byte, scratch *[]byte) ([][]byte, bool) {
	ok := true
	for {
		if o.Quote != 0 && len(line) > 0 && line[0] == o.Quote {
			// Quoted field.
			i := 1
			var field []byte
			plain := true
			start := len(*scratch)
			for {
				if i >= len(line) {
					ok = false // unclosed quote
					break
				}
				c := line[i]
				if c == o.Escape && o.Escape != o.Quote && i+1 < len(line) && line[i+1] == o.Quote {
					if plain {
						*scratch = append(*scratch, line[1:i]...)
						plain = false
					}
					*scratch = append(*scratch, o.Quote)
					i += 2
					continue
				}
				if c == o.Quote {
					if i+1 < len(line) && line[i+1] == o.Quote {
						if plain {
							*scratch = append(*scratch, line[1:i]...)
							plain = false
						}
						*scratch = append(*scratch, o.Quote)
						i += 2
						continue
					}
					break
				}
				if !plain {
					*scratch = append(*scratch, c)
				}
				i++
			}
			if plain {
				field = line[1:min(i, len(line))]
			} else {
				field = (*scratch)[start:]
			}
			out = append(out, field)
			if i+1 >= len(line) {
				return out, ok
			}
			line = line[i+1:]
			if line[0] != o.Sep {
				ok = false
				j := indexByte(line, o.Sep)
				if j < 0 {
					return out, ok
				}
				line = line[j:]
			}
			line = line[1:]
			continue
		}
		j := indexByte(line, o.Sep)
		if j < 0 {
			return append(out, line), ok
		}
		out = append(out, line[:j])
		line = line[j+1:]
	}
}

const lsb = 0x0101010101010101

// zeroBytes returns a word with the high bit set in exactly the bytes of x
// that are zero.
func zeroBytes(x uint64) uint64 {
	const low7 = 0x7f7f7f7f7f7f7f7f
	t := (x & low7) + low7
	return ^(t | x | low7)
}
