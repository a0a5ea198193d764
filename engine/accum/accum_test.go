package accum

import (
	"sync"
	"testing"
)

func TestTaskUpdatesHeldUntilMerge(t *testing.T) {
	a := NewLong("n")
	d := NewDouble("x")
	c := NewCollection("c")
	a.Add(1) // driver side: applies directly
	var wg sync.WaitGroup
	results := make([]*Updates, 4)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			u := NewUpdates()
			unbind := Bind(u)
			defer unbind()
			for j := 0; j < 10; j++ {
				a.Add(2)
				d.Add(0.5)
			}
			c.Add(i)
			results[i] = u
		}()
	}
	wg.Wait()
	if got := a.Value(); got != 1 {
		t.Fatalf("task updates leaked before merge: %d", got)
	}
	// Accept only tasks 0..2; task 3 "failed".
	for _, u := range results[:3] {
		u.Merge()
	}
	if got := a.Value(); got != 1+3*20 {
		t.Fatalf("Long value %d, want %d", got, 61)
	}
	if got := a.Count(); got != 31 {
		t.Fatalf("Long count %d, want 31", got)
	}
	if got := d.Value(); got != 15 {
		t.Fatalf("Double value %g, want 15", got)
	}
	if got := len(c.Value()); got != 3 {
		t.Fatalf("Collection has %d values, want 3", got)
	}
	if results[3].Len() != 3 {
		t.Fatalf("task 3 touched %d accumulators, want 3", results[3].Len())
	}
	a.Reset()
	if a.Value() != 0 || a.Count() != 0 {
		t.Fatal("Reset did not zero the accumulator")
	}
}
