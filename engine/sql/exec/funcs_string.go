package exec

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
)

func litString(lits []any, i int) (string, bool) {
	if i >= len(lits) || lits[i] == nil {
		return "", false
	}
	s, ok := lits[i].(string)
	return s, ok
}

// patternKernel builds a kernel over (string, pattern, …) where the pattern
// is argument 1: compiled once when it is a literal, per row otherwise.
func patternKernel(lits []any, compile func(string) (*regexp.Regexp, error), f func(re *regexp.Regexp, args []arrow.Array, i int, b *StringBuilder, bits Bitmap)) (Kernel, error) {
	var fixedRe *regexp.Regexp
	if p, ok := litString(lits, 1); ok {
		re, err := compile(p)
		if err != nil {
			return nil, err
		}
		fixedRe = re
	}
	return func(args []arrow.Array, n int) (arrow.Array, error) {
		b := NewStringBuilder(n, 16*n)
		bits := NewBitmap(n)
		valid := NewValidBitmap(n)
		isBool := false
		for i := 0; i < n; i++ {
			null := false
			for _, a := range args {
				if a.IsNull(i) {
					null = true
				}
			}
			re := fixedRe
			if re == nil && !null {
				var err error
				re, err = compile(args[1].(*array.String).Value(i))
				if err != nil {
					return nil, err
				}
			}
			if null {
				b.AppendNull()
				valid.Clear(i)
				continue
			}
			before := b.Len()
			f(re, args, i, b, bits)
			if b.Len() == before {
				isBool = true
			}
		}
		if isBool {
			return BoolArray(bits, valid, n), nil
		}
		return b.Finish(), nil
	}, nil
}

// LikeToRegexp translates a SQL LIKE pattern (% and _, backslash escapes)
// into an anchored regular expression.
func LikeToRegexp(p string) string {
	var b strings.Builder
	b.WriteString("(?s)^")
	for i := 0; i < len(p); i++ {
		switch c := p[i]; c {
		case '%':
			b.WriteString(".*")
		case '_':
			b.WriteString(".")
		case '\\':
			if i+1 < len(p) {
				i++
				b.WriteString(regexp.QuoteMeta(p[i : i+1]))
			}
		default:
			b.WriteString(regexp.QuoteMeta(p[i : i+1]))
		}
	}
	b.WriteString("$")
	return b.String()
}

