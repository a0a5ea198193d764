package display

import (
	"fmt"
	"html"
	"strings"
	"sync"
	"time"
)

// ProgressData renders a job snapshot for a notebook. While the job runs,
// the bundle holds one HTML progress bar per active stage (completed tasks
// in a dark shade, running ones in a light shade, failures counted in red)
// under a title line, with the console bars of ProgressBar as text/plain.
// Once the job is done it holds the one line of JobProgress.String, "Job 3
// finished in 1.2 s" or "Job 3 failed after 1.2 s: reason". In both forms
// the HTML links to uiURL, the job's page in the web UI, when uiURL is not
// empty.
//
// The bundle has no display ID; give it one with WithID to update it in
// place, or use NotebookProgress, which does.
func ProgressData(j JobProgress, uiURL string) Data {
	if j.Done {
		return finishedData(j, uiURL)
	}
	var h, t strings.Builder
	title := fmt.Sprintf("Job %d", j.JobID)
	if j.Description != "" {
		title += ": " + j.Description
	}
	title += " (" + FormatDuration(j.Elapsed) + ")"
	h.WriteString(`<div class="gospark-progress" style="font-family:monospace;font-size:12px">` + "\n")
	h.WriteString("<div>" + html.EscapeString(title) + uiLink(uiURL) + "</div>\n")
	t.WriteString(title + "\n")
	for _, s := range j.Stages {
		h.WriteString(stageHTML(s))
		t.WriteString(stageBar(s, DefaultWidth) + "\n")
	}
	h.WriteString("</div>\n")
	return Data{MIME: map[string]any{MIMEHTML: h.String(), MIMEText: strings.TrimSuffix(t.String(), "\n")}}
}

// finishedData is the final form of a job's progress display.
func finishedData(j JobProgress, uiURL string) Data {
	line := j.String()
	style := ""
	if j.Err != "" {
		style = ` style="color:#b00"`
	}
	h := "<div" + style + ">" + html.EscapeString(line) + uiLink(uiURL) + "</div>\n"
	return Data{MIME: map[string]any{MIMEHTML: h, MIMEText: line}}
}

func uiLink(url string) string {
	if url == "" {
		return ""
	}
	return ` (<a href="` + html.EscapeString(url) + `" target="_blank">web UI</a>)`
}

// stageHTML draws one stage as a labelled bar of two shades.
func stageHTML(s StageProgress) string {
	total := max(s.NumTasks, 0)
	done, running := 100.0, 0.0
	if total > 0 {
		done = 100 * float64(min(max(s.Completed, 0), total)) / float64(total)
		running = min(100*float64(max(s.Running, 0))/float64(total), 100-done)
	}
	label := fmt.Sprintf("Stage %d", s.StageID)
	if s.Attempt > 0 {
		label += fmt.Sprintf(" (retry %d)", s.Attempt)
	}
	counts := fmt.Sprintf("(%d + %d) / %d", s.Completed, s.Running, s.NumTasks)
	if s.Failed > 0 {
		counts += fmt.Sprintf(` <span style="color:#b00">%d failed</span>`, s.Failed)
	}
	tip := ""
	if s.Name != "" {
		tip = ` title="` + html.EscapeString(s.Name) + `"`
	}
	return fmt.Sprintf(`<div%s style="display:flex;align-items:center;gap:8px;margin:2px 0">`+
		`<span style="min-width:9em">%s</span>`+
		`<div style="display:flex;width:300px;height:12px;background:#eee;border-radius:3px;overflow:hidden">`+
		`<div style="width:%.2f%%;background:#4c72b0"></div><div style="width:%.2f%%;background:#a6bddb"></div></div>`+
		"<span>%s</span></div>\n",
		tip, html.EscapeString(label), done, running, counts)
}

// NotebookProgress keeps the progress displays of a notebook's jobs up to
// date without flooding the frontend. The kernel calls Update with every
// snapshot it gets; NotebookProgress calls publish with the bundle to send:
// update false for the first display of a job (a display_data message),
// true to replace it (update_display_data), each bundle carrying the job's
// display ID. Call Update on a ticker too (every ProgressInterval), so
// that a job shows once it passes the delay even when no event arrives.
//
// Like the console bar, a job's display first appears once the job has run
// longer than ProgressDelay (a quick job shows nothing), and is replaced at
// most every ProgressInterval, except for its final form, which is always
// sent when the job was shown. Snapshots that arrive after a job's final
// one are ignored. It is safe for concurrent use; the publish calls for one
// job are made one at a time, in order, so publish must not call Update.
type NotebookProgress struct {
	mu       sync.Mutex
	publish  func(d Data, update bool)
	clock    Clock
	uiURL    func(jobID int) string
	prefix   string
	jobs     map[int]*jobDisplay
	finished map[int]bool
}

// jobDisplay is what NotebookProgress knows of one job. Its mutex
// serializes the decisions and publish calls for the job.
type jobDisplay struct {
	mu        sync.Mutex
	firstSeen time.Time
	lastSent  time.Time
	shown     bool
	final     bool
}

// NewNotebookProgress returns a NotebookProgress that sends bundles to
// publish, reads the time from clock (the system clock when nil), and links
// jobs to uiURL(jobID) when uiURL is not nil. Display IDs start with a
// prefix made from the time of this call, so that outputs left in the
// notebook by an earlier kernel session are never updated.
func NewNotebookProgress(publish func(d Data, update bool), clock Clock, uiURL func(jobID int) string) *NotebookProgress {
	if clock == nil {
		clock = systemClock{}
	}
	return &NotebookProgress{
		publish:  publish,
		clock:    clock,
		uiURL:    uiURL,
		prefix:   fmt.Sprintf("gospark-%x", clock.Now().UnixNano()),
		jobs:     map[int]*jobDisplay{},
		finished: map[int]bool{},
	}
}

// Update takes a new snapshot of a job and publishes it if it is due.
func (p *NotebookProgress) Update(j JobProgress) {
	p.mu.Lock()
	if p.finished[j.JobID] {
		p.mu.Unlock()
		return
	}
	jd := p.jobs[j.JobID]
	if jd == nil {
		jd = &jobDisplay{firstSeen: p.clock.Now()}
		p.jobs[j.JobID] = jd
	}
	if j.Done {
		delete(p.jobs, j.JobID)
		p.finished[j.JobID] = true
	}
	p.mu.Unlock()

	jd.mu.Lock()
	defer jd.mu.Unlock()
	if jd.final {
		return
	}
	now := p.clock.Now()
	var send bool
	switch {
	case j.Done:
		jd.final = true
		send = jd.shown
	case !jd.shown:
		send = now.Sub(jd.firstSeen) > ProgressDelay
	default:
		send = now.Sub(jd.lastSent) >= ProgressInterval
	}
	if !send {
		return
	}
	update := jd.shown
	jd.shown, jd.lastSent = true, now
	url := ""
	if p.uiURL != nil {
		url = p.uiURL(j.JobID)
	}
	p.publish(ProgressData(j, url).WithID(fmt.Sprintf("%s-job-%d", p.prefix, j.JobID)), update)
}
