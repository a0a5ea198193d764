package sql

import (
	"fmt"
	"testing"
)

type person struct {
	Name string
	Age  int32
	City string
}

func TestSmoke(t *testing.T) {
	s := NewSession(nil)
	df := s.CreateDataFrame([]person{{"Alice", 34, "Paris"}, {"Bob", 45, "Oslo"}, {"Cara", 29, "Paris"}, {"Dan", 0, ""}})
	df.Show()
	df.PrintSchema()
	df.Filter(Col("Age").Gt(30)).Select("Name", Col("Age").Plus(1).Alias("next")).Show()
	df.GroupBy("City").Agg(Count("*"), Avg("Age"), Max("Name")).OrderBy("City").Show()
	df.CreateOrReplaceTempView("people")
	s.SQL("SELECT City, count(*) AS n, sum(Age) FROM people WHERE Age > 1 GROUP BY City HAVING count(*) >= 1 ORDER BY n DESC").Show()
	s.SQL("SELECT Name, row_number() OVER (PARTITION BY City ORDER BY Age DESC) AS rn FROM people").Show()
	fmt.Println(df.Count())
	df.Explain("extended")
}
