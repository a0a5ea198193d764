package shell

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
)

// A history file holds one cell per line, as a Go-quoted string, so that
// multi-line cells come back whole. Lines that are not quoted (a history
// file written by another tool) are taken as one-line cells.

// history appends cells to a history file.
type history struct {
	mu sync.Mutex
	f  *os.File
}

func openHistory(path string) (*history, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, fmt.Errorf("opening the history file: %w", err)
	}
	return &history{f: f}, nil
}

func (h *history) add(cell string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.f.WriteString(strconv.Quote(cell) + "\n")
}

func (h *history) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.f.Close()
}

// ReadHistory returns the cells of a history file, oldest first, at most
// the last max of them (all when max <= 0). A missing file has none.
func ReadHistory(path string, max int) ([]string, error) {
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var cells []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	for sc.Scan() {
		line := sc.Text()
		if strings.TrimSpace(line) == "" {
			continue
		}
		if c, err := strconv.Unquote(line); err == nil {
			line = c
		}
		cells = append(cells, line)
	}
	if max > 0 && len(cells) > max {
		cells = cells[len(cells)-max:]
	}
	return cells, sc.Err()
}
