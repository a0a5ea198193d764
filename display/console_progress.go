package display

import (
	"cmp"
	"context"
	"io"
	"slices"
	"strings"
	"sync"
	"time"
)

// The timing of ConsoleProgress, Spark's ConsoleProgressBar constants.
const (
	// ProgressInterval is the shortest time between two redraws of the
	// console bar (spark.ui.consoleProgress.update.interval).
	ProgressInterval = 200 * time.Millisecond
	// ProgressDelay is how long a stage must have run before it shows, and
	// how long the bar stays away after a job finishes.
	ProgressDelay = 500 * time.Millisecond
	// progressKeepAlive is how often an unchanged bar is written again, so
	// that an idle ssh connection is not closed.
	progressKeepAlive = time.Minute
	// progressMaxStages is how many stages the console bar shows at once.
	progressMaxStages = 3
)

// Clock tells the time. The engine's scheduler clock satisfies it; tests
// pass a fake one.
type Clock interface {
	Now() time.Time
}

type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }

// ConsoleProgress draws the progress of running stages on one terminal line,
// as Spark's ConsoleProgressBar does on stderr: it overwrites itself with a
// carriage return, redraws at most every ProgressInterval, shows a stage
// only once it has run longer than ProgressDelay, shows at most three
// stages (lowest stage IDs first), writes only when the bar changed (or a
// minute has passed), and wipes the line when the job finishes so that the
// job's output starts clean.
//
// Feed it snapshots with Update (for instance from a scheduler listener),
// and call Refresh on a ticker, or run Run, so that a stage appears once it
// passes the delay even when no event arrives. Call Finish when the job
// ends. A ConsoleProgress is safe for concurrent use; write errors are
// ignored, as a progress bar must never fail a job.
type ConsoleProgress struct {
	mu          sync.Mutex
	w           io.Writer
	clock       Clock
	width       int
	stages      []StageProgress // the latest snapshot
	lastRefresh time.Time       // when stages were last considered for drawing
	lastWrite   time.Time       // when the bar was last written
	lastFinish  time.Time       // when Finish was last called
	lastBar     string          // the bar on screen, "" when the line is clear
}

// NewConsoleProgress returns a ConsoleProgress drawing on w (usually
// os.Stderr) in width columns (DefaultWidth when width is not positive),
// reading the time from clock (the system clock when nil).
func NewConsoleProgress(w io.Writer, clock Clock, width int) *ConsoleProgress {
	if clock == nil {
		clock = systemClock{}
	}
	if width <= 0 {
		width = DefaultWidth
	}
	return &ConsoleProgress{w: w, clock: clock, width: width}
}

// Update records the active stages and redraws the bar if it is due.
func (p *ConsoleProgress) Update(stages []StageProgress) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.stages = slices.Clone(stages)
	p.refresh(p.clock.Now())
}

// Refresh redraws the bar from the latest snapshot if it is due.
func (p *ConsoleProgress) Refresh() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.refresh(p.clock.Now())
}

// Run calls Refresh on every tick until ctx is done or ticks is closed.
// Pass the C of a time.Ticker firing every ProgressInterval.
func (p *ConsoleProgress) Run(ctx context.Context, ticks <-chan time.Time) {
	for {
		select {
		case <-ctx.Done():
			return
		case _, ok := <-ticks:
			if !ok {
				return
			}
			p.Refresh()
		}
	}
}

// Finish wipes the bar, if one shows, and forgets the stages: the job is
// over. For ProgressDelay afterwards nothing is drawn, so that a quick
// follow-up job does not flash a bar, as in Spark.
func (p *ConsoleProgress) Finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.lastBar != "" {
		io.WriteString(p.w, "\r"+strings.Repeat(" ", p.width)+"\r")
		p.lastBar = ""
	}
	p.stages = nil
	p.lastFinish = p.clock.Now()
}

// refresh draws the bar for the stages that have run long enough, unless
// the last refresh was less than ProgressInterval ago or a job finished
// less than ProgressDelay ago. The caller holds p.mu.
func (p *ConsoleProgress) refresh(now time.Time) {
	if !p.lastFinish.IsZero() && now.Sub(p.lastFinish) < ProgressDelay {
		return
	}
	if !p.lastRefresh.IsZero() && now.Sub(p.lastRefresh) < ProgressInterval {
		return
	}
	p.lastRefresh = now
	var show []StageProgress
	for _, s := range p.stages {
		if s.Started.IsZero() || now.Sub(s.Started) > ProgressDelay {
			show = append(show, s)
		}
	}
	if len(show) == 0 {
		return
	}
	slices.SortStableFunc(show, func(a, b StageProgress) int { return cmp.Compare(a.StageID, b.StageID) })
	bar := ProgressBar(show[:min(len(show), progressMaxStages)], p.width)
	if bar != p.lastBar || now.Sub(p.lastWrite) > progressKeepAlive {
		// Spark writes "\r" + bar; padding over a longer previous bar
		// keeps its tail (Spark's stray "]]") off the screen.
		pad := strings.Repeat(" ", max(len(p.lastBar)-len(bar), 0))
		io.WriteString(p.w, "\r"+bar+pad)
		p.lastWrite = now
	}
	p.lastBar = bar
}
