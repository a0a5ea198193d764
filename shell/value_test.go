package shell

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"gospark/engine"
)

func itoa(n int) string { return strconv.Itoa(n) }

func TestNewResult(t *testing.T) {
	for _, c := range []struct {
		vs   []any
		text string
	}{
		{[]any{3}, "3"},
		{[]any{"s"}, `"s"`},
		{[]any{"a\nb"}, "a\nb"},
		{[]any{nil}, "<nil>"},
		{[]any{12, nil}, "12"},
		{[]any{0, errors.New("bad")}, "(0, bad)"},
		{[]any{1, "a", nil}, `(1, "a")`},
		{[]any{[]any{engine.Pair{Key: "a", Value: 1}}}, "[{a 1}]"},
		{[]any{struct{ X, Y int }{1, 2}}, "{X:1 Y:2}"},
		{[]any{map[string]int{"b": 2, "a": 1}}, "map[a:1 b:2]"},
	} {
		r := newResult(1, c.vs, true)
		if !r.HasValue || r.Text != c.text {
			t.Errorf("%#v: %q, want %q", c.vs, r.Text, c.text)
		}
	}
	big := make([]int, 5000)
	if s := FormatValue(big); !strings.HasSuffix(s, "… (4000 more)]") {
		t.Errorf("a long slice is not cut: ...%s", s[len(s)-40:])
	}
}
