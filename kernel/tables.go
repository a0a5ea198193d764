package kernel

import (
	"fmt"

	"gospark/display"
)

// headed is what a DataFrame offers front ends: its column names and its
// first rows formatted as show() formats them (engine/sql's HeadStrings,
// which runs a job). The kernel shows such a value as a table.
type headed interface {
	Columns() []string
	HeadStrings(n int) ([][]string, bool)
}

// headedTable adapts a headed value to display.Tabular.
type headedTable struct{ h headed }

// Columns implements display.Tabular.
func (t headedTable) Columns() []string { return t.h.Columns() }

// Rows implements display.Tabular; the failure of the job that fetches
// the rows, which HeadStrings reports by panicking, is returned.
func (t headedTable) Rows(n int) (rows [][]string, more bool, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	rows, more = t.h.HeadStrings(n)
	return rows, more, nil
}

// tableData renders a DataFrame-like value as an HTML table of its first
// display.DefaultRows rows with the Spark text table as fallback, as
// PySpark does with eager evaluation on. It reports false for other values
// and for values display already renders (a display.Tabular).
func tableData(v any) (display.Data, bool, error) {
	if _, ok := v.(display.Tabular); ok {
		return display.Data{}, false, nil
	}
	h, ok := v.(headed)
	if !ok {
		return display.Data{}, false, nil
	}
	d, err := display.TableData(headedTable{h}, display.DefaultRows, display.DefaultTruncate)
	return d, err == nil, err
}
