package display

import (
	"errors"
	"math"
	"reflect"
	"testing"
	"time"
)

type pair struct {
	Key   any
	Value any
}

type person struct {
	Name   string
	Age    int
	secret string
}

type city struct {
	Name string
	Pop  float64
}

type celsius float64

func (c celsius) String() string { return "hot" }

func TestValues(t *testing.T) {
	tests := []struct {
		name   string
		in     any
		header []string
		cells  [][]string
	}{
		{"ints", []int{3, 1}, []string{"value"}, [][]string{{"3"}, {"1"}}},
		{"any scalars with nil", []any{"a", nil, 2.5}, []string{"value"}, [][]string{{"a"}, {"null"}, {"2.5"}}},
		{"pairs", []any{pair{"a", 1}, pair{"b", []int{1, 2}}}, []string{"Key", "Value"},
			[][]string{{"a", "1"}, {"b", "[1, 2]"}}},
		{"pointers to structs, unexported fields hidden", []*person{{"ann", 30, "x"}, nil},
			[]string{"Name", "Age"}, [][]string{{"ann", "30"}, {"null", "null"}}},
		{"several struct types", []any{person{Name: "bo", Age: 4}, city{"Oslo", 7e5}},
			[]string{"Name", "Age", "Pop"}, [][]string{{"bo", "4", "null"}, {"Oslo", "null", "700000.0"}}},
		{"maps", []map[string]any{{"b": 1, "a": "x"}, {"c": true}},
			[]string{"a", "b", "c"}, [][]string{{"x", "1", "null"}, {"null", "null", "true"}}},
		{"tuples", [][]any{{1, "a"}, {2, "b", 3.0}},
			[]string{"_1", "_2", "_3"}, [][]string{{"1", "a", "null"}, {"2", "b", "3.0"}}},
		{"mixed shapes", []any{1, person{Name: "x"}}, []string{"value"}, [][]string{{"1"}, {"{x, 0, }"}}},
		{"times are scalars", []time.Time{time.Date(2016, 12, 1, 0, 0, 0, 0, time.UTC)},
			[]string{"value"}, [][]string{{"2016-12-01 00:00:00"}}},
		{"bytes are scalars", [][]byte{[]byte("12")}, []string{"value"}, [][]string{{"[31 32]"}}},
		{"top-level map sorted numerically", map[int]string{10: "x", 2: "y"},
			[]string{"key", "value"}, [][]string{{"2", "y"}, {"10", "x"}}},
		{"single value", 42, []string{"value"}, [][]string{{"42"}}},
		{"nil", nil, []string{"value"}, nil},
		{"empty slice", []int{}, []string{"value"}, nil},
		{"array", [2]string{"p", "q"}, []string{"value"}, [][]string{{"p"}, {"q"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Values(tt.in)
			if !reflect.DeepEqual(got.Header, tt.header) {
				t.Errorf("header = %q, want %q", got.Header, tt.header)
			}
			if !reflect.DeepEqual(got.Cells, tt.cells) {
				t.Errorf("cells = %q, want %q", got.Cells, tt.cells)
			}
		})
	}
}

func TestValuesShowsLikeSpark(t *testing.T) {
	got := Values([]pair{{"spark", 3}, {"go", 12}}).String()
	want := "+-----+-----+\n|  Key|Value|\n+-----+-----+\n|spark|    3|\n|   go|   12|\n+-----+-----+\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestFormatCell(t *testing.T) {
	type node struct {
		Next *node
	}
	loop := &node{}
	loop.Next = loop
	var nilPtr *person
	tests := []struct {
		in   any
		want string
	}{
		{nil, "null"},
		{nilPtr, "null"},
		{"s", "s"},
		{true, "true"},
		{int8(-3), "-3"},
		{uint64(18446744073709551615), "18446744073709551615"},
		{1.0, "1.0"},
		{0.1, "0.1"},
		{-2.5, "-2.5"},
		{1e7, "1.0E7"},
		{1.5e-4, "1.5E-4"},
		{123456.789, "123456.789"},
		{1e21, "1.0E21"},
		{0.0, "0.0"},
		{math.Copysign(0, -1), "-0.0"},
		{math.NaN(), "NaN"},
		{math.Inf(1), "Infinity"},
		{math.Inf(-1), "-Infinity"},
		{float32(0.1), "0.1"},
		{[]byte("ABC."), "[41 42 43 2E]"},
		{[]int(nil), "[]"},
		{[]string{"a", "b"}, "[a, b]"},
		{map[string]int{"b": 2, "a": 1}, "{a -> 1, b -> 2}"},
		{struct {
			A int
			B []float64
		}{1, []float64{2}}, "{1, [2.0]}"},
		{person{"x", 1, "s"}, "{x, 1, s}"},
		{&person{"y", 2, ""}, "{y, 2, }"},
		{time.Date(2020, 1, 2, 3, 4, 5, 600_000_000, time.UTC), "2020-01-02 03:04:05.6"},
		{1500 * time.Millisecond, "1.5s"},
		{errors.New("bad"), "bad"},
		{celsius(40), "hot"},
		{[]celsius{1}, "[hot]"},
		{complex(1, 2), "(1+2i)"},
		{loop, "{{{{...}}}}"}, // cycles end at maxDepth
	}
	for _, tt := range tests {
		if got := FormatCell(tt.in); got != tt.want {
			t.Errorf("FormatCell(%#v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
