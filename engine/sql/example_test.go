package sql_test

import (
	"fmt"

	"gospark/engine/sql"
)

type sale struct {
	Region string
	Item   string
	Amount float64
}

func sales() *sql.DataFrame {
	s := sql.NewSession(nil)
	return s.CreateDataFrame([]sale{
		{"north", "apple", 3.5}, {"north", "pear", 1.25}, {"south", "apple", 2},
		{"south", "apple", 4}, {"east", "fig", 0.5},
	})
}

// A DataFrame query: group, aggregate, order, show.
func ExampleDataFrame_GroupBy() {
	df := sales()
	df.GroupBy("Region").
		Agg(sql.Sum("Amount").Alias("total"), sql.Count("*").Alias("n")).
		OrderBy(sql.Col("total").Desc()).
		Show()
	// Output:
	// +------+-----+---+
	// |Region|total|  n|
	// +------+-----+---+
	// | south|  6.0|  2|
	// | north| 4.75|  2|
	// |  east|  0.5|  1|
	// +------+-----+---+
}

// SQL over a temporary view, with a window function.
func ExampleSession_SQL() {
	df := sales()
	df.CreateOrReplaceTempView("sales")
	df.Session().SQL(`
		SELECT Region, Item, Amount,
		       rank() OVER (PARTITION BY Region ORDER BY Amount DESC) AS r
		FROM sales
		WHERE Amount > 1
		ORDER BY Region, r`).Show()
	// Output:
	// +------+-----+------+---+
	// |Region| Item|Amount|  r|
	// +------+-----+------+---+
	// | north|apple|   3.5|  1|
	// | north| pear|  1.25|  2|
	// | south|apple|   4.0|  1|
	// | south|apple|   2.0|  2|
	// +------+-----+------+---+
}

// Unknown columns panic at the call with an *AnalysisError naming the
// nearest columns.
func ExampleDataFrame_Select_error() {
	defer func() { fmt.Println(recover()) }()
	sales().Select("Amont")
	// Output:
	// cannot resolve column "Amont" among (Region, Item, Amount); did you mean "Amount"?
}
