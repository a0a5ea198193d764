package kernel

import (
	"sync"
	"time"

	"gospark/display"
	"gospark/engine"
	"gospark/engine/scheduler"
)

// progress shows the jobs of a session as live progress bars in the
// notebook: a scheduler listener notes when jobs start and end, a ticker
// takes snapshots of the running ones from the context's StatusTracker,
// and display.NotebookProgress decides what to send — nothing for a job
// shorter than display.ProgressDelay, else a display_data replaced in place
// by update_display_data at most every display.ProgressInterval, ending
// with the job's time.
type progress struct {
	sc *engine.Context
	np *display.NotebookProgress

	mu      sync.Mutex
	started map[int]time.Time // running jobs
	ticking bool
}

func newProgress(sc *engine.Context, publish func(d display.Data, update bool)) *progress {
	p := &progress{sc: sc, np: display.NewNotebookProgress(publish, nil, nil), started: map[int]time.Time{}}
	sc.AddListener(p)
	return p
}

// OnEvent implements scheduler.Listener.
func (p *progress) OnEvent(e scheduler.Event) {
	switch e := e.(type) {
	case scheduler.JobStart:
		p.mu.Lock()
		p.started[e.JobID] = e.Time
		if !p.ticking {
			p.ticking = true
			go p.tick()
		}
		p.mu.Unlock()
	case scheduler.JobEnd:
		p.mu.Lock()
		start, ok := p.started[e.JobID]
		delete(p.started, e.JobID)
		p.mu.Unlock()
		if !ok {
			return
		}
		j := display.JobProgress{JobID: e.JobID, Done: true, Elapsed: e.Time.Sub(start)}
		if e.Err != nil {
			j.Err = e.Err.Error()
		}
		p.np.Update(j)
	}
}

// tick feeds snapshots of the running jobs to the NotebookProgress until
// none runs.
func (p *progress) tick() {
	t := time.NewTicker(display.ProgressInterval / 2)
	defer t.Stop()
	for range t.C {
		p.mu.Lock()
		if len(p.started) == 0 {
			p.ticking = false
			p.mu.Unlock()
			return
		}
		jobs := make(map[int]time.Time, len(p.started))
		for id, s := range p.started {
			jobs[id] = s
		}
		p.mu.Unlock()
		stages := p.sc.StatusTracker().ActiveStages()
		for id, start := range jobs {
			p.np.Update(p.snapshot(id, start, stages))
		}
	}
}

// snapshot describes a running job from the tracker's view of its stages.
func (p *progress) snapshot(id int, start time.Time, active []scheduler.StageProgress) display.JobProgress {
	j := display.JobProgress{JobID: id, Elapsed: time.Since(start)}
	st, ok := p.sc.StatusTracker().Job(id)
	if !ok {
		return j
	}
	j.Description = st.Desc
	mine := map[int]bool{}
	for _, s := range st.StageIDs {
		mine[s] = true
	}
	for _, s := range active {
		if !mine[s.StageID] {
			continue
		}
		j.Stages = append(j.Stages, display.StageProgress{
			StageID: s.StageID, Attempt: s.Attempt, Name: s.Name, NumTasks: s.NumTasks,
			Completed: s.Completed, Running: s.Active, Failed: s.Failed, Started: s.Submitted,
		})
	}
	return j
}

// close stops listening to the context.
func (p *progress) close() { p.sc.RemoveListener(p) }
