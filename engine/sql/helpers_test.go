package sql

import (
	"errors"
	"sort"
	"strings"
	"testing"

	"gospark/engine/sql/exec"
)

// rowStrings renders every row as "v1|v2|…" (NULL for nulls).
func rowStrings(df *DataFrame) []string {
	var out []string
	types := df.plan.Output()
	for _, r := range df.Collect() {
		parts := make([]string, len(r))
		for i, v := range r {
			parts[i] = exec.FormatValue(v, types[i].T)
		}
		out = append(out, strings.Join(parts, "|"))
	}
	return out
}

func sorted(s []string) []string {
	s = append([]string(nil), s...)
	sort.Strings(s)
	return s
}

func expectRows(t *testing.T, name string, df *DataFrame, want []string, keepOrder bool) {
	t.Helper()
	got := rowStrings(df)
	if !keepOrder {
		got, want = sorted(got), sorted(want)
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s:\n got: %q\nwant: %q", name, got, want)
	}
}

// panicsWith runs f and returns the error it panicked with.
func panicsWith(f func()) (err error) {
	defer func() {
		if r := recover(); r != nil {
			if e, ok := r.(error); ok {
				err = e
				return
			}
			panic(r)
		}
	}()
	f()
	return nil
}

func analysisError(err error) bool {
	var ae *AnalysisError
	return errors.As(err, &ae)
}

type emp struct {
	Name   string
	Dept   string
	Salary int64
	Age    *int32
	Score  *float64
}

func i32(v int32) *int32     { return &v }
func f64(v float64) *float64 { return &v }

// people is a small table with NULLs in every nullable column.
func people(s *Session) *DataFrame {
	return s.CreateDataFrame([]emp{
		{"alice", "eng", 100, i32(30), f64(1.5)},
		{"bob", "eng", 80, i32(40), nil},
		{"carol", "ops", 90, nil, f64(3.0)},
		{"dan", "ops", 90, i32(25), f64(2.0)},
		{"erin", "", 70, i32(35), f64(0.5)},
	})
}
