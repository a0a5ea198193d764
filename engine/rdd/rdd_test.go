package rdd

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestCompare(t *testing.T) {
	type pt struct{ X, Y int }
	cases := []struct {
		a, b any
		want int
	}{
		{1, 2, -1}, {2, 1, 1}, {3, 3, 0},
		{1, 2.5, -1}, {int64(7), 7, 0}, {uint8(3), -1, 1},
		{"a", "b", -1}, {"b", "a", 1},
		{nil, 0, -1}, {0, nil, 1}, {nil, nil, 0},
		{false, true, -1},
		{Pair{"a", 2}, Pair{"a", 1}, 1}, {Pair{"a", 9}, Pair{"b", 0}, -1},
		{[]int{1, 2}, []int{1, 3}, -1}, {[]int{1}, []int{1, 0}, -1},
		{pt{1, 2}, pt{1, 1}, 1},
		{time.Unix(1, 0), time.Unix(2, 0), -1},
		{"x", 1, 1}, // unrelated types order by type name: int < string
	}
	for _, c := range cases {
		if got := Compare(c.a, c.b); got != c.want {
			t.Errorf("Compare(%#v, %#v) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}

func TestHashIsByValue(t *testing.T) {
	type key struct {
		A string
		B int
	}
	if Hash("spark") != Hash(strings.Clone("spark")) || Hash(key{"a", 1}) != Hash(key{"a", 1}) {
		t.Fatal("equal keys hash differently")
	}
	if Hash(0.0) != Hash(-0.0*1) {
		t.Fatal("0 and -0 hash differently")
	}
	p := NewHashPartitioner(7)
	counts := make([]int, 7)
	for i := 0; i < 7000; i++ {
		counts[p.Partition(i)]++
	}
	for i, n := range counts {
		if n < 800 || n > 1200 {
			t.Fatalf("partition %d got %d of 7000 ints: %v", i, n, counts)
		}
	}
	defer func() {
		if _, ok := recover().(*UsageError); !ok {
			t.Fatal("hashing a slice key did not raise a UsageError")
		}
	}()
	Hash([]int{1})
}

func TestRangePartitioner(t *testing.T) {
	p := &RangePartitioner{Bounds: []any{10, 20}, Ascending: true}
	for k, want := range map[int]int{-5: 0, 10: 0, 11: 1, 20: 1, 21: 2} {
		if got := p.Partition(k); got != want {
			t.Errorf("ascending Partition(%d) = %d, want %d", k, got, want)
		}
	}
	p.Ascending = false
	if p.Partition(25) != 0 || p.Partition(5) != 2 {
		t.Error("descending order is not reversed")
	}
}

// TestTextSplitsOwnEachLineOnce reads files cut into splits of many sizes:
// every line must come out exactly once, in order.
func TestTextSplitsOwnEachLineOnce(t *testing.T) {
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(1, 2))
	var lines []string
	var buf bytes.Buffer
	for i := 0; i < 500; i++ {
		l := fmt.Sprintf("%d:%s", i, strings.Repeat("x", rng.IntN(40)))
		if i%50 == 0 {
			l = "" // empty lines too
		}
		lines = append(lines, l)
		buf.WriteString(l + "\n")
	}
	path := filepath.Join(dir, "f.txt")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{1, 2, 3, 7, 64, 1000, 20000} {
		splits, err := splitFiles([]string{path}, n)
		if err != nil {
			t.Fatal(err)
		}
		op := &textOp{splits: splits}
		var got []string
		for i := range splits {
			tc := &TaskContext{Context: context.Background()}
			it := op.Compute(tc, nil, i)
			for x, ok := it(); ok; x, ok = it() {
				got = append(got, x.(string))
			}
			tc.Complete()
		}
		if !slices.Equal(got, lines) {
			t.Fatalf("%d splits (%d made): read %d lines, want %d", n, len(splits), len(got), len(lines))
		}
	}
}

func TestCodecSerializerPairs(t *testing.T) {
	recs := []any{Pair{"k", 1}, "plain", Pair{Pair{1, 2}, []any{"x"}}, nil, Pair{nil, nil}}
	var buf bytes.Buffer
	w := CodecSerializer{}.NewWriter(&buf)
	for _, r := range recs {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	w.Flush()
	r := CodecSerializer{}.NewReader(&buf)
	var got []any
	for {
		x, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, x)
	}
	if !reflect.DeepEqual(got, recs) {
		t.Fatalf("got %v, want %v", got, recs)
	}
}

func TestCloneIsDeep(t *testing.T) {
	zero := map[string][]int{"a": {1}}
	c := Clone(zero).(map[string][]int)
	c["a"][0] = 9
	if zero["a"][0] != 1 {
		t.Fatal("Clone shared memory with the original")
	}
	if Clone(5) != 5 || Clone("s") != "s" {
		t.Fatal("scalars must clone to themselves")
	}
}

// TestFieldsLaneMatchesStringsFields: the allocation-free lane for
// FlatMap(strings.Fields) yields exactly what strings.Fields does.
func TestFieldsLaneMatchesStringsFields(t *testing.T) {
	lines := []string{"", "   ", "one", "  two  words ", "tabs\tand\nnewlines", "unicode\u00a0nbsp\u2003em space", "é à  ü", "trailing "}
	i := 0
	lane := fieldsLane(func() (string, bool) {
		if i >= len(lines) {
			return "", false
		}
		i++
		return lines[i-1], true
	})
	var got []string
	for w, ok := lane(); ok; w, ok = lane() {
		got = append(got, w)
	}
	var want []string
	for _, l := range lines {
		want = append(want, strings.Fields(l)...)
	}
	if !slices.Equal(got, want) {
		t.Fatalf("got %q\nwant %q", got, want)
	}
}
