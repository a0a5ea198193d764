package codec

import (
	"bytes"
	"errors"
	"io"
	"reflect"
	"testing"
	"time"
)

type point struct {
	X, Y int
	tag  string
}

type nested struct {
	Name  string
	Pts   []point
	Attrs map[string]any
	Next  *nested
	Any   any
	Arr   [2]float32
}

func TestRoundTrip(t *testing.T) {
	anon := reflect.New(reflect.StructOf([]reflect.StructField{
		{Name: "A", Type: reflect.TypeFor[int]()},
		{Name: "B", Type: reflect.TypeFor[string]()},
	})).Elem()
	anon.Field(0).SetInt(7)
	anon.Field(1).SetString("seven")
	when := time.Date(2026, 11, 23, 15, 4, 5, 6, time.UTC)
	cases := []struct {
		name string
		v    any
	}{
		{"nil", nil},
		{"true", true},
		{"false", false},
		{"int", -42},
		{"int64", int64(1) << 60},
		{"int8", int8(-3)},
		{"uint16", uint16(65000)},
		{"float64", 3.25},
		{"float32", float32(1.5)},
		{"string", "héllo"},
		{"empty string", ""},
		{"bytes", []byte{0, 1, 2}},
		{"any slice", []any{1, "a", nil, []any{2.5}}},
		{"int slice", []int{3, 1, 2}},
		{"nil int slice", []int(nil)},
		{"struct with unexported field", point{1, 2, "p"}},
		{"nested", nested{Name: "n", Pts: []point{{1, 2, "a"}}, Attrs: map[string]any{"k": 1, "s": "v"},
			Next: &nested{Name: "child", Any: point{3, 4, ""}}, Any: int64(9), Arr: [2]float32{1, 2}}},
		{"interpreter-built struct", anon.Interface()},
		{"time", when},
		{"map", map[int][]string{1: {"a"}, 2: nil}},
		{"complex", complex(1, -2)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var buf bytes.Buffer
			enc := NewEncoder(&buf)
			if err := enc.Encode(c.v); err != nil {
				t.Fatal(err)
			}
			if err := enc.Encode("sentinel"); err != nil {
				t.Fatal(err)
			}
			if err := enc.Flush(); err != nil {
				t.Fatal(err)
			}
			dec := NewDecoder(&buf)
			got, err := dec.Decode()
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, c.v) {
				t.Fatalf("got %#v, want %#v", got, c.v)
			}
			if s, err := dec.Decode(); err != nil || s != "sentinel" {
				t.Fatalf("stream misaligned after value: %v %v", s, err)
			}
			if _, err := dec.Decode(); err != io.EOF {
				t.Fatalf("want io.EOF at end, got %v", err)
			}
		})
	}
}

func TestUnsupported(t *testing.T) {
	var buf bytes.Buffer
	err := NewEncoder(&buf).Encode(struct{ C chan int }{make(chan int)})
	var ute *UnsupportedTypeError
	if !errors.As(err, &ute) || ute.Type.Kind() != reflect.Chan {
		t.Fatalf("want UnsupportedTypeError for chan, got %v", err)
	}
}

func TestTruncatedStream(t *testing.T) {
	var buf bytes.Buffer
	enc := NewEncoder(&buf)
	enc.Encode("a long enough string")
	enc.Flush()
	b := buf.Bytes()[:5]
	if _, err := NewDecoder(bytes.NewReader(b)).Decode(); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("want ErrUnexpectedEOF, got %v", err)
	}
}

func BenchmarkEncodeDecodeStrings(b *testing.B) {
	var buf bytes.Buffer
	for i := 0; i < b.N; i++ {
		buf.Reset()
		enc := NewEncoder(&buf)
		for j := 0; j < 1000; j++ {
			enc.Encode("word")
			enc.Encode(j)
		}
		enc.Flush()
		dec := NewDecoder(&buf)
		for {
			if _, err := dec.Decode(); err != nil {
				break
			}
		}
	}
}
