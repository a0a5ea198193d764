package display

import (
	"fmt"
	"strings"
	"unicode/utf16"
)

// DefaultRows is how many rows a table shows when not told otherwise, as in
// Spark's show().
const DefaultRows = 20

// DefaultTruncate is the cell length beyond which tables cut cells short,
// as in Spark's show(): longer cells keep their first DefaultTruncate-3
// characters followed by "...".
const DefaultTruncate = 20

// Tabular is anything with named columns and rows of cells: a DataFrame, a
// collected result, a Table. Packages satisfy it without importing display.
//
// Columns returns the column names in order.
//
// Rows returns the first rows, at most n of them, each with one cell per
// column, and reports whether the source holds more rows than it returned.
// A negative n asks for every row. Cells are the full, untruncated text of
// each value (a DataFrame formats its typed values here, writing null
// values as "null"); the renderers truncate and escape them. Rows may run a
// job, so it may fail. An implementation that fetches n+1 rows to learn
// whether there are more, as Spark's take(n+1) does, may return them all:
// the renderers treat any row beyond n as "more" and do not show it.
type Tabular interface {
	Columns() []string
	Rows(n int) (rows [][]string, more bool, err error)
}

// Table is a Tabular held in memory.
type Table struct {
	// Header holds the column names.
	Header []string
	// Cells holds the rows; each row has one cell per column.
	Cells [][]string
}

// Columns implements Tabular.
func (t *Table) Columns() []string { return t.Header }

// Rows implements Tabular.
func (t *Table) Rows(n int) ([][]string, bool, error) {
	if n < 0 || n >= len(t.Cells) {
		return t.Cells, false, nil
	}
	return t.Cells[:n], true, nil
}

// Display renders the table as an HTML table with a Spark text table as its
// plain-text fallback, showing the first DefaultRows rows.
func (t *Table) Display() (Data, error) {
	return TableData(t, DefaultRows, DefaultTruncate)
}

// String returns the Spark text table of the first DefaultRows rows.
func (t *Table) String() string {
	s, err := TextTable(t, DefaultRows, DefaultTruncate)
	if err != nil {
		return err.Error()
	}
	return s
}

// shown is what a renderer draws: a header, at most numRows rows of cells
// already escaped and truncated, and whether rows were left out.
type shown struct {
	header  []string
	rows    [][]string
	numRows int
	more    bool
}

// fetch reads the rows of t to show, following Spark's showString: numRows
// is clamped at zero, meta-characters in every cell and column name are
// escaped, and cells are truncated to truncate characters when truncate is
// positive. Column names are never truncated.
func fetch(t Tabular, numRows, truncate int) (shown, error) {
	numRows = max(numRows, 0)
	header := t.Columns()
	rows, more, err := t.Rows(numRows)
	if err != nil {
		return shown{}, err
	}
	if len(rows) > numRows {
		rows, more = rows[:numRows], true
	}
	s := shown{header: make([]string, len(header)), rows: make([][]string, len(rows)), numRows: numRows, more: more}
	for i, h := range header {
		s.header[i] = escapeMeta(h)
	}
	for i, row := range rows {
		if len(row) != len(header) {
			return shown{}, fmt.Errorf("display: row %d has %d cells for %d columns", i, len(row), len(header))
		}
		cells := make([]string, len(row))
		for j, c := range row {
			cells[j] = truncateCell(escapeMeta(c), truncate)
		}
		s.rows[i] = cells
	}
	return s, nil
}

// footer returns Spark's note that rows were left out, without a newline,
// or "" when none were.
func (s shown) footer() string {
	if !s.more {
		return ""
	}
	if s.numRows == 1 {
		return "only showing top 1 row"
	}
	return fmt.Sprintf("only showing top %d rows", s.numRows)
}

// metaEscaper writes control characters the way Spark's
// SchemaUtils.escapeMetaCharacters does, so that a cell stays on one line.
var metaEscaper = strings.NewReplacer(
	"\n", `\n`, "\r", `\r`, "\t", `\t`, "\f", `\f`, "\b", `\b`, "\v", `\v`, "\a", `\a`,
)

func escapeMeta(s string) string { return metaEscaper.Replace(s) }

// truncateCell cuts s to n characters as Spark does: the first n-3 followed
// by "..." when n is at least 4, the first n otherwise, and s unchanged when
// n is not positive. It counts runes where Spark counts UTF-16 units, so a
// character outside the Basic Multilingual Plane is never split.
func truncateCell(s string, n int) string {
	if n <= 0 || len(s) <= n {
		return s
	}
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	if n < 4 {
		return string(r[:n])
	}
	return string(r[:n-3]) + "..."
}

// halfWidth is the number of terminal columns s takes, computed like Spark's
// Utils.stringHalfWidth: its UTF-16 length plus one for every character in
// the East Asian full-width ranges Spark lists.
func halfWidth(s string) int {
	w := 0
	for _, r := range s {
		w += utf16.RuneLen(r)
		if fullWidth(r) {
			w++
		}
	}
	return w
}

func fullWidth(r rune) bool {
	switch {
	case r >= 0x1100 && r <= 0x115F,
		r >= 0x2E80 && r <= 0xA4CF,
		r >= 0xAC00 && r <= 0xD7A3,
		r >= 0xF900 && r <= 0xFAFF,
		r >= 0xFE10 && r <= 0xFE19,
		r >= 0xFE30 && r <= 0xFE6F,
		r >= 0xFF00 && r <= 0xFF60,
		r >= 0xFFE0 && r <= 0xFFE6:
		return true
	}
	return false
}
