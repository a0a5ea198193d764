package sql

import (
	"strings"
	"testing"
)

func sqlSession(t *testing.T) *Session {
	s := NewSession(nil)
	people(s).CreateOrReplaceTempView("people")
	s.CreateDataFrame([][]any{{"eng", "Engineering"}, {"ops", "Operations"}, {"hr", "People"}}, "code STRING, title STRING").CreateOrReplaceTempView("depts")
	return s
}

func TestSQL(t *testing.T) {
	s := sqlSession(t)
	cases := []struct {
		name, q string
		want    []string
		order   bool
	}{
		{"select where", "SELECT Name, Salary FROM people WHERE Salary >= 90 AND Name <> 'dan'", []string{"alice|100", "carol|90"}, false},
		{"expressions", "SELECT Name, Salary * 2 + 1 AS x, upper(Name) FROM people WHERE Name = 'bob'", []string{"bob|161|BOB"}, false},
		{"group having", "SELECT Dept, count(*) AS n, sum(Salary) AS total FROM people GROUP BY Dept HAVING sum(Salary) > 100", []string{"eng|2|180", "ops|2|180"}, false},
		{"having hidden agg", "SELECT Dept FROM people GROUP BY Dept HAVING max(Salary) = 100", []string{"eng"}, false},
		{"group by ordinal and alias", "SELECT Salary >= 90 AS rich, count(*) FROM people GROUP BY 1", []string{"true|3", "false|2"}, false},
		{"order limit", "SELECT Name FROM people ORDER BY Salary DESC, Name LIMIT 3", []string{"alice", "carol", "dan"}, true},
		{"order by hidden column", "SELECT Name FROM people ORDER BY Age DESC", []string{"bob", "erin", "alice", "dan", "carol"}, true},
		{"nulls first", "SELECT Name FROM people ORDER BY Age DESC NULLS FIRST LIMIT 2", []string{"carol", "bob"}, true},
		{"distinct", "SELECT DISTINCT Dept FROM people", []string{"eng", "ops", ""}, false},
		{"case", "SELECT Name, CASE WHEN Salary > 90 THEN 'hi' WHEN Salary > 75 THEN 'mid' ELSE 'lo' END FROM people", []string{"alice|hi", "bob|mid", "carol|mid", "dan|mid", "erin|lo"}, false},
		{"simple case", "SELECT CASE Dept WHEN 'eng' THEN 1 ELSE 0 END AS e FROM people WHERE Name = 'alice'", []string{"1"}, false},
		{"inner join", "SELECT p.Name, d.title FROM people p JOIN depts d ON p.Dept = d.code", []string{"alice|Engineering", "bob|Engineering", "carol|Operations", "dan|Operations"}, false},
		{"left join", "SELECT p.Name, d.title FROM people p LEFT JOIN depts d ON p.Dept = d.code WHERE p.Name IN ('alice', 'erin')", []string{"alice|Engineering", "erin|NULL"}, false},
		{"right join", "SELECT d.code, p.Name FROM people p RIGHT JOIN depts d ON p.Dept = d.code WHERE d.code = 'hr'", []string{"hr|NULL"}, false},
		{"full join", "SELECT d.code, p.Name FROM people p FULL OUTER JOIN depts d ON p.Dept = d.code WHERE p.Name IS NULL OR d.code IS NULL", []string{"hr|NULL", "NULL|erin"}, false},
		{"semi join", "SELECT code FROM depts LEFT SEMI JOIN people ON depts.code = people.Dept", []string{"eng", "ops"}, false},
		{"anti join", "SELECT code FROM depts LEFT ANTI JOIN people ON depts.code = people.Dept", []string{"hr"}, false},
		{"cross join", "SELECT count(*) FROM people CROSS JOIN depts", []string{"15"}, false},
		{"using", "SELECT Name FROM people JOIN (SELECT code AS Dept FROM depts) d USING (Dept)", []string{"alice", "bob", "carol", "dan"}, false},
		{"cte", "WITH rich AS (SELECT * FROM people WHERE Salary >= 90) SELECT count(*) FROM rich", []string{"3"}, false},
		{"subquery in from", "SELECT avg(s) FROM (SELECT Salary AS s FROM people) t", []string{"86.0"}, false},
		{"in subquery", "SELECT Name FROM people WHERE Dept IN (SELECT code FROM depts WHERE title LIKE 'Eng%')", []string{"alice", "bob"}, false},
		{"not in subquery", "SELECT Name FROM people WHERE Dept NOT IN (SELECT code FROM depts)", []string{"erin"}, false},
		{"exists", "SELECT count(*) FROM people WHERE EXISTS (SELECT 1 FROM depts WHERE code = 'hr')", []string{"5"}, false},
		{"scalar subquery", "SELECT Name FROM people WHERE Salary = (SELECT max(Salary) FROM people)", []string{"alice"}, false},
		{"union all", "SELECT code FROM depts UNION ALL SELECT Dept FROM people WHERE Dept = 'eng'", []string{"eng", "ops", "hr", "eng", "eng"}, false},
		{"union", "SELECT code FROM depts UNION SELECT Dept FROM people", []string{"eng", "ops", "hr", ""}, false},
		{"intersect", "SELECT code FROM depts INTERSECT SELECT Dept FROM people", []string{"eng", "ops"}, false},
		{"except", "SELECT code FROM depts EXCEPT SELECT Dept FROM people", []string{"hr"}, false},
		{"window", "SELECT Name, row_number() OVER (PARTITION BY Dept ORDER BY Salary DESC, Name) AS rn FROM people", []string{"alice|1", "bob|2", "carol|1", "dan|2", "erin|1"}, false},
		{"window frame", "SELECT Name, sum(Salary) OVER (ORDER BY Name ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) FROM people", []string{"alice|100", "bob|180", "carol|170", "dan|180", "erin|160"}, false},
		{"window agg", "SELECT Name, Salary - avg(Salary) OVER (PARTITION BY Dept) AS d FROM people WHERE Dept = 'eng'", []string{"alice|10.0", "bob|-10.0"}, false},
		{"cast", "SELECT CAST(Salary AS STRING), CAST('12' AS INT) + 1, CAST(Salary AS DOUBLE) / 8 FROM people WHERE Name = 'alice'", []string{"100|13|12.5"}, false},
		{"functions", "SELECT concat_ws('-', Name, Dept), substring(Name, 2, 3), length(Name), coalesce(Score, 0) FROM people WHERE Name = 'bob'", []string{"bob-eng|ob|3|0.0"}, false},
		{"null logic", "SELECT Name FROM people WHERE NOT (Age > 28) OR Age IS NULL", []string{"carol", "dan"}, false},
		{"aggregates", "SELECT count(DISTINCT Dept), min(Name), max(Age), stddev(Salary) > 0, first(Name) FROM people", []string{"3|alice|40|true|alice"}, false},
		{"no from", "SELECT 1 + 2 AS three, 'x'", []string{"3|x"}, false},
		{"between", "SELECT Name FROM people WHERE Salary BETWEEN 85 AND 95", []string{"carol", "dan"}, false},
		{"like rlike", "SELECT Name FROM people WHERE Name LIKE '_a%' OR Name RLIKE '^e'", []string{"carol", "dan", "erin"}, false},
		{"date functions", "SELECT year(to_date('2024-03-15')), month(to_date('2024-03-15')), datediff(to_date('2024-03-15'), to_date('2024-03-01')), date_add(to_date('2024-02-28'), 2)", []string{"2024|3|14|2024-03-01"}, false},
		{"date_format", "SELECT date_format(to_timestamp('2024-03-15 10:30:00'), 'yyyy/MM/dd HH:mm'), hour(to_timestamp('2024-03-15 10:30:00'))", []string{"2024/03/15 10:30|10"}, false},
		{"offset", "SELECT Name FROM people ORDER BY Name LIMIT 2 OFFSET 1", []string{"bob", "carol"}, true},
		{"backticks", "SELECT `Name` FROM `people` WHERE `Salary` = 70", []string{"erin"}, false},
	}
	for _, c := range cases {
		var df *DataFrame
		if err := panicsWith(func() { df = s.SQL(c.q) }); err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if err := panicsWith(func() { expectRows(t, c.name, df, c.want, c.order) }); err != nil {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}

func TestSQLViewsAndErrors(t *testing.T) {
	s := sqlSession(t)
	s.SQL("CREATE OR REPLACE TEMPORARY VIEW eng AS SELECT * FROM people WHERE Dept = 'eng'")
	expectRows(t, "view", s.SQL("SELECT count(*) FROM eng"), []string{"2"}, false)
	expectRows(t, "table", s.Table("eng").Select("Name"), []string{"alice", "bob"}, false)
	if !strings.Contains(strings.Join(rowStrings(s.SQL("SHOW TABLES")), ","), "eng") {
		t.Error("SHOW TABLES misses eng")
	}
	plan := rowStrings(s.SQL("EXPLAIN SELECT Dept, count(*) FROM people GROUP BY Dept"))
	if len(plan) != 1 || !strings.Contains(plan[0], "HashAggregate") {
		t.Errorf("EXPLAIN: %v", plan)
	}
	err := panicsWith(func() { s.SQL("SELECT nme FROM people") })
	if !analysisError(err) || !strings.Contains(err.Error(), `did you mean "Name"`) {
		t.Errorf("unknown column: %v", err)
	}
	err = panicsWith(func() { s.SQL("SELECT Name, count(*) FROM people GROUP BY Dept") })
	if !analysisError(err) || !strings.Contains(err.Error(), "neither present in the group by") {
		t.Errorf("non-grouped column: %v", err)
	}
	var pe *ParseError
	err = panicsWith(func() { s.SQL("SELECT FROM WHERE") })
	if err == nil || !strings.Contains(err.Error(), "syntax error") {
		t.Errorf("parse error: %v (%T)", err, pe)
	}
}

// TestSQLTPCHShapes runs queries shaped like TPC-H q1, q3 and q6: date
// literals, interval arithmetic, comma joins with the join condition in
// WHERE.
func TestSQLTPCHShapes(t *testing.T) {
	s := NewSession(nil)
	s.CreateDataFrame([][]any{{int64(1), 10.0, 0.05, "A", "2024-01-01"}, {int64(2), 20.0, 0.06, "B", "1994-06-01"}},
		"l_orderkey BIGINT, l_extendedprice DOUBLE, l_discount DOUBLE, l_returnflag STRING, l_shipdate DATE").CreateOrReplaceTempView("lineitem")
	s.CreateDataFrame([][]any{{int64(1), "1995-01-01"}, {int64(2), "1996-01-01"}}, "o_orderkey BIGINT, o_orderdate DATE").CreateOrReplaceTempView("orders")
	cases := []struct {
		q    string
		want []string
	}{
		{"select sum(l_extendedprice * l_discount) as revenue from lineitem where l_shipdate >= date '1994-01-01' and l_shipdate < date '1994-01-01' + interval '1' year and l_discount between 0.06 - 0.01 and 0.06 + 0.01", []string{"1.2"}},
		{"select l_returnflag, count(*) from lineitem where l_shipdate <= date '1998-12-01' - interval '90' day group by l_returnflag order by l_returnflag", []string{"B|1"}},
		{"select l_orderkey, sum(l_extendedprice * (1 - l_discount)) as revenue, o_orderdate from orders, lineitem where l_orderkey = o_orderkey and o_orderdate < date '1995-03-15' group by l_orderkey, o_orderdate order by revenue desc, o_orderdate limit 10", []string{"1|9.5|1995-01-01"}},
	}
	for _, c := range cases {
		expectRows(t, c.q, s.SQL(c.q), c.want, true)
	}
	if plan := s.SQL(cases[2].q).ExplainString(); !strings.Contains(plan, "HashJoin [") {
		t.Errorf("comma join should become an equi-join:\n%s", plan)
	}
}

func TestCorrelatedSubqueries(t *testing.T) {
	s := sqlSession(t)
	cases := []struct {
		q    string
		want []string
	}{
		{"SELECT code FROM depts d WHERE EXISTS (SELECT 1 FROM people p WHERE p.Dept = d.code AND p.Salary > 95)", []string{"eng"}},
		{"SELECT code FROM depts d WHERE NOT EXISTS (SELECT * FROM people p WHERE p.Dept = d.code)", []string{"hr"}},
		{"SELECT Name FROM people p WHERE Salary IN (SELECT max(Salary) FROM people)", []string{"alice"}},
		{"SELECT Name FROM people p WHERE Dept IN (SELECT code FROM depts d WHERE d.title LIKE 'O%' AND p.Salary = 90)", []string{"carol", "dan"}},
		{"SELECT Name FROM people p WHERE Salary > (SELECT avg(Salary) FROM people q WHERE q.Dept = p.Dept)", []string{"alice"}},
		{"SELECT Name, (SELECT count(*) FROM people q WHERE q.Dept = p.Dept AND q.Salary > 85) AS rich FROM people p", []string{"alice|1", "bob|1", "carol|2", "dan|2", "erin|0"}},
		{"SELECT code, (SELECT max(Salary) FROM people WHERE people.Dept = depts.code) FROM depts", []string{"eng|100", "ops|90", "hr|NULL"}},
	}
	for _, c := range cases {
		var df *DataFrame
		if err := panicsWith(func() { df = s.SQL(c.q) }); err != nil {
			t.Errorf("%s: %v", c.q, err)
			continue
		}
		if err := panicsWith(func() { expectRows(t, c.q, df, c.want, false) }); err != nil {
			t.Errorf("%s: %v", c.q, err)
		}
	}
}
