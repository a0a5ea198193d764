package kernel

import (
	"path/filepath"
	"testing"
)

func TestGlob(t *testing.T) {
	for _, tc := range []struct {
		pattern, input string
		want           bool
	}{
		{"1 + *", "1 + 2", true},
		{"1 + *", "11 + 2", false},
		{"*Count()", "rdd.\nCount()", true},
		{"a?c", "abc", true},
		{"a?c", "ac", false},
		{"[ab]x", "bx", true},
		{"[^ab]x", "bx", false},
		{"x.y", "xzy", false},
		{"", "anything", true},
		{"[unclosed", "[unclosed", true},
	} {
		re, err := globRegexp(tc.pattern)
		if err != nil {
			t.Fatalf("%q: %v", tc.pattern, err)
		}
		if got := re.MatchString(tc.input); got != tc.want {
			t.Errorf("glob %q on %q = %v, want %v", tc.pattern, tc.input, got, tc.want)
		}
	}
}

func TestHistoryFileKeepsSessions(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "history.jsonl")
	h, err := OpenHistory(path)
	if err != nil {
		t.Fatal(err)
	}
	h.add(1, "a := 1", "")
	h.add(2, "a + 1", "2")
	h.Close()

	h, err = OpenHistory(path)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	if h.Session() != 2 {
		t.Errorf("second session numbered %d", h.Session())
	}
	h.add(1, "b := 2", "")
	n := 10
	rows, err := h.query(historyRequest{HistAccessType: "tail", N: &n, Output: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 {
		t.Fatalf("tail: %v", rows)
	}
	if out := rows[1][2].([]any); out[0] != "a + 1" || out[1] != "2" {
		t.Errorf("entry with output: %v", rows[1])
	}
	if out := rows[0][2].([]any); out[1] != nil {
		t.Errorf("entry without output: %v", rows[0])
	}
	// Session -1 is the one before this.
	stop := 3
	rows, _ = h.query(historyRequest{HistAccessType: "range", Session: -1, Start: 2, Stop: &stop})
	if len(rows) != 1 || rows[0][0] != 1 || rows[0][2] != "a + 1" {
		t.Errorf("range of the previous session: %v", rows)
	}
	if _, err := h.query(historyRequest{HistAccessType: "sideways"}); err == nil {
		t.Error("an unknown access type did not fail")
	}
}
