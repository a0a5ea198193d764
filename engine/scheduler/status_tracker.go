package scheduler

import (
	"sort"
	"sync"
	"time"
)

// StageProgress is a snapshot of a running stage, for progress bars.
type StageProgress struct {
	StageID, Attempt int
	Name             string
	NumTasks         int
	Completed        int
	Active           int
	Failed           int
	Submitted        time.Time
}

// JobStatus is a snapshot of a job.
type JobStatus struct {
	JobID    int
	Group    string
	Desc     string
	StageIDs []int
	Running  bool
	Err      error
	Started  time.Time
	Ended    time.Time
}

// StatusTracker follows the events to answer "what is running now", like
// Spark's SparkStatusTracker. Progress bars poll it.
type StatusTracker struct {
	mu     sync.Mutex
	jobs   map[int]*JobStatus
	stages map[int]*StageProgress
	order  []int
}

// NewStatusTracker returns an empty tracker; register it on a ListenerBus.
func NewStatusTracker() *StatusTracker {
	return &StatusTracker{jobs: map[int]*JobStatus{}, stages: map[int]*StageProgress{}}
}

// OnEvent implements Listener.
func (s *StatusTracker) OnEvent(e Event) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch e := e.(type) {
	case JobStart:
		s.jobs[e.JobID] = &JobStatus{JobID: e.JobID, Group: e.Properties[PropJobGroup], Desc: e.Properties[PropJobDescription],
			StageIDs: e.StageIDs, Running: true, Started: e.Time}
		s.order = append(s.order, e.JobID)
		if len(s.order) > 1000 {
			delete(s.jobs, s.order[0])
			s.order = s.order[1:]
		}
	case JobEnd:
		if j := s.jobs[e.JobID]; j != nil {
			j.Running, j.Err, j.Ended = false, e.Err, e.Time
		}
	case StageSubmitted:
		s.stages[e.Stage.StageID] = &StageProgress{StageID: e.Stage.StageID, Attempt: e.Stage.Attempt,
			Name: e.Stage.Name, NumTasks: e.Stage.NumTasks, Submitted: e.Stage.Submitted}
	case StageCompleted:
		delete(s.stages, e.Stage.StageID)
	case TaskStart:
		if st := s.stages[e.StageID]; st != nil && st.Attempt == e.StageAttempt {
			st.Active++
		}
	case TaskEnd:
		if st := s.stages[e.StageID]; st != nil && st.Attempt == e.StageAttempt {
			st.Active--
			switch e.State {
			case TaskFinished:
				st.Completed++
			case TaskFailed:
				st.Failed++
			}
		}
	}
}

// ActiveStages returns the running stages, by id.
func (s *StatusTracker) ActiveStages() []StageProgress {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]StageProgress, 0, len(s.stages))
	for _, st := range s.stages {
		out = append(out, *st)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].StageID < out[j].StageID })
	return out
}

// ActiveJobs returns the running jobs, by id.
func (s *StatusTracker) ActiveJobs() []JobStatus {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []JobStatus
	for _, id := range s.order {
		if j := s.jobs[id]; j != nil && j.Running {
			out = append(out, *j)
		}
	}
	return out
}

// Job returns a job's status.
func (s *StatusTracker) Job(id int) (JobStatus, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	j, ok := s.jobs[id]
	if !ok {
		return JobStatus{}, false
	}
	return *j, true
}
