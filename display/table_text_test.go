package display

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
)

// tbl builds an in-memory table.
func tbl(header []string, rows ...[]string) *Table {
	return &Table{Header: header, Cells: rows}
}

// testData is Spark's SQLTestData.testData: key 1 to 100 with its text as
// value.
func testData() *Table {
	t := tbl([]string{"key", "value"})
	for i := 1; i <= 100; i++ {
		t.Cells = append(t.Cells, []string{strconv.Itoa(i), strconv.Itoa(i)})
	}
	return t
}

var long21 = strings.Repeat("1", 21)

// The expected strings below are Spark's own, from DataFrameSuite,
// DataFrameShowSuite and DatasetSuite (showString tests).
func TestTextTableMatchesSpark(t *testing.T) {
	metaChars := "aaa\nbbb\tccc\rddd\feee\bfff\u000Bggg\u0007hhh"
	tests := []struct {
		name     string
		t        Tabular
		numRows  int
		truncate int
		want     string
	}{
		{"truncate 0", tbl([]string{"value"}, []string{"1"}, []string{long21}), 10, 0, `+---------------------+
|value                |
+---------------------+
|1                    |
|111111111111111111111|
+---------------------+
`},
		{"truncate 20", tbl([]string{"value"}, []string{"1"}, []string{long21}), 10, 20, `+--------------------+
|               value|
+--------------------+
|                   1|
|11111111111111111...|
+--------------------+
`},
		{"truncate 3", tbl([]string{"value"}, []string{"1"}, []string{long21}), 10, 3, `+-----+
|value|
+-----+
|    1|
|  111|
+-----+
`},
		{"truncate 17", tbl([]string{"value"}, []string{"1"}, []string{long21}), 10, 17, `+-----------------+
|            value|
+-----------------+
|                1|
|11111111111111...|
+-----------------+
`},
		{"negative rows", testData(), -1, 20, `+---+-----+
|key|value|
+---+-----+
+---+-----+
only showing top 0 rows
`},
		{"zero rows", testData(), 0, 20, `+---+-----+
|key|value|
+---+-----+
+---+-----+
only showing top 0 rows
`},
		{"all rows", tbl([]string{"a", "b"}, []string{"1", "2"}, []string{"3", "4"}), int(^uint(0) >> 1), 20, `+---+---+
|  a|  b|
+---+---+
|  1|  2|
|  3|  4|
+---+---+
`},
		{"array", tbl([]string{"_1", "_2"},
			[]string{FormatCell([]int{1, 2, 3}), FormatCell([]int{1, 2, 3})},
			[]string{FormatCell([]int{2, 3, 4}), FormatCell([]int{2, 3, 4})}), 10, 20, `+---------+---------+
|       _1|       _2|
+---------+---------+
|[1, 2, 3]|[1, 2, 3]|
|[2, 3, 4]|[2, 3, 4]|
+---------+---------+
`},
		{"binary", tbl([]string{"_1", "_2"},
			[]string{FormatCell([]byte("12")), FormatCell([]byte("ABC."))},
			[]string{FormatCell([]byte("34")), FormatCell([]byte("12346"))}), 10, 20, `+-------+----------------+
|     _1|              _2|
+-------+----------------+
|[31 32]|   [41 42 43 2E]|
|[33 34]|[31 32 33 34 36]|
+-------+----------------+
`},
		{"minimum column width", tbl([]string{"_1", "_2"}, []string{"1", "1"}, []string{"2", "2"}), 10, 20, `+---+---+
| _1| _2|
+---+---+
|  1|  1|
|  2|  2|
+---+---+
`},
		{"escape meta-characters", tbl([]string{metaChars}, []string{metaChars}), 1, 0, `+--------------------------------------+
|aaa\nbbb\tccc\rddd\feee\bfff\vggg\ahhh|
+--------------------------------------+
|aaa\nbbb\tccc\rddd\feee\bfff\vggg\ahhh|
+--------------------------------------+
`},
		{"SPARK-7319 one row", testData(), 1, 20, `+---+-----+
|key|value|
+---+-----+
|  1|    1|
+---+-----+
only showing top 1 row
`},
		{"SPARK-23023 map and struct", tbl([]string{"a", "b"},
			[]string{FormatCell(struct {
				A int
				B string
			}{1, "a"}), "0"},
			[]string{FormatCell(struct {
				A int
				B string
			}{2, "b"}), "0"}), 10, 20, `+------+---+
|     a|  b|
+------+---+
|{1, a}|  0|
|{2, b}|  0|
+------+---+
`},
		{"SPARK-23023 map", tbl([]string{"a"}, []string{FormatCell(map[int]string{2: "b", 1: "a"})}), 10, 20, `+----------------+
|               a|
+----------------+
|{1 -> a, 2 -> b}|
+----------------+
`},
		{"SPARK-7327 empty", tbl([]string{"key", "value"}), 1, 20, `+---+-----+
|key|value|
+---+-----+
+---+-----+
`},
		{"SPARK-18350 no truncation, left-aligned", tbl([]string{"d", "ts"}, []string{"2016-12-01", "2016-12-01 00:00:00"}), 1, 0, `+----------+-------------------+
|d         |ts                 |
+----------+-------------------+
|2016-12-01|2016-12-01 00:00:00|
+----------+-------------------+
`},
		{"SPARK-25108 full-width characters", fullWidthData(), 20, 20, `+---+----+---+
|  b|   a|  c|
+---+----+---+
|  0|null|  1|
|  0|    |  1|
|  0|ab c|  1|
|  0|1098|  1|
|  0|  mø|  1|
|  0| γύρ|  1|
|  0|  pê|  1|
|  0|  ー|  1|
|  0|  测|  1|
|  0|  か|  1|
|  0|  걸|  1|
|  0|   à|  1|
|  0|  焼|  1|
|  0|羍む|  1|
|  0| 뺭ᾘ|  1|
|  0| १२३|  1|
+---+----+---+
`},
		{"default show of 100 rows", testData(), DefaultRows, DefaultTruncate, top20()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := TextTable(tt.t, tt.numRows, tt.truncate)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func fullWidthData() *Table {
	t := tbl([]string{"b", "a", "c"})
	for _, a := range []string{"null", "", "ab c", "1098", "mø", "γύρ", "pê", "ー", "测", "か", "걸", "à", "焼", "羍む", "뺭ᾘ", "\u0967\u0968\u0969"} {
		t.Cells = append(t.Cells, []string{"0", a, "1"})
	}
	return t
}

// top20 is what Spark's testData.show() prints, built line by line.
func top20() string {
	var b strings.Builder
	b.WriteString("+---+-----+\n|key|value|\n+---+-----+\n")
	for i := 1; i <= 20; i++ {
		fmt.Fprintf(&b, "|%3d|%5d|\n", i, i)
	}
	b.WriteString("+---+-----+\nonly showing top 20 rows\n")
	return b.String()
}

func TestVerticalTableMatchesSpark(t *testing.T) {
	tests := []struct {
		name     string
		t        Tabular
		numRows  int
		truncate int
		want     string
	}{
		{"truncate 0", tbl([]string{"value"}, []string{"1"}, []string{long21}), 10, 0,
			"-RECORD 0----------------------\n" +
				" value | 1                     \n" +
				"-RECORD 1----------------------\n" +
				" value | 111111111111111111111 \n"},
		{"truncate 20", tbl([]string{"value"}, []string{"1"}, []string{long21}), 10, 20,
			"-RECORD 0---------------------\n" +
				" value | 1                    \n" +
				"-RECORD 1---------------------\n" +
				" value | 11111111111111111... \n"},
		{"truncate 3", tbl([]string{"value"}, []string{"1"}, []string{long21}), 10, 3,
			"-RECORD 0----\n" +
				" value | 1   \n" +
				"-RECORD 1----\n" +
				" value | 111 \n"},
		{"negative rows", testData(), -1, 20, "(0 rows)\n"},
		{"zero rows", testData(), 0, 20, "(0 rows)\n"},
		{"empty", tbl([]string{"key", "value"}), 1, 20, "(0 rows)\n"},
		{"minimum column width", tbl([]string{"_1", "_2"}, []string{"1", "1"}, []string{"2", "2"}), 10, 20,
			"-RECORD 0--\n" +
				" _1  | 1   \n" +
				" _2  | 1   \n" +
				"-RECORD 1--\n" +
				" _1  | 2   \n" +
				" _2  | 2   \n"},
		{"SPARK-7319 one row", testData(), 1, 20,
			"-RECORD 0----\n" +
				" key   | 1   \n" +
				" value | 1   \n" +
				"only showing top 1 row\n"},
		{"SPARK-18350 dates", tbl([]string{"d", "ts"}, []string{"2016-12-01", "2016-12-01 00:00:00"}), 1, 0,
			"-RECORD 0------------------\n" +
				" d   | 2016-12-01          \n" +
				" ts  | 2016-12-01 00:00:00 \n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := VerticalTable(tt.t, tt.numRows, tt.truncate)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}

// takeN is a Tabular that, like Spark's take(n+1), returns one row more
// than asked, or fails.
type takeN struct {
	rows [][]string
	err  error
}

func (t takeN) Columns() []string { return []string{"x"} }
func (t takeN) Rows(n int) ([][]string, bool, error) {
	if t.err != nil {
		return nil, false, t.err
	}
	return t.rows[:min(n+1, len(t.rows))], false, nil
}

func TestTextTableContract(t *testing.T) {
	rows := [][]string{{"a"}, {"b"}, {"c"}}
	got, err := TextTable(takeN{rows: rows}, 2, 20)
	if err != nil {
		t.Fatal(err)
	}
	want := "+---+\n|  x|\n+---+\n|  a|\n|  b|\n+---+\nonly showing top 2 rows\n"
	if got != want {
		t.Errorf("extra row not treated as more: got\n%s", got)
	}

	boom := errors.New("boom")
	for name, render := range map[string]func(Tabular) error{
		"text":     func(t Tabular) error { _, err := TextTable(t, 5, 20); return err },
		"vertical": func(t Tabular) error { _, err := VerticalTable(t, 5, 20); return err },
		"html":     func(t Tabular) error { _, err := HTMLTable(t, 5, 20); return err },
		"markdown": func(t Tabular) error { _, err := MarkdownTable(t, 5, 20); return err },
		"data":     func(t Tabular) error { _, err := TableData(t, 5, 20); return err },
	} {
		if err := render(takeN{err: boom}); !errors.Is(err, boom) {
			t.Errorf("%s: error %v, want %v", name, err, boom)
		}
		if err := render(tbl([]string{"a", "b"}, []string{"1"})); err == nil || !strings.Contains(err.Error(), "row 0 has 1 cells for 2 columns") {
			t.Errorf("%s: ragged row: error %v", name, err)
		}
	}
}
