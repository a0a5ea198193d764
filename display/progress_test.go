package display

import (
	"strings"
	"testing"
	"time"
)

// bar builds an expected segment: header, eq "=", an optional ">", spaces,
// tailer.
func bar(header string, eq int, arrow bool, spaces int, tailer string) string {
	s := header + strings.Repeat("=", eq)
	if arrow {
		s += ">"
	}
	return s + strings.Repeat(" ", spaces) + tailer
}

func stage(id, done, running, total int) StageProgress {
	return StageProgress{StageID: id, Completed: done, Running: running, NumTasks: total}
}

func TestProgressBar(t *testing.T) {
	tests := []struct {
		name   string
		stages []StageProgress
		width  int
		want   string
	}{
		// From Spark's ConsoleProgressBar documentation, at width 41.
		{"spark docs example", []StageProgress{stage(0, 316, 4, 1000)}, 41, "[Stage 0:====>          (316 + 4) / 1000]"},
		// w = 80-9-15 = 56 columns of bar; 56*45/200 = 12 done.
		{"running", []StageProgress{stage(2, 45, 4, 200)}, 80, bar("[Stage 2:", 12, true, 43, "(45 + 4) / 200]")},
		{"default width", []StageProgress{stage(2, 45, 4, 200)}, 0, bar("[Stage 2:", 12, true, 43, "(45 + 4) / 200]")},
		{"nothing done", []StageProgress{stage(7, 0, 8, 8)}, 40, bar("[Stage 7:", 0, true, 18, "(0 + 8) / 8]")},
		{"complete", []StageProgress{stage(3, 200, 0, 200)}, 80, bar("[Stage 3:", 55, false, 0, "(200 + 0) / 200]")},
		{"zero tasks counts as complete", []StageProgress{stage(4, 0, 0, 0)}, 80, bar("[Stage 4:", 59, false, 0, "(0 + 0) / 0]")},
		{"more done than tasks is clamped", []StageProgress{stage(5, 12, 0, 10)}, 40, bar("[Stage 5:", 17, false, 0, "(12 + 0) / 10]")},
		{"too narrow for a bar", []StageProgress{stage(2, 45, 4, 200)}, 20, "[Stage 2:(45 + 4) / 200]"},
		{"two stages share the width", []StageProgress{stage(1, 5, 2, 10), stage(2, 0, 1, 4)}, 80,
			bar("[Stage 1:", 9, true, 8, "(5 + 2) / 10]") + bar("[Stage 2:", 0, true, 18, "(0 + 1) / 4]")},
		{"three stages", []StageProgress{stage(0, 1, 1, 2), stage(1, 1, 1, 2), stage(2, 2, 0, 2)}, 80,
			bar("[Stage 0:", 2, true, 2, "(1 + 1) / 2]") + bar("[Stage 1:", 2, true, 2, "(1 + 1) / 2]") +
				bar("[Stage 2:", 5, false, 0, "(2 + 0) / 2]")},
		{"no stages", nil, 80, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ProgressBar(tt.stages, tt.width)
			if got != tt.want {
				t.Errorf("got\n%q\nwant\n%q", got, tt.want)
			}
			if w := tt.width; w > 0 && len(got) > w && tt.name != "too narrow for a bar" {
				t.Errorf("bar is %d wide, more than %d", len(got), w)
			}
		})
	}
}

