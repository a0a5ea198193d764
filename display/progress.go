package display

import (
	"fmt"
	"strings"
	"time"
)

// DefaultWidth is the console width progress bars use when none is given,
// as Spark does when the COLUMNS environment variable is unset.
const DefaultWidth = 80

// StageProgress is a snapshot of one stage of a running job, as the
// scheduler's status store sees it. The engine fills it; display only reads
// it.
type StageProgress struct {
	// StageID and Attempt identify the stage attempt.
	StageID, Attempt int
	// Name is the stage's name, such as "count at cell 3".
	Name string
	// NumTasks is the stage's number of tasks (one per partition).
	NumTasks int
	// Completed, Running and Failed count tasks in each state; failed
	// tasks that are retried count again when their retry runs.
	Completed, Running, Failed int
	// Started is when the stage was submitted; the zero time means
	// unknown, and counts as long ago.
	Started time.Time
}

// JobProgress is a snapshot of one job: its active stages while it runs,
// and its outcome once it is done.
type JobProgress struct {
	// JobID is the job's number in its context.
	JobID int
	// Description says what the job is for, such as "collect at cell 4".
	Description string
	// Stages holds the job's active stages.
	Stages []StageProgress
	// Done reports whether the job has ended, successfully or not.
	Done bool
	// Err is the reason the job failed, or "" for success or while running.
	Err string
	// Elapsed is how long the job has run, or ran in total once done.
	Elapsed time.Duration
}

// String describes the job in one line: its progress bar while running,
// else "Job 3 finished in 1.2 s" or "Job 3 failed after 1.2 s: reason".
func (j JobProgress) String() string {
	switch {
	case j.Done && j.Err != "":
		return fmt.Sprintf("Job %d failed after %s: %s", j.JobID, FormatDuration(j.Elapsed), j.Err)
	case j.Done:
		return fmt.Sprintf("Job %d finished in %s", j.JobID, FormatDuration(j.Elapsed))
	case len(j.Stages) == 0:
		return fmt.Sprintf("Job %d running for %s", j.JobID, FormatDuration(j.Elapsed))
	}
	return ProgressBar(j.Stages, DefaultWidth)
}

// ProgressBar draws stages as Spark's ConsoleProgressBar does, one segment
// per stage in the order given, in width columns (DefaultWidth when width
// is not positive):
//
//	[Stage 2:=====>                                            (45 + 4) / 200]
//
// Each segment gets width/len(stages) columns: "[Stage N:", a bar of "="
// for the completed share of its tasks ended by ">", and "(completed +
// running) / total]". When a segment is too narrow for a bar, only its
// text shows, even if that is wider than the segment, as in Spark. A stage with no tasks counts as complete, where Spark would
// divide by zero. ProgressBar draws every stage it is given; choosing
// which stages to show is the caller's business (ConsoleProgress shows at
// most three).
func ProgressBar(stages []StageProgress, width int) string {
	if len(stages) == 0 {
		return ""
	}
	if width <= 0 {
		width = DefaultWidth
	}
	each := width / len(stages)
	var b strings.Builder
	for _, s := range stages {
		b.WriteString(stageBar(s, each))
	}
	return b.String()
}

// stageBar draws one stage's segment in width columns.
func stageBar(s StageProgress, width int) string {
	total := max(s.NumTasks, 0)
	done := min(max(s.Completed, 0), total)
	header := fmt.Sprintf("[Stage %d:", s.StageID)
	tailer := fmt.Sprintf("(%d + %d) / %d]", s.Completed, s.Running, s.NumTasks)
	w := width - len(header) - len(tailer)
	if w <= 0 {
		return header + tailer
	}
	filled := w // a stage without tasks is complete
	if total > 0 {
		filled = w * done / total
	}
	var b strings.Builder
	b.Grow(width)
	b.WriteString(header)
	for i := range w {
		switch {
		case i < filled:
			b.WriteByte('=')
		case i == filled:
			b.WriteByte('>')
		default:
			b.WriteByte(' ')
		}
	}
	b.WriteString(tailer)
	return b.String()
}

// FormatDuration writes d briefly, the way Spark's web UI writes
// durations but with one decimal below ten seconds: "45 ms", "0.3 s",
// "1.2 s", "42 s", "3.5 min", "25 min", "1.5 h".
func FormatDuration(d time.Duration) string {
	ms := d.Milliseconds()
	if ms < 100 {
		return fmt.Sprintf("%d ms", ms)
	}
	sec := d.Seconds()
	if sec < 10 {
		return fmt.Sprintf("%.1f s", sec)
	}
	if sec < 60 {
		return fmt.Sprintf("%.0f s", sec)
	}
	minutes := sec / 60
	if minutes < 10 {
		return fmt.Sprintf("%.1f min", minutes)
	}
	if minutes < 60 {
		return fmt.Sprintf("%.0f min", minutes)
	}
	return fmt.Sprintf("%.1f h", minutes/60)
}
