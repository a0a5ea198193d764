package kernel

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
)

// History is the record of executed cells that history_request searches,
// like IPython's: each entry has the kernel session it ran in (numbered
// from 1, one per kernel process), its line (the execution count), its
// input and the text of its result. A History backed by a file keeps the
// cells of earlier sessions too; the file holds one JSON object per line.
type History struct {
	mu      sync.Mutex
	session int
	entries []historyEntry
	f       *os.File
}

type historyEntry struct {
	Session int    `json:"session"`
	Line    int    `json:"line"`
	Input   string `json:"input"`
	Output  string `json:"output,omitempty"`
}

// maxHistory bounds the entries of earlier sessions a History loads.
const maxHistory = 10000

// OpenHistory returns a History that appends to path, creating it and its
// directory when missing, and loads the last entries already there. An
// empty path gives a History of this session only, in memory.
func OpenHistory(path string) (*History, error) {
	h := &History{session: 1}
	if path == "" {
		return h, nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("kernel: history: %w", err)
	}
	if f, err := os.Open(path); err == nil {
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 64<<10), 64<<20)
		for sc.Scan() {
			var e historyEntry
			if json.Unmarshal(sc.Bytes(), &e) != nil {
				continue
			}
			h.entries = append(h.entries, e)
			h.session = max(h.session, e.Session+1)
			if len(h.entries) > 2*maxHistory {
				h.entries = append([]historyEntry(nil), h.entries[len(h.entries)-maxHistory:]...)
			}
		}
		f.Close()
		if len(h.entries) > maxHistory {
			h.entries = h.entries[len(h.entries)-maxHistory:]
		}
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, fmt.Errorf("kernel: history: %w", err)
	}
	h.f = f
	return h, nil
}

// DefaultHistoryFile is where the gospark-kernel command keeps history:
// $GOSPARK_KERNEL_HISTORY when set (an empty value keeps none), else
// gospark/kernel_history.jsonl under $XDG_DATA_HOME or ~/.local/share.
func DefaultHistoryFile() string {
	if p, ok := os.LookupEnv("GOSPARK_KERNEL_HISTORY"); ok {
		return p
	}
	dir := os.Getenv("XDG_DATA_HOME")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return ""
		}
		dir = filepath.Join(home, ".local", "share")
	}
	return filepath.Join(dir, "gospark", "kernel_history.jsonl")
}

// Session returns the number of this kernel's session.
func (h *History) Session() int { return h.session }

// add records a cell of this session.
func (h *History) add(line int, input, output string) {
	e := historyEntry{Session: h.session, Line: line, Input: input, Output: output}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.entries = append(h.entries, e)
	if len(h.entries) > 2*maxHistory {
		h.entries = append([]historyEntry(nil), h.entries[len(h.entries)-maxHistory:]...)
	}
	if h.f != nil {
		b, _ := json.Marshal(e)
		h.f.Write(append(b, '\n'))
	}
}

// Close closes the history file.
func (h *History) Close() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.f == nil {
		return nil
	}
	err := h.f.Close()
	h.f = nil
	return err
}

// historyRequest is the content of a history_request.
type historyRequest struct {
	Output         bool   `json:"output"`
	Raw            bool   `json:"raw"`
	HistAccessType string `json:"hist_access_type"`
	Session        int    `json:"session"`
	Start          int    `json:"start"`
	Stop           *int   `json:"stop"`
	N              *int   `json:"n"`
	Pattern        string `json:"pattern"`
	Unique         bool   `json:"unique"`
}

// query answers a history_request: a list of (session, line, input)
// triples, or (session, line, (input, output)) when req.Output is set,
// oldest first.
//
//   - tail: the last n entries;
//   - range: the lines [start, stop) of one session (0 is this one,
//     negative numbers count back from it);
//   - search: the entries whose input matches a glob pattern (* and ?),
//     the last n of them when n is given, each input once when unique.
func (h *History) query(req historyRequest) ([][]any, error) {
	h.mu.Lock()
	entries := append([]historyEntry(nil), h.entries...)
	h.mu.Unlock()
	var out []historyEntry
	switch req.HistAccessType {
	case "tail":
		n := 10
		if req.N != nil {
			n = *req.N
		}
		out = lastN(entries, n)
	case "range":
		session := req.Session
		if session <= 0 {
			session += h.session
		}
		for _, e := range entries {
			if e.Session == session && e.Line >= req.Start && (req.Stop == nil || e.Line < *req.Stop) {
				out = append(out, e)
			}
		}
	case "search":
		re, err := globRegexp(req.Pattern)
		if err != nil {
			return nil, err
		}
		for _, e := range entries {
			if re.MatchString(e.Input) {
				out = append(out, e)
			}
		}
		if req.Unique {
			out = uniqueInputs(out)
		}
		if req.N != nil {
			out = lastN(out, *req.N)
		}
	default:
		return nil, fmt.Errorf("unknown hist_access_type %q", req.HistAccessType)
	}
	rows := make([][]any, 0, len(out))
	for _, e := range out {
		if req.Output {
			var output any
			if e.Output != "" {
				output = e.Output
			}
			rows = append(rows, []any{e.Session, e.Line, []any{e.Input, output}})
		} else {
			rows = append(rows, []any{e.Session, e.Line, e.Input})
		}
	}
	return rows, nil
}

func lastN(es []historyEntry, n int) []historyEntry {
	if n >= 0 && len(es) > n {
		return es[len(es)-n:]
	}
	return es
}

// uniqueInputs keeps the last entry of each input, in order.
func uniqueInputs(es []historyEntry) []historyEntry {
	last := map[string]int{}
	for i, e := range es {
		last[e.Input] = i
	}
	var out []historyEntry
	for i, e := range es {
		if last[e.Input] == i {
			out = append(out, e)
		}
	}
	return out
}

// globRegexp compiles a glob pattern as SQLite's GLOB reads it, which is
// what IPython searches history with: * is any text, ? one character,
// [...] a class, and the pattern must match the whole input. An empty
// pattern matches everything.
func globRegexp(pattern string) (*regexp.Regexp, error) {
	if pattern == "" {
		pattern = "*"
	}
	var b strings.Builder
	b.WriteString(`(?s)\A`)
	for i := 0; i < len(pattern); i++ {
		switch c := pattern[i]; c {
		case '*':
			b.WriteString(".*")
		case '?':
			b.WriteString(".")
		case '[':
			j := strings.IndexByte(pattern[i+1:], ']')
			if j < 0 {
				b.WriteString(`\[`)
				continue
			}
			class := pattern[i+1 : i+1+j]
			if strings.HasPrefix(class, "^") {
				class = "^" + regexp.QuoteMeta(class[1:])
			} else {
				class = regexp.QuoteMeta(class)
			}
			b.WriteString("[" + class + "]")
			i += j + 1
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	b.WriteString(`\z`)
	return regexp.Compile(b.String())
}
