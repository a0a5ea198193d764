package sql

import (
	"strings"
	"testing"
)

func TestDataFrameTransformations(t *testing.T) {
	s := NewSession(nil)
	df := people(s)
	cases := []struct {
		name  string
		df    *DataFrame
		want  []string
		order bool
	}{
		{"select", df.Select("Name", Col("Salary").Multiply(2).Alias("x")), []string{"alice|200", "bob|160", "carol|180", "dan|180", "erin|140"}, false},
		{"filter column", df.Filter(Col("Age").Gt(28)).Select("Name"), []string{"alice", "bob", "erin"}, false},
		{"filter sql string", df.Where("Age > 28 AND Dept = 'eng'").Select("Name"), []string{"alice", "bob"}, false},
		{"null age filtered out", df.Filter(Col("Age").Lt(100)).Select("Name"), []string{"alice", "bob", "dan", "erin"}, false},
		{"isnull", df.Filter(Col("Score").IsNull()).Select("Name"), []string{"bob"}, false},
		{"with column", df.WithColumn("Double", Col("Salary").Plus(Col("Salary"))).Select("Name", "Double").Limit(1), []string{"alice|200"}, true},
		{"replace column", df.WithColumn("Salary", Lit(1)).Select("Salary").Limit(1), []string{"1"}, true},
		{"renamed", df.WithColumnRenamed("Name", "who").Select("who").Limit(1), []string{"alice"}, true},
		{"drop", df.Drop("Age", "Score", "Salary").Limit(1), []string{"alice|eng"}, true},
		{"order desc nulls last", df.OrderBy(Col("Age").Desc()).Select("Name"), []string{"bob", "erin", "alice", "dan", "carol"}, true},
		{"order asc nulls first", df.OrderBy(Col("Age").Asc()).Select("Name"), []string{"carol", "dan", "alice", "erin", "bob"}, true},
		{"order two keys", df.OrderBy(Col("Salary").Desc(), "Name").Select("Name"), []string{"alice", "carol", "dan", "bob", "erin"}, true},
		{"top n", df.OrderBy(Col("Salary").Desc(), "Name").Limit(2).Select("Name"), []string{"alice", "carol"}, true},
		{"distinct", df.Select("Dept").Distinct(), []string{"eng", "ops", ""}, false},
		{"drop duplicates", df.DropDuplicates("Dept").Select("Dept"), []string{"eng", "ops", ""}, false},
		{"union", df.Select("Name").Limit(1).Union(df.Select("Dept").Limit(1)), []string{"alice", "eng"}, false},
		{"union by name", df.Select("Name", "Dept").Limit(1).UnionByName(df.Select("Dept", "Name").Limit(1)), []string{"alice|eng", "alice|eng"}, false},
		{"union by name missing", df.Select("Name").Limit(1).UnionByName(df.Select("Dept").Limit(1), true), []string{"alice|NULL", "NULL|eng"}, false},
		{"na fill", df.Na().Fill(0).Select("Age", "Score").Filter(Col("Age").Eq(0).Or(Col("Score").Eq(0))), []string{"40|0.0", "0|3.0"}, false},
		{"na drop", df.Na().Drop("any").Select("Name"), []string{"alice", "dan", "erin"}, false},
		{"na drop all", df.Na().Drop("all", "Age", "Score").Select("Name"), []string{"alice", "bob", "carol", "dan", "erin"}, false},
		{"when otherwise", df.Select("Name", When(Col("Salary").Geq(90), "high").When(Col("Salary").Geq(80), "mid").Otherwise("low")).OrderBy("Name"), []string{"alice|high", "bob|mid", "carol|high", "dan|high", "erin|low"}, true},
		{"coalesce", df.Select(Coalesce("Score", Lit(-1.0))).OrderBy(Col("Name")), []string{"1.5", "-1.0", "3.0", "2.0", "0.5"}, true},
		{"is in", df.Filter(Col("Name").IsIn("bob", "dan")).Select("Name"), []string{"bob", "dan"}, false},
		{"between", df.Filter(Col("Salary").Between(80, 90)).Select("Name"), []string{"bob", "carol", "dan"}, false},
		{"like", df.Filter(Col("Name").Like("%a%")).Select("Name"), []string{"alice", "carol", "dan"}, false},
		{"cast", df.Select(Col("Salary").Cast("string"), Col("Score").Cast("int")).Limit(1), []string{"100|1"}, true},
		{"limit 0", df.Limit(0), nil, true},
		{"empty filter", df.Filter(Lit(false)).Select("Name"), nil, true},
		{"repartition", df.Repartition(3, "Dept").Select("Name"), []string{"alice", "bob", "carol", "dan", "erin"}, false},
		{"coalesce partitions", df.Repartition(4).Coalesce(1).Select("Name"), []string{"alice", "bob", "carol", "dan", "erin"}, false},
		{"sample all", df.Sample(1.0).Select("Name"), []string{"alice", "bob", "carol", "dan", "erin"}, false},
		{"sample none", df.Sample(0).Select("Name"), nil, false},
		{"range", s.Range(0, 5).Filter(Col("id").Mod(2).Eq(0)), []string{"0", "2", "4"}, false},
		{"select star and expr", df.Select("*", Lit(1).Alias("one")).Limit(1), []string{"alice|eng|100|30|1.5|1"}, true},
		{"select expr", df.SelectExpr("Name", "Salary / 4 AS q").Limit(1), []string{"alice|25.0"}, true},
	}
	for _, c := range cases {
		expectRows(t, c.name, c.df, c.want, c.order)
	}
}

