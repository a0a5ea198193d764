package repl

import (
	"context"
	"io"
	"os"
	"strconv"
	"time"

	"golang.org/x/term"

	"gospark/display"
	"gospark/engine"
	"gospark/engine/scheduler"
)

// startProgress draws the engine's running stages on w, Spark-style, until
// the returned func is called. display.ConsoleProgress shows a stage only
// once it has run for half a second.
func startProgress(sc *engine.Context, w io.Writer) (stop func()) {
	bar := display.NewConsoleProgress(w, nil, termWidth(w))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(display.ProgressInterval)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				bar.Update(stagesOf(sc.StatusTracker().ActiveStages()))
			}
		}
	}()
	return func() {
		cancel()
		<-done
		bar.Finish()
	}
}

// stagesOf converts the scheduler's snapshots for display.
func stagesOf(in []scheduler.StageProgress) []display.StageProgress {
	out := make([]display.StageProgress, len(in))
	for i, s := range in {
		out[i] = display.StageProgress{StageID: s.StageID, Attempt: s.Attempt, Name: s.Name, NumTasks: s.NumTasks,
			Completed: s.Completed, Running: s.Active, Failed: s.Failed, Started: s.Submitted}
	}
	return out
}

// termWidth is the width of the terminal w writes to, else $COLUMNS, else 0
// (the bar's default).
func termWidth(w io.Writer) int {
	if f, ok := w.(*os.File); ok {
		if width, _, err := term.GetSize(int(f.Fd())); err == nil && width > 0 {
			return width
		}
	}
	n, _ := strconv.Atoi(os.Getenv("COLUMNS"))
	return n
}
