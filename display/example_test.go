package display_test

import (
	"fmt"

	"gospark/display"
)

func ExampleTextTable() {
	t := &display.Table{
		Header: []string{"word", "count"},
		Cells:  [][]string{{"spark", "3"}, {"a rather long sentence of words", "1"}, {"go", "12"}},
	}
	s, _ := display.TextTable(t, 2, display.DefaultTruncate)
	fmt.Print(s)
	// Output:
	// +--------------------+-----+
	// |                word|count|
	// +--------------------+-----+
	// |               spark|    3|
	// |a rather long sen...|    1|
	// +--------------------+-----+
	// only showing top 2 rows
}

func ExampleValues() {
	type Pair struct {
		Key   any
		Value any
	}
	collected := []any{Pair{"spark", 3}, Pair{"go", 1.5}, Pair{"plot", nil}}
	fmt.Print(display.Values(collected))
	// Output:
	// +-----+-----+
	// |  Key|Value|
	// +-----+-----+
	// |spark|    3|
	// |   go|  1.5|
	// | plot| null|
	// +-----+-----+
}

func ExampleProgressBar() {
	stages := []display.StageProgress{{StageID: 2, NumTasks: 200, Completed: 45, Running: 4}}
	fmt.Println(display.ProgressBar(stages, 60))
	// Output:
	// [Stage 2:========>                           (45 + 4) / 200]
}

func ExampleRender() {
	d, ok := display.Render(display.Plan("== Physical Plan ==\nScan [a < b]"))
	fmt.Println(ok)
	fmt.Println(d.MIME[display.MIMEHTML])
	// Output:
	// true
	// <pre>== Physical Plan ==
	// Scan [a &lt; b]</pre>
}

func ExampleBar() {
	p, err := display.Bar([]string{"spark", "go"}, []int{3, 12}, display.Title("Word counts"), display.Size(320, 200))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p)
	_, err = display.Bar([]string{"spark"}, []int{3, 12})
	fmt.Println(err)
	// Output:
	// <bar plot "Word counts", 320x200>
	// display.Bar: labels has 1 entries but values has 2
}

func ExampleFormatCell() {
	fmt.Println(display.FormatCell(nil))
	fmt.Println(display.FormatCell(1.0))
	fmt.Println(display.FormatCell(1e10))
	fmt.Println(display.FormatCell([]byte("12")))
	fmt.Println(display.FormatCell(map[string][]int{"b": {2}, "a": {1, 3}}))
	// Output:
	// null
	// 1.0
	// 1.0E10
	// [31 32]
	// {a -> [1, 3], b -> [2]}
}

func ExampleFloats() {
	collected := []any{1, int64(2), 2.5}
	fs, err := display.Floats(collected)
	fmt.Println(fs, err)
	_, err = display.Floats([]any{1, "two"})
	fmt.Println(err)
	// Output:
	// [1 2 2.5] <nil>
	// element 1 is a string, not a number
}