func TestAggregations(t *testing.T) {
	s := NewSession(nil)
	df := people(s)
	cases := []struct {
		name string
		df   *DataFrame
		want []string
	}{
		{"group count", df.GroupBy("Dept").Count(), []string{"eng|2", "ops|2", "|1"}},
		{"group agg", df.GroupBy("Dept").Agg(Sum("Salary"), Avg("Age"), Min("Score"), Max("Name")),
			[]string{"eng|180|35.0|1.5|bob", "ops|180|25.0|2.0|dan", "|70|35.0|0.5|erin"}},
		{"null-only avg", df.Filter(Col("Name").Eq("carol")).GroupBy("Dept").Agg(Avg("Age"), Count("Age"), Count("*")), []string{"ops|NULL|0|1"}},
		{"global agg", df.Agg(Count("*"), Sum("Salary"), CountDistinct("Dept"), First("Name")), []string{"5|430|3|alice"}},
		{"global agg on empty", df.Filter(Lit(false)).Agg(Count("*"), Sum("Salary")), []string{"0|NULL"}},
		{"group on empty", df.Filter(Lit(false)).GroupBy("Dept").Count(), nil},
		{"stddev", df.GroupBy("Dept").Agg(Stddev("Salary")).Filter(Col("Dept").Eq("eng")), []string{"eng|14.142135623730951"}},
		{"median", df.Agg(Median("Salary")), []string{"90.0"}},
		{"percentile", df.Agg(Percentile("Salary", 0.25)), []string{"80.0"}},
		{"corr", s.Range(0, 10).Agg(Corr("id", Col("id").Multiply(2))), []string{"1.0"}},
		{"collect list", df.Filter(Col("Dept").Eq("eng")).GroupBy("Dept").Agg(CollectList("Name")), []string{"eng|[alice, bob]"}},
		{"collect set", df.GroupBy("Salary").Agg(CollectSet("Dept")).Filter(Col("Salary").Eq(90)), []string{"90|[ops]"}},
		{"agg expression", df.GroupBy("Dept").Agg(Max("Salary").Minus(Min("Salary")).Alias("r")), []string{"eng|20", "ops|0", "|0"}},
		{"group by expression", df.GroupBy(Col("Salary").Geq(90).Alias("rich")).Count(), []string{"true|3", "false|2"}},
		{"sum shortcut", df.GroupBy("Dept").Sum("Salary"), []string{"eng|180", "ops|180", "|70"}},
		{"last", df.Filter(Col("Dept").Eq("eng")).Coalesce(1).Agg(Last("Name")), []string{"bob"}},
	}
	for _, c := range cases {
		expectRows(t, c.name, c.df, c.want, false)
	}
	if v := s.Range(0, 1000).Agg(ApproxCountDistinct(Col("id").Mod(100))).First()[0].(int64); v < 90 || v > 110 {
		t.Errorf("approx_count_distinct of 100 values = %d", v)
	}
	if v := s.Range(0, 100000).Agg(ApproxCountDistinct("id", 0.02)).First()[0].(int64); v < 94000 || v > 106000 {
		t.Errorf("approx_count_distinct of 100000 values = %d", v)
	}
	if n := df.Count(); n != 5 {
		t.Errorf("Count = %d, want 5", n)
	}
	if got := df.Filter(Lit(false)).Count(); got != 0 {
		t.Errorf("empty Count = %d", got)
	}
}

