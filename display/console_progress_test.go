package display

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeClock is a Clock that moves only when told to.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

var t0 = time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)

// startedAt is a stage snapshot whose stage began at t0+at.
func startedAt(id, done, running, total int, at time.Duration) StageProgress {
	s := stage(id, done, running, total)
	s.Started = t0.Add(at)
	return s
}

func TestConsoleProgressThrottling(t *testing.T) {
	a := func(done int) StageProgress { return startedAt(1, done, 1, 10, 0) }
	old := stage(0, 3, 1, 4) // zero Started: long ago
	barA := func(done int) string { return ProgressBar([]StageProgress{a(done)}, 80) }
	clear := "\r" + strings.Repeat(" ", 80) + "\r"
	steps := []struct {
		name    string
		advance time.Duration
		update  []StageProgress // nil: call Refresh
		finish  bool
		want    string // written during this step
	}{
		{"a stage that just started does not show", 0, []StageProgress{a(0)}, false, ""},
		{"still under the 500 ms delay", 300 * time.Millisecond, []StageProgress{a(1)}, false, ""},
		{"past the delay, a refresh draws it", 250 * time.Millisecond, nil, false, "\r" + barA(1)},
		{"updates within 200 ms are not drawn", 50 * time.Millisecond, []StageProgress{a(5)}, false, ""},
		{"the next refresh draws the latest snapshot", 150 * time.Millisecond, nil, false, "\r" + barA(5)},
		{"an unchanged bar is not rewritten", 200 * time.Millisecond, nil, false, ""},
		{"but it is after a minute", time.Minute + time.Millisecond, nil, false, "\r" + barA(5)},
		{"stages sort by id and share the width", 200 * time.Millisecond, []StageProgress{a(6), old}, false,
			"\r" + ProgressBar([]StageProgress{old, a(6)}, 80)},
		{"at most three stages show, a shorter bar wipes the old tail", 200 * time.Millisecond,
			[]StageProgress{stage(9, 0, 0, 5), a(7), stage(4, 1, 0, 5), old}, false,
			"\r" + ProgressBar([]StageProgress{old, a(7), stage(4, 1, 0, 5)}, 80) + "  "},
		{"finish wipes the line", 10 * time.Millisecond, nil, true, clear},
		{"nothing shows within 500 ms of a finish", 300 * time.Millisecond, []StageProgress{old}, false, ""},
		{"then the next job shows", 201 * time.Millisecond, nil, false, "\r" + ProgressBar([]StageProgress{old}, 80)},
		{"a finish with the line shown wipes it", 0, nil, true, clear},
		{"a finish with nothing shown writes nothing", time.Second, nil, true, ""},
	}
	clock := &fakeClock{t: t0}
	var out strings.Builder
	p := NewConsoleProgress(&out, clock, 0)
	for _, s := range steps {
		clock.advance(s.advance)
		before := out.Len()
		switch {
		case s.finish:
			p.Finish()
		case s.update != nil:
			p.Update(s.update)
		default:
			p.Refresh()
		}
		if got := out.String()[before:]; got != s.want {
			t.Errorf("%s: wrote\n%q\nwant\n%q", s.name, got, s.want)
		}
	}
}

func TestConsoleProgressRun(t *testing.T) {
	clock := &fakeClock{t: t0}
	var mu sync.Mutex
	var out strings.Builder
	p := NewConsoleProgress(lockedWriter{&mu, &out}, clock, 40)
	p.Update([]StageProgress{startedAt(0, 1, 1, 4, 0)}) // too young to show
	clock.advance(time.Second)

	ticks := make(chan time.Time)
	done := make(chan struct{})
	go func() {
		p.Run(context.Background(), ticks)
		close(done)
	}()
	ticks <- clock.Now()
	close(ticks)
	<-done
	mu.Lock()
	got := out.String()
	mu.Unlock()
	if want := "\r" + ProgressBar([]StageProgress{stage(0, 1, 1, 4)}, 40); got != want {
		t.Errorf("after a tick wrote %q, want %q", got, want)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	p.Run(ctx, make(chan time.Time)) // returns at once
}

type lockedWriter struct {
	mu *sync.Mutex
	w  *strings.Builder
}

func (l lockedWriter) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(b)
}

type published struct {
	d      Data
	update bool
}

func TestNotebookProgress(t *testing.T) {
	clock := &fakeClock{t: t0}
	var got []published
	p := NewNotebookProgress(func(d Data, update bool) { got = append(got, published{d, update}) }, clock,
		func(id int) string { return "http://ui/jobs/" + string(rune('0'+id)) })
	job := func(id, done int) JobProgress {
		return JobProgress{JobID: id, Stages: []StageProgress{stage(0, done, 1, 10)}}
	}
	finished := func(id int) JobProgress { return JobProgress{JobID: id, Done: true, Elapsed: 2 * time.Second} }
	steps := []struct {
		name    string
		advance time.Duration
		j       JobProgress
		want    string // "" none, "show" or "update", then the text
	}{
		{"a new job waits", 0, job(1, 0), ""},
		{"still waiting at 500 ms", 500 * time.Millisecond, job(1, 1), ""},
		{"shows after the delay", time.Millisecond, job(1, 2), "show"},
		{"throttled", 100 * time.Millisecond, job(1, 3), ""},
		{"updates after 200 ms", 100 * time.Millisecond, job(1, 4), "update"},
		{"final form always goes out", time.Millisecond, finished(1), "update"},
		{"late snapshots are ignored", time.Second, job(1, 9), ""},
		{"a quick job shows nothing", 0, job(2, 0), ""},
		{"not even when it finishes", 100 * time.Millisecond, finished(2), ""},
	}
	for _, s := range steps {
		clock.advance(s.advance)
		n := len(got)
		p.Update(s.j)
		switch {
		case s.want == "" && len(got) != n:
			t.Errorf("%s: published %+v", s.name, got[n:])
		case s.want != "" && len(got) != n+1:
			t.Errorf("%s: published %d bundles, want 1", s.name, len(got)-n)
		case s.want != "":
			pb := got[n]
			if pb.update != (s.want == "update") {
				t.Errorf("%s: update = %v", s.name, pb.update)
			}
			if !strings.HasSuffix(pb.d.ID, "-job-1") || !strings.HasPrefix(pb.d.ID, "gospark-") {
				t.Errorf("%s: ID = %q", s.name, pb.d.ID)
			}
			if want := ProgressData(s.j, "http://ui/jobs/1").WithID(pb.d.ID); pb.d.String() != want.String() ||
				pb.d.MIME[MIMEHTML] != want.MIME[MIMEHTML] {
				t.Errorf("%s: published %q, want %q", s.name, pb.d.String(), want.String())
			}
		}
	}
}

func TestProgressConcurrentUse(t *testing.T) {
	clock := &fakeClock{t: t0}
	var mu sync.Mutex
	var out strings.Builder
	cp := NewConsoleProgress(lockedWriter{&mu, &out}, clock, 80)
	var count sync.Mutex
	n := 0
	np := NewNotebookProgress(func(Data, bool) { count.Lock(); n++; count.Unlock() }, clock, nil)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 50 {
				clock.advance(50 * time.Millisecond)
				cp.Update([]StageProgress{stage(g, i, 1, 50)})
				cp.Refresh()
				np.Update(JobProgress{JobID: g, Stages: []StageProgress{stage(0, i, 1, 50)}})
			}
			np.Update(JobProgress{JobID: g, Done: true})
			cp.Finish()
		}()
	}
	wg.Wait()
	if n == 0 {
		t.Error("notebook progress published nothing")
	}
}
