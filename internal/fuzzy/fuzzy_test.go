package fuzzy

import "testing"

func TestDistance(t *testing.T) {
	for _, c := range []struct {
		a, b string
		d    int
	}{{"", "", 0}, {"abc", "", 3}, {"Colect", "Collect", 1}, {"kitten", "sitting", 3}, {"same", "same", 0}} {
		if got := Distance(c.a, c.b); got != c.d {
			t.Errorf("Distance(%q, %q) = %d, want %d", c.a, c.b, got, c.d)
		}
	}
}

func TestNearest(t *testing.T) {
	cands := []string{"Collect", "Count", "Cache", "name", "age"}
	if got, ok := Nearest("colect", cands, 2); !ok || got != "Collect" {
		t.Errorf("Nearest(colect) = %q, %v", got, ok)
	}
	if got, ok := Nearest("nme", cands, 1); !ok || got != "name" {
		t.Errorf("Nearest(nme) = %q, %v", got, ok)
	}
	if got, ok := Nearest("zzzzzz", cands, 2); ok {
		t.Errorf("Nearest(zzzzzz) = %q; nothing is that close", got)
	}
}