func TestJoins(t *testing.T) {
	s := NewSession(nil)
	l := s.CreateDataFrame([][]any{{1, "a"}, {2, "b"}, {3, "c"}, {nil, "n"}}, "k INT, lv STRING")
	r := s.CreateDataFrame([][]any{{1, "x"}, {1, "y"}, {3, "z"}, {4, "w"}, {nil, "m"}}, "k INT, rv STRING")
	cond := l.Col("k").Eq(r.Col("k"))
	cases := []struct {
		name string
		df   *DataFrame
		want []string
	}{
		{"inner", l.Join(r, cond).Select("lv", "rv"), []string{"a|x", "a|y", "c|z"}},
		{"left", l.Join(r, cond, "left").Select("lv", "rv"), []string{"a|x", "a|y", "b|NULL", "c|z", "n|NULL"}},
		{"right", l.Join(r, cond, "right").Select("lv", "rv"), []string{"a|x", "a|y", "c|z", "NULL|w", "NULL|m"}},
		{"full", l.Join(r, cond, "full").Select("lv", "rv"), []string{"a|x", "a|y", "b|NULL", "c|z", "n|NULL", "NULL|w", "NULL|m"}},
		{"semi", l.Join(r, cond, "left_semi"), []string{"1|a", "3|c"}},
		{"anti", l.Join(r, cond, "left_anti"), []string{"2|b", "NULL|n"}},
		{"using", l.Join(r, "k"), []string{"1|a|x", "1|a|y", "3|c|z"}},
		{"using full", l.Join(r, []string{"k"}, "full").Select("k"), []string{"1", "1", "2", "3", "4", "NULL", "NULL"}},
		{"cross", l.Limit(2).CrossJoin(r.Limit(2)).Select("lv", "rv"), []string{"a|x", "a|y", "b|x", "b|y"}},
		{"non-equi", l.Join(r, l.Col("k").Lt(r.Col("k")).And(r.Col("k").Eq(4))).Select("lv", "rv"), []string{"a|w", "b|w", "c|w"}},
		{"equi plus residual", l.Join(r, cond.And(r.Col("rv").Ne("x")), "left").Select("lv", "rv"), []string{"a|y", "b|NULL", "c|z", "n|NULL"}},
		{"self join using", l.Join(l, "k").Select("k"), []string{"1", "2", "3"}},
		{"self join aliased", l.Alias("x").Join(l.Alias("y"), Col("x.k").Lt(Col("y.k"))).Select("x.lv", "y.lv"), []string{"a|b", "a|c", "b|c"}},
		{"alias qualified", l.Alias("a").Join(r.Alias("b"), Col("a.k").Eq(Col("b.k"))).Select("a.lv", "b.rv"), []string{"a|x", "a|y", "c|z"}},
	}
	for _, c := range cases {
		expectRows(t, c.name, c.df, c.want, false)
	}
	// The same joins without broadcasting (shuffled hash join).
	s.Conf().Set("spark.sql.autoBroadcastJoinThreshold", "-1")
	for _, c := range cases[:6] {
		expectRows(t, "shuffled "+c.name, c.df, c.want, false)
	}
	if !strings.Contains(l.Join(r, cond).ExplainString(), "ShuffledHashJoin") {
		t.Errorf("threshold -1 should give a shuffled hash join:\n%s", l.Join(r, cond).ExplainString())
	}
}