func registerStrings() {
	str1 := func(name string, f func(dst, s []byte) []byte) {
		register(name, &ScalarDef{MinArgs: 1, MaxArgs: 1, Resolve: fixed(String, String),
			Build: kernel(func(args []arrow.Array, n int) (arrow.Array, error) { return mapStrings(args[0], f), nil })})
	}
	str1("upper,ucase", func(dst, s []byte) []byte { return append(dst, bytes.ToUpper(s)...) })
	str1("lower,lcase", func(dst, s []byte) []byte { return append(dst, bytes.ToLower(s)...) })
	str1("trim", func(dst, s []byte) []byte { return append(dst, bytes.Trim(s, " ")...) })
	str1("ltrim", func(dst, s []byte) []byte { return append(dst, bytes.TrimLeft(s, " ")...) })
	str1("rtrim", func(dst, s []byte) []byte { return append(dst, bytes.TrimRight(s, " ")...) })
	str1("reverse", func(dst, s []byte) []byte {
		r := []rune(string(s))
		for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
			r[i], r[j] = r[j], r[i]
		}
		return append(dst, string(r)...)
	})
	str1("initcap", func(dst, s []byte) []byte {
		words := strings.Split(strings.ToLower(string(s)), " ")
		for i, w := range words {
			if w != "" {
				words[i] = strings.ToUpper(w[:1]) + w[1:]
			}
		}
		return append(dst, strings.Join(words, " ")...)
	})
	register("length,char_length,character_length", &ScalarDef{MinArgs: 1, MaxArgs: 1, Resolve: fixed(Int32, String),
		Build: kernel(func(args []arrow.Array, n int) (arrow.Array, error) {
			return stringsTo(args[0], Int32, func(s []byte) (int32, bool) { return int32(utf8.RuneCount(s)), true }), nil
		})})
	register("substring,substr", &ScalarDef{MinArgs: 2, MaxArgs: 3, Resolve: fixed(String, String, Int32, Int32),
		Build: kernel(func(args []arrow.Array, n int) (arrow.Array, error) {
			sa := args[0].(*array.String)
			pos := args[1].(*array.Int32)
			b := NewStringBuilder(n, n*8)
			for i := 0; i < n; i++ {
				if sa.IsNull(i) || pos.IsNull(i) || (len(args) > 2 && args[2].IsNull(i)) {
					b.AppendNull()
					continue
				}
				r := []rune(sa.Value(i))
				p := int(pos.Value(i))
				l := len(r) + 1
				if len(args) > 2 {
					l = int(args[2].(*array.Int32).Value(i))
				}
				// Spark: 1-based; 0 acts as 1; negative counts from the end.
				start := p - 1
				if p < 0 {
					start = len(r) + p
				} else if p == 0 {
					start = 0
				}
				end := start + l
				if start < 0 {
					start = 0
				}
				if end > len(r) {
					end = len(r)
				}
				if l < 0 || start >= end {
					b.AppendString("")
					continue
				}
				b.AppendString(string(r[start:end]))
			}
			return b.Finish(), nil
		})})
	register("concat", &ScalarDef{MinArgs: 1, MaxArgs: -1, Resolve: fixed(String, String),
		Build: kernel(func(args []arrow.Array, n int) (arrow.Array, error) {
			b := NewStringBuilder(n, n*16)
			var buf []byte
			for i := 0; i < n; i++ {
				buf = buf[:0]
				null := false
				for _, a := range args {
					if a.IsNull(i) {
						null = true
						break
					}
					buf = append(buf, strAt(a.(*array.String), i)...)
				}
				if null {
					b.AppendNull()
				} else {
					b.Append(buf)
				}
			}
			return b.Finish(), nil
		})})
	register("concat_ws", &ScalarDef{MinArgs: 1, MaxArgs: -1, Resolve: fixed(String, String),
		Build: kernel(func(args []arrow.Array, n int) (arrow.Array, error) {
			b := NewStringBuilder(n, n*16)
			var buf []byte
			for i := 0; i < n; i++ {
				if args[0].IsNull(i) {
					b.AppendNull()
					continue
				}
				sep := strAt(args[0].(*array.String), i)
				buf = buf[:0]
				first := true
				for _, a := range args[1:] {
					if a.IsNull(i) {
						continue
					}
					if !first {
						buf = append(buf, sep...)
					}
					first = false
					buf = append(buf, strAt(a.(*array.String), i)...)
				}
				b.Append(buf)
			}
			return b.Finish(), nil
		})})
	for _, side := range []string{"lpad", "rpad"} {
		left := side == "lpad"
		register(side, &ScalarDef{MinArgs: 2, MaxArgs: 3, Resolve: fixed(String, String, Int32, String),
			Build: kernel(func(args []arrow.Array, n int) (arrow.Array, error) {
				b := NewStringBuilder(n, n*8)
				for i := 0; i < n; i++ {
					if args[0].IsNull(i) || args[1].IsNull(i) {
						b.AppendNull()
						continue
					}
					s := []rune(args[0].(*array.String).Value(i))
					l := int(args[1].(*array.Int32).Value(i))
					pad := []rune(" ")
					if len(args) > 2 {
						pad = []rune(args[2].(*array.String).Value(i))
					}
					if l <= len(s) || len(pad) == 0 {
						if l < 0 {
							l = 0
						}
						if l < len(s) {
							s = s[:l]
						}
						b.AppendString(string(s))
						continue
					}
					fill := make([]rune, 0, l-len(s))
					for len(fill) < l-len(s) {
						fill = append(fill, pad[len(fill)%len(pad)])
					}
					if left {
						b.AppendString(string(fill) + string(s))
					} else {
						b.AppendString(string(s) + string(fill))
					}
				}
				return b.Finish(), nil
			})})
	}
	register("regexp_replace", &ScalarDef{MinArgs: 3, MaxArgs: 3, Resolve: fixed(String, String, String, String),
		Build: func(lits []any, _ arrow.DataType) (Kernel, error) {
			return patternKernel(lits, regexp.Compile, func(re *regexp.Regexp, args []arrow.Array, i int, b *StringBuilder, _ Bitmap) {
				repl := javaReplacement(args[2].(*array.String).Value(i))
				b.Append(re.ReplaceAll(strAt(args[0].(*array.String), i), []byte(repl)))
			})
		}})
	register("regexp_extract", &ScalarDef{MinArgs: 2, MaxArgs: 3, Resolve: fixed(String, String, String, Int32),
		Build: func(lits []any, _ arrow.DataType) (Kernel, error) {
			return patternKernel(lits, regexp.Compile, func(re *regexp.Regexp, args []arrow.Array, i int, b *StringBuilder, _ Bitmap) {
				idx := 1
				if len(args) > 2 {
					idx = int(args[2].(*array.Int32).Value(i))
				}
				m := re.FindSubmatch(strAt(args[0].(*array.String), i))
				if m == nil || idx >= len(m) {
					b.AppendString("")
					return
				}
				b.Append(m[idx])
			})
		}})
	boolPattern := func(name string, compile func(string) (*regexp.Regexp, error)) {
		register(name, &ScalarDef{MinArgs: 2, MaxArgs: 2, Resolve: fixed(Boolean, String, String),
			Build: func(lits []any, _ arrow.DataType) (Kernel, error) {
				return patternKernel(lits, compile, func(re *regexp.Regexp, args []arrow.Array, i int, _ *StringBuilder, bits Bitmap) {
					if re.Match(strAt(args[0].(*array.String), i)) {
						bits.Set(i)
					}
				})
			}})
	}
	boolPattern("rlike,regexp,regexp_like", regexp.Compile)
	boolPattern("like", func(p string) (*regexp.Regexp, error) { return regexp.Compile(LikeToRegexp(p)) })
	boolPattern("ilike", func(p string) (*regexp.Regexp, error) { return regexp.Compile("(?i)" + LikeToRegexp(p)) })
	register("split", &ScalarDef{MinArgs: 2, MaxArgs: 3, Resolve: fixed(arrow.ListOf(String), String, String, Int32),
		Build: func(lits []any, ret arrow.DataType) (Kernel, error) {
			var fixedRe *regexp.Regexp
			literal := ""
			isLiteral := false
			if p, ok := litString(lits, 1); ok {
				re, err := regexp.Compile(p)
				if err != nil {
					return nil, err
				}
				fixedRe = re
				if p != "" && regexp.QuoteMeta(p) == p {
					literal, isLiteral = p, true
				}
			}
			return func(args []arrow.Array, n int) (arrow.Array, error) {
				sa := args[0].(*array.String)
				offs := make([]int32, 1, n+1)
				valid := NewValidBitmap(n)
				vals := NewStringBuilder(n*4, len(sa.ValueBytes()))
				sep := []byte(literal)
				for i := 0; i < n; i++ {
					if sa.IsNull(i) || args[1].IsNull(i) {
						valid.Clear(i)
						offs = append(offs, int32(vals.Len()))
						continue
					}
					limit := -1
					if len(args) > 2 && args[2].IsValid(i) {
						if l := int(args[2].(*array.Int32).Value(i)); l > 0 {
							limit = l
						}
					}
					str := strAt(sa, i)
					if isLiteral && limit < 0 {
						for {
							k := bytes.Index(str, sep)
							if k < 0 {
								vals.Append(str)
								break
							}
							vals.Append(str[:k])
							str = str[k+len(sep):]
						}
						offs = append(offs, int32(vals.Len()))
						continue
					}
					re := fixedRe
					if re == nil {
						var err error
						if re, err = regexp.Compile(args[1].(*array.String).Value(i)); err != nil {
							return nil, err
						}
					}
					for _, part := range re.Split(string(str), limit) {
						vals.AppendString(part)
					}
					offs = append(offs, int32(vals.Len()))
				}
				child := vals.Finish()
				defer child.Release()
				d := array.NewData(ret, n, []*memory.Buffer{bitmapBuffer(fitValid(valid, n)), bufferOf(offs)}, []arrow.ArrayData{child.Data()}, nullCount(fitValid(valid, n), n), 0)
				defer d.Release()
				return array.MakeFromData(d), nil
			}, nil
		}})
	register("instr", &ScalarDef{MinArgs: 2, MaxArgs: 2, Resolve: fixed(Int32, String, String),
		Build: kernel(func(args []arrow.Array, n int) (arrow.Array, error) {
			out := make([]int32, n)
			valid := andValid(args[0], args[1])
			for i := 0; i < n; i++ {
				if args[0].IsNull(i) || args[1].IsNull(i) {
					continue
				}
				s, sub := args[0].(*array.String).Value(i), args[1].(*array.String).Value(i)
				if k := strings.Index(s, sub); k >= 0 {
					out[i] = int32(utf8.RuneCountInString(s[:k]) + 1)
				}
			}
			return FixedArray(Int32, out, valid), nil
		})})
	strPred := func(name string, f func(s, t []byte) bool) {
		register(name, &ScalarDef{MinArgs: 2, MaxArgs: 2, Resolve: fixed(Boolean, String, String),
			Build: kernel(func(args []arrow.Array, n int) (arrow.Array, error) {
				out := NewBitmap(n)
				a, b := args[0].(*array.String), args[1].(*array.String)
				for i := 0; i < n; i++ {
					if a.IsValid(i) && b.IsValid(i) && f(strAt(a, i), strAt(b, i)) {
						out.Set(i)
					}
				}
				return BoolArray(out, andValid(args[0], args[1]), n), nil
			})})
	}
	strPred("contains", bytes.Contains)
	strPred("startswith", bytes.HasPrefix)
	strPred("endswith", bytes.HasSuffix)
	register("format_string,printf", &ScalarDef{MinArgs: 1, MaxArgs: -1,
		Resolve: func(in []arrow.DataType) ([]arrow.DataType, arrow.DataType, error) {
			out := append([]arrow.DataType{String}, in[1:]...)
			return out, String, nil
		},
		Build: kernel(func(args []arrow.Array, n int) (arrow.Array, error) {
			b := NewStringBuilder(n, n*16)
			for i := 0; i < n; i++ {
				if args[0].IsNull(i) {
					b.AppendNull()
					continue
				}
				vals := make([]any, len(args)-1)
				for j, a := range args[1:] {
					vals[j] = ValueAt(a, i)
				}
				b.AppendString(fmt.Sprintf(args[0].(*array.String).Value(i), vals...))
			}
			return b.Finish(), nil
		})})
}

// javaReplacement turns Java's $1 group references into Go's ${1}.
func javaReplacement(r string) string {
	var b strings.Builder
	for i := 0; i < len(r); i++ {
		if r[i] == '$' && i+1 < len(r) && r[i+1] >= '0' && r[i+1] <= '9' {
			j := i + 1
			for j < len(r) && r[j] >= '0' && r[j] <= '9' {
				j++
			}
			b.WriteString("${" + r[i+1:j] + "}")
			i = j - 1
			continue
		}
		if r[i] == '\\' && i+1 < len(r) {
			i++
		}
		if r[i] == '$' {
			b.WriteString("$$")
			continue
		}
		b.WriteByte(r[i])
	}
	return b.String()
}

// fitValid returns nil for an all-valid bitmap.
func fitValid(b Bitmap, n int) Bitmap {
	if nullCount(b, n) == 0 {
		return nil
	}
	return b
}
