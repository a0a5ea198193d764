package display

import (
	"fmt"
	"strings"
)

// The Spark formats below are written out by hand rather than with
// tablewriter: show() output is a contract people grep and diff, and
// matching it byte for byte needs Spark's own rules (a minimum column width
// of 3, no padding inside the borders, widths counted with Spark's
// full-width table, left padding only when truncating, the vertical
// "-RECORD n" layout), which would take more configuration than the dozen
// lines here. tablewriter draws the Markdown tables (table_markup.go), where
// no such contract exists.

// TextTable renders the first numRows rows of t exactly as Spark's
// Dataset.show(numRows, truncate) prints them: a +---+ bordered table with a
// header row, cells right-aligned when truncate is positive and
// left-aligned otherwise, cells longer than truncate characters cut to
// truncate-3 characters plus "...", and the footer "only showing top N
// rows" when t holds more rows. A negative numRows counts as zero, as in
// Spark. The result ends with a newline.
func TextTable(t Tabular, numRows, truncate int) (string, error) {
	s, err := fetch(t, numRows, truncate)
	if err != nil {
		return "", err
	}
	return s.text(truncate > 0), nil
}

// VerticalTable renders the first numRows rows of t exactly as Spark's
// Dataset.show(numRows, truncate, vertical = true) prints them: one
// "-RECORD i" block per row with a " column | value " line per column,
// "(0 rows)" when there are no rows, and the footer "only showing top N
// rows" when t holds more rows. The result ends with a newline.
func VerticalTable(t Tabular, numRows, truncate int) (string, error) {
	s, err := fetch(t, numRows, truncate)
	if err != nil {
		return "", err
	}
	return s.vertical(), nil
}

// text draws s in Spark's horizontal show() format.
func (s shown) text(alignRight bool) string {
	widths := make([]int, len(s.header))
	for i := range widths {
		widths[i] = 3 // Spark's minimum column width
	}
	for _, row := range append([][]string{s.header}, s.rows...) {
		for i, cell := range row {
			widths[i] = max(widths[i], halfWidth(cell))
		}
	}
	var b strings.Builder
	sep := func() {
		b.WriteByte('+')
		for _, w := range widths {
			b.WriteString(strings.Repeat("-", w))
			b.WriteByte('+')
		}
		b.WriteByte('\n')
	}
	line := func(cells []string) {
		b.WriteByte('|')
		for i, cell := range cells {
			pad := strings.Repeat(" ", widths[i]-halfWidth(cell))
			if alignRight {
				b.WriteString(pad + cell)
			} else {
				b.WriteString(cell + pad)
			}
			b.WriteByte('|')
		}
		b.WriteByte('\n')
	}
	sep()
	line(s.header)
	sep()
	for _, row := range s.rows {
		line(row)
	}
	sep()
	if f := s.footer(); f != "" {
		b.WriteString(f + "\n")
	}
	return b.String()
}

// vertical draws s in Spark's vertical show() format.
func (s shown) vertical() string {
	nameWidth, dataWidth := 3, 3
	for _, h := range s.header {
		nameWidth = max(nameWidth, halfWidth(h))
	}
	for _, row := range s.rows {
		for _, cell := range row {
			dataWidth = max(dataWidth, halfWidth(cell))
		}
	}
	rightPad := func(cell string, w int) string {
		return cell + strings.Repeat(" ", max(w-halfWidth(cell), 0))
	}
	var b strings.Builder
	for i, row := range s.rows {
		head := fmt.Sprintf("-RECORD %d", i)
		b.WriteString(head + strings.Repeat("-", max(nameWidth+dataWidth+5-len(head), 0)) + "\n")
		for j, cell := range row {
			b.WriteString(" " + rightPad(s.header[j], nameWidth) + " | " + rightPad(cell, dataWidth) + " \n")
		}
	}
	if len(s.rows) == 0 {
		b.WriteString("(0 rows)\n")
	} else if f := s.footer(); f != "" {
		b.WriteString(f + "\n")
	}
	return b.String()
}
