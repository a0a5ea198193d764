package source

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSplitFields(t *testing.T) {
	o := &CSVOptions{Sep: ',', Quote: '"', Escape: '\\'}
	cases := []struct {
		line string
		want []string
		ok   bool
	}{
		{"a,b,c", []string{"a", "b", "c"}, true},
		{"a,,c,", []string{"a", "", "c", ""}, true},
		{`"a,b",c`, []string{"a,b", "c"}, true},
		{`"say ""hi""",x`, []string{`say "hi"`, "x"}, true},
		{`"esc \"q\"",x`, []string{`esc "q"`, "x"}, true},
		{`"open,x`, []string{"open,x"}, false},
		{"", []string{""}, true},
	}
	for _, c := range cases {
		var scratch []byte
		got, ok := splitFields([]byte(c.line), o, nil, &scratch)
		var s []string
		for _, f := range got {
			s = append(s, string(f))
		}
		if strings.Join(s, "|") != strings.Join(c.want, "|") || ok != c.ok {
			t.Errorf("splitFields(%q) = %q, %v; want %q, %v", c.line, s, ok, c.want, c.ok)
		}
	}
}

func TestParseFloat(t *testing.T) {
	for _, s := range []string{"0", "1.5", "-2.25", "12.345678", "99.999999", "1e10", "1.5E-3", "123456789012345678", "0.1", "+3", ".5", "5."} {
		got, ok := parseFloat([]byte(s))
		want, err := parseRef(s)
		if ok != (err == nil) || (ok && got != want) {
			t.Errorf("parseFloat(%q) = %v, %v; want %v", s, got, ok, want)
		}
	}
	for _, s := range []string{"", "-", "1.2.3", "abc", "1,5"} {
		if _, ok := parseFloat([]byte(s)); ok {
			t.Errorf("parseFloat(%q) accepted", s)
		}
	}
	if v, ok := parseFloat([]byte("NaN")); !ok || !math.IsNaN(v) {
		t.Error("NaN")
	}
}

func parseRef(s string) (float64, error) {
	var f float64
	_, err := fmt.Sscan(s, &f)
	return f, err
}

func TestInferKinds(t *testing.T) {
	cases := map[string]kind{"1": kInt32, "-7": kInt32, "3000000000": kInt64, "1.5": kFloat64, "true": kBool,
		"2024-01-02": kDate, "2024-01-02 10:00:00": kTimestamp, "abc": kString, "1e3": kFloat64}
	for s, want := range cases {
		if got := inferValue([]byte(s)); got != want {
			t.Errorf("inferValue(%q) = %v, want %v", s, got, want)
		}
	}
	merges := []struct{ a, b, want kind }{
		{kInt32, kInt64, kInt64}, {kInt64, kFloat64, kFloat64}, {kNull, kBool, kBool},
		{kDate, kTimestamp, kTimestamp}, {kInt32, kBool, kString}, {kDate, kInt32, kString},
	}
	for _, m := range merges {
		if got := mergeKinds(m.a, m.b); got != m.want {
			t.Errorf("mergeKinds(%v, %v) = %v, want %v", m.a, m.b, got, m.want)
		}
	}
}

func TestReadLinesAndSplits(t *testing.T) {
	dir := t.TempDir()
	text := "l1\nline2\n\nl4-longer\nl5"
	p := filepath.Join(dir, "f.txt")
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	f := File{Path: p, Size: int64(len(text))}
	for cut := int64(1); cut < f.Size; cut++ {
		a, err := readLines(Split{File: f, Start: 0, End: cut})
		if err != nil {
			t.Fatal(err)
		}
		b, err := readLines(Split{File: f, Start: cut, End: f.Size})
		if err != nil {
			t.Fatal(err)
		}
		if string(a)+string(b) != text {
			t.Errorf("cut %d: %q + %q", cut, a, b)
		}
	}
	splits := PlanSplits([]File{{Path: "x", Size: 300 << 20}, {Path: "y", Size: 10}}, 2, true)
	if len(splits) != 4 || splits[0].End != MaxPartitionBytes || splits[3].File.Path != "y" {
		t.Errorf("splits: %+v", splits)
	}
	if _, err := ListFiles([]string{filepath.Join(dir, "nope*")}); err == nil {
		t.Error("missing path accepted")
	}
}

func TestScanObject(t *testing.T) {
	cases := []struct {
		line string
		want string
		ok   bool
	}{
		{`{"a": 1, "b": "x", "c": true, "d": null, "e": -2.5e3}`, `a=n:1 b=s:x c=t: d=z: e=n:-2.5e3`, true},
		{`{"s": "q\"uo\\te\n", "u": "\u00e9\ud83d\ude00"}`, "s=s:q\"uo\\te\n u=s:é😀", true},
		{`{"o": {"x": [1, "}"]}, "arr": [1,2]}`, `o=o:{"x": [1, "}"]} arr=o:[1,2]`, true},
		{`  {}  `, ``, true},
		{`{"a": 1,}`, `a=n:1`, false},
		{`{"a" 1}`, ``, false},
		{`[1, 2]`, ``, false},
		{`{"a": tru}`, ``, false},
		{`{"a": 1} x`, `a=n:1`, false},
	}
	for _, c := range cases {
		var parts []string
		var scratch []byte
		ok := scanObject([]byte(c.line), &scratch, func(k []byte, kind byte, v []byte) {
			parts = append(parts, string(k)+"="+string(kind)+":"+string(v))
		})
		if got := strings.Join(parts, " "); got != c.want || ok != c.ok {
			t.Errorf("scanObject(%s) = %q, %v; want %q, %v", c.line, got, ok, c.want, c.ok)
		}
	}
}