func TestFormatDuration(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{0, "0 ms"},
		{45 * time.Millisecond, "45 ms"},
		{300 * time.Millisecond, "0.3 s"},
		{1200 * time.Millisecond, "1.2 s"},
		{42 * time.Second, "42 s"},
		{210 * time.Second, "3.5 min"},
		{25 * time.Minute, "25 min"},
		{90 * time.Minute, "1.5 h"},
	}
	for _, tt := range tests {
		if got := FormatDuration(tt.d); got != tt.want {
			t.Errorf("FormatDuration(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
}

func TestJobProgressString(t *testing.T) {
	tests := []struct {
		j    JobProgress
		want string
	}{
		{JobProgress{JobID: 3, Done: true, Elapsed: 1200 * time.Millisecond}, "Job 3 finished in 1.2 s"},
		{JobProgress{JobID: 4, Done: true, Err: "stage 2 failed", Elapsed: 3 * time.Second}, "Job 4 failed after 3.0 s: stage 2 failed"},
		{JobProgress{JobID: 5, Elapsed: 50 * time.Millisecond}, "Job 5 running for 50 ms"},
		{JobProgress{JobID: 6, Stages: []StageProgress{stage(2, 45, 4, 200)}}, ProgressBar([]StageProgress{stage(2, 45, 4, 200)}, 80)},
	}
	for _, tt := range tests {
		if got := tt.j.String(); got != tt.want {
			t.Errorf("%+v: got %q, want %q", tt.j, got, tt.want)
		}
	}
}

func TestProgressData(t *testing.T) {
	running := JobProgress{JobID: 3, Description: "count <at> cell 4", Elapsed: 2 * time.Second, Stages: []StageProgress{
		{StageID: 2, Attempt: 1, Name: "map & reduce", NumTasks: 200, Completed: 45, Running: 4, Failed: 1},
		{StageID: 3, NumTasks: 0},
	}}
	tests := []struct {
		name     string
		j        JobProgress
		url      string
		html     []string
		notHTML  []string
		text     string
		textHas  []string
		htmlOnly bool
	}{
		{name: "running", j: running, url: "http://driver:4040/jobs/job/?id=3",
			html: []string{
				"Job 3: count &lt;at&gt; cell 4 (2.0 s)",
				`<a href="http://driver:4040/jobs/job/?id=3" target="_blank">web UI</a>`,
				"Stage 2 (retry 1)", `title="map &amp; reduce"`,
				"width:22.50%", "width:2.00%", "(45 + 4) / 200", "1 failed",
				"Stage 3", "width:100.00%",
			},
			notHTML: []string{"<at>"},
			textHas: []string{"Job 3: count <at> cell 4 (2.0 s)", ProgressBar([]StageProgress{running.Stages[0]}, 80)}},
		{name: "finished with link", j: JobProgress{JobID: 3, Done: true, Elapsed: 1200 * time.Millisecond}, url: "http://h/?a=1&b=2",
			html: []string{"Job 3 finished in 1.2 s", `href="http://h/?a=1&amp;b=2"`}, text: "Job 3 finished in 1.2 s"},
		{name: "finished without link", j: JobProgress{JobID: 3, Done: true, Elapsed: time.Second},
			html: []string{"<div>Job 3 finished in 1.0 s</div>"}, notHTML: []string{"href"}, text: "Job 3 finished in 1.0 s"},
		{name: "failed", j: JobProgress{JobID: 9, Done: true, Err: "<boom>", Elapsed: time.Second},
			html: []string{`style="color:#b00"`, "Job 9 failed after 1.0 s: &lt;boom&gt;"}, text: "Job 9 failed after 1.0 s: <boom>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := ProgressData(tt.j, tt.url)
			h := d.MIME[MIMEHTML].(string)
			for _, w := range tt.html {
				if !strings.Contains(h, w) {
					t.Errorf("html lacks %q:\n%s", w, h)
				}
			}
			for _, w := range tt.notHTML {
				if strings.Contains(h, w) {
					t.Errorf("html has %q:\n%s", w, h)
				}
			}
			if tt.text != "" && d.String() != tt.text {
				t.Errorf("text = %q, want %q", d.String(), tt.text)
			}
			for _, w := range tt.textHas {
				if !strings.Contains(d.String(), w) {
					t.Errorf("text lacks %q:\n%s", w, d.String())
				}
			}
			if d.ID != "" {
				t.Errorf("ID = %q, want none", d.ID)
			}
		})
	}
}