func TestWindows(t *testing.T) {
	s := NewSession(nil)
	df := people(s)
	w := Window.PartitionBy("Dept").OrderBy(Col("Salary").Desc(), "Name")
	cases := []struct {
		name string
		df   *DataFrame
		want []string
	}{
		{"row_number", df.Select("Name", RowNumber().Over(w).Alias("rn")), []string{"alice|1", "bob|2", "carol|1", "dan|2", "erin|1"}},
		{"rank ties", df.Select("Name", Rank().Over(Window.PartitionBy("Dept").OrderBy(Col("Salary").Desc())).Alias("r")), []string{"alice|1", "bob|2", "carol|1", "dan|1", "erin|1"}},
		{"dense_rank", df.Select("Name", DenseRank().Over(Window.OrderBy(Col("Salary").Desc())).Alias("r")), []string{"alice|1", "carol|2", "dan|2", "bob|3", "erin|4"}},
		{"lag lead", df.Select("Name", Lag("Salary", 1).Over(w), Lead("Salary", 1, int64(0)).Over(w)), []string{"alice|NULL|80", "bob|100|0", "carol|NULL|90", "dan|90|0", "erin|NULL|0"}},
		{"partition sum", df.Select("Name", Sum("Salary").Over(Window.PartitionBy("Dept")).Alias("t")), []string{"alice|180", "bob|180", "carol|180", "dan|180", "erin|70"}},
		{"running sum", df.Select("Name", Sum("Salary").Over(Window.OrderBy("Name")).Alias("t")), []string{"alice|100", "bob|180", "carol|270", "dan|360", "erin|430"}},
		{"rows between", df.Select("Name", Sum("Salary").Over(Window.OrderBy("Name").RowsBetween(-1, 1)).Alias("t")), []string{"alice|180", "bob|270", "carol|260", "dan|250", "erin|160"}},
		{"running max and sliding avg", df.Select("Name", Max("Age").Over(Window.OrderBy("Name")), Avg("Salary").Over(Window.OrderBy("Name").RowsBetween(-1, 0)), Count("Score").Over(Window.OrderBy("Name"))),
			[]string{"alice|30|100.0|1", "bob|40|90.0|1", "carol|40|85.0|2", "dan|40|90.0|3", "erin|40|80.0|4"}},
		{"top 1 per group", df.Select("Dept", "Name", RowNumber().Over(w).Alias("rn")).Filter(Col("rn").Leq(1)).Select("Name"), []string{"alice", "carol", "erin"}},
	}
	for _, c := range cases {
		expectRows(t, c.name, c.df, c.want, false)
	}
}

func TestAnalysisErrors(t *testing.T) {
	s := NewSession(nil)
	df := s.CreateDataFrame([][]any{{"x", 1}}, "name STRING, age INT")
	err := panicsWith(func() { df.Select("nme") })
	if !analysisError(err) || err.Error() != `cannot resolve column "nme" among (name, age); did you mean "name"?` {
		t.Errorf("unknown column: %v", err)
	}
	for name, f := range map[string]func(){
		"non-boolean filter": func() { df.Filter(Col("age")) },
		"agg in filter":      func() { df.Filter(Sum("age").Gt(1)) },
		"non-agg in agg":     func() { df.GroupBy("name").Agg(Col("age")) },
		"bad join type":      func() { df.Join(df, "name", "sideways") },
		"bad cast":           func() { df.Select(Col("age").Cast("blob")) },
		"union width":        func() { df.Union(df.Select("name")) },
		"unknown function":   func() { df.SelectExpr("nosuch(age)") },
		"bad sql":            func() { s.SQL("SELEC 1") },
		"unknown table":      func() { s.SQL("SELECT * FROM nowhere") },
	} {
		if err := panicsWith(f); err == nil {
			t.Errorf("%s: no panic", name)
		}
	}
}

