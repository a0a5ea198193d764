package source

import (
	"bytes"
	"fmt"
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
	out = out[:0]
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