func TestShowFormat(t *testing.T) {
	s := NewSession(nil)
	df := s.CreateDataFrame([][]any{{"a", 1, 2.5}, {"a very long string indeed, longer than twenty", nil, nil}}, "s STRING, i INT, d DOUBLE")
	want := `+--------------------+----+----+
|                   s|   i|   d|
+--------------------+----+----+
|                   a|   1| 2.5|
|a very long strin...|NULL|NULL|
+--------------------+----+----+
`
	if got := df.ShowString(20, 20); got != want {
		t.Errorf("show:\n%s\nwant:\n%s", got, want)
	}
	got := df.ShowString(1, 20)
	if !strings.HasSuffix(got, "only showing top 1 row\n") {
		t.Errorf("show(1) footer:\n%s", got)
	}
	if sch := df.SchemaString(); sch != "root\n |-- s: string (nullable = true)\n |-- i: integer (nullable = true)\n |-- d: double (nullable = true)\n" {
		t.Errorf("schema:\n%s", sch)
	}
}

func TestCollectIntoAndArrow(t *testing.T) {
	s := NewSession(nil)
	df := people(s)
	var out []emp
	df.OrderBy("Name").CollectInto(&out)
	if len(out) != 5 || out[0].Name != "alice" || *out[0].Age != 30 || out[1].Score != nil || out[2].Age != nil {
		t.Errorf("CollectInto: %+v", out)
	}
	rec := df.ToArrow()
	defer rec.Release()
	if rec.NumRows() != 5 || rec.NumCols() != 5 {
		t.Errorf("ToArrow: %d rows %d cols", rec.NumRows(), rec.NumCols())
	}
	if got := s.CreateDataFrame(rec).Count(); got != 5 {
		t.Errorf("round trip count %d", got)
	}
	if rows, more, err := df.Rows(1); err != nil || !more || rows[0][0] != "alice" {
		t.Errorf("Rows: %v %v %v", rows, more, err)
	}
	heads, more := df.HeadStrings(2)
	if len(heads) != 2 || !more || heads[0][0] != "alice" {
		t.Errorf("HeadStrings: %v %v", heads, more)
	}
}

func TestCache(t *testing.T) {
	s := NewSession(nil)
	people(s).CreateOrReplaceTempView("people_all")
	df := people(s).Filter(Col("Salary").Gt(75)).Cache()
	if !df.IsCached() {
		t.Fatal("not cached")
	}
	if n := df.Count(); n != 4 {
		t.Errorf("count %d", n)
	}
	df.CreateOrReplaceTempView("cached")
	if plan := s.SQL("SELECT Name FROM people_all WHERE Name IN (SELECT Name FROM cached)").ExplainString(); strings.Count(plan, "InMemoryTableScan") != 1 {
		t.Errorf("a subquery over a cached view should read the cache:\n%s", plan)
	}
	if !strings.Contains(df.Select("Name").ExplainString(), "InMemoryTableScan") {
		t.Errorf("cached plan should read memory:\n%s", df.Select("Name").ExplainString())
	}
	expectRows(t, "cached group", df.GroupBy("Dept").Count(), []string{"eng|2", "ops|2"}, false)
	df.Unpersist()
	if df.IsCached() {
		t.Error("still cached")
	}
}

func TestDescribeAndFunctions(t *testing.T) {
	s := NewSession(nil)
	df := people(s)
	expectRows(t, "describe", df.Describe("Salary", "Name"), []string{
		"count|5|5", "mean|86.0|NULL", "stddev|11.40175425099138|NULL", "min|70|alice", "max|100|erin"}, true)
	d := s.CreateDataFrame([][]any{{"2024-03-15 10:30:00", " Spark SQL ", nil}}, "ts STRING, s STRING, n STRING")
	expectRows(t, "functions with nulls", d.Select(
		Year(ToTimestamp("ts")), Month(ToDate("ts")), Hour(ToTimestamp("ts")),
		DateFormat(ToTimestamp("ts"), "dd.MM.yyyy"), DateDiff(ToDate(Lit("2024-03-20")), ToDate("ts")),
		DateTrunc("month", ToTimestamp("ts")),
		Upper(Trim("s")), Length("s"), Concat("s", "n"), ConcatWs("+", "s", "n"),
		Split(Trim("s"), " "), RegexpReplace("s", `\s+`, "_"), Substring(Trim("s"), 1, 5), Lower("n"),
	), []string{"2024|3|10|15.03.2024|5|2024-03-01 00:00:00|SPARK SQL|11|NULL| Spark SQL |[Spark, SQL]|_Spark_SQL_|Spark|NULL"}, true)
}

func TestExplode(t *testing.T) {
	s := NewSession(nil)
	df := s.CreateDataFrame([][]any{{1, "a b  c"}, {2, ""}, {3, nil}}, "id INT, line STRING")
	words := df.Select("id", Explode(Split("line", " +")).Alias("word"))
	expectRows(t, "explode", words, []string{"1|a", "1|b", "1|c", "2|"}, false)
	expectRows(t, "explode outer", df.Select("id", ExplodeOuter(Split("line", " +"))), []string{"1|a", "1|b", "1|c", "2|", "3|NULL"}, false)
	expectRows(t, "word count", words.GroupBy("word").Count().Filter(Col("word").Ne("")), []string{"a|1", "b|1", "c|1"}, false)
	expectRows(t, "size and contains", df.Select(Size(Split("line", " ")), ArrayContains(Split("line", " "), "b")), []string{"4|true", "1|false", "-1|NULL"}, false)
	if got := df.Select(Explode(Split("line", " "))).Columns(); got[0] != "col" {
		t.Errorf("explode column name %v", got)
	}
	if err := panicsWith(func() { df.Select(Explode(Split("line", " ")), Explode(Split("line", " "))) }); !analysisError(err) {
		t.Errorf("two explodes: %v", err)
	}
	df.CreateOrReplaceTempView("txt")
	expectRows(t, "sql explode", s.SQL("SELECT explode(split(line, ' ')) AS w FROM txt WHERE id = 1"), []string{"a", "b", "", "c"}, false)
}

func TestRollupCube(t *testing.T) {
	s := NewSession(nil)
	df := s.CreateDataFrame([][]any{{"a", "x", 1}, {"a", "y", 2}, {"b", "x", 3}}, "k STRING, j STRING, v INT")
	expectRows(t, "rollup", df.Rollup("k", "j").Agg(Sum("v").Alias("s")),
		[]string{"a|x|1", "a|y|2", "b|x|3", "a|NULL|3", "b|NULL|3", "NULL|NULL|6"}, false)
	expectRows(t, "cube", df.Cube("k", "j").Agg(Sum("v").Alias("s")),
		[]string{"a|x|1", "a|y|2", "b|x|3", "a|NULL|3", "b|NULL|3", "NULL|x|4", "NULL|y|2", "NULL|NULL|6"}, false)
	df.CreateOrReplaceTempView("r")
	expectRows(t, "sql rollup", s.SQL("SELECT k, sum(v) AS s FROM r GROUP BY k WITH ROLLUP"),
		[]string{"a|3", "b|3", "NULL|6"}, false)
}
