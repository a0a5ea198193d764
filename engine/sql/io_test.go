package sql

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gospark/engine/sql/source"
)

func writeFile(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestCSVRead(t *testing.T) {
	dir := t.TempDir()
	good := writeFile(t, dir, "good.csv", "id,name,score,day\n1,ann,1.5,2024-01-02\n2,\"b, \"\"q\"\"\",,2024-01-03\n3,cy,2,\n")
	s := NewSession(nil)
	df := s.Read().Option("header", "true").Option("inferSchema", "true").CSV(good)
	if got := strings.Join(df.Columns(), ","); got != "id,name,score,day" {
		t.Errorf("columns %s", got)
	}
	if got := df.DTypes(); got[0][1] != "int" || got[1][1] != "string" || got[2][1] != "double" || got[3][1] != "date" {
		t.Errorf("inferred types %v", got)
	}
	expectRows(t, "csv inferred", df, []string{"1|ann|1.5|2024-01-02", `2|b, "q"|NULL|2024-01-03`, "3|cy|2.0|NULL"}, true)
	// No inference: strings.
	expectRows(t, "csv strings", s.Read().Option("header", true).CSV(good).Select("score"), []string{"1.5", "NULL", "2"}, true)
	// No header: _c0… and the header line is data.
	if got := s.Read().CSV(good).Columns(); got[0] != "_c0" {
		t.Errorf("no-header columns %v", got)
	}
	// Explicit schema, separator and null value.
	semi := writeFile(t, dir, "semi.txt", "a;b\nx;NA\n;7\n")
	df = s.Read().Option("header", "true").Option("sep", ";").Option("nullValue", "NA").Schema("a STRING, b INT").CSV(semi)
	expectRows(t, "csv schema sep null", df, []string{"x|NULL", "|7"}, true)
	expectRows(t, "format load", s.Read().Format("csv").Option("header", "true").Load(good).Select("name"), []string{"ann", `b, "q"`, "cy"}, true)
}

func TestCSVModes(t *testing.T) {
	dir := t.TempDir()
	bad := writeFile(t, dir, "bad.csv", "id,v\n1,10\n2,oops\n3\n4,40\n")
	s := NewSession(nil)
	r := s.Read().Option("header", "true").Schema("id INT, v INT, _corrupt_record STRING")
	expectRows(t, "permissive", r.CSV(bad), []string{"1|10|NULL", "2|NULL|2,oops", "3|NULL|3", "4|40|NULL"}, true)
	expectRows(t, "permissive without corrupt column", s.Read().Option("header", "true").Schema("id INT, v INT").CSV(bad), []string{"1|10", "2|NULL", "3|NULL", "4|40"}, true)
	expectRows(t, "dropmalformed", s.Read().Option("header", "true").Option("mode", "DROPMALFORMED").Schema("id INT, v INT").CSV(bad), []string{"1|10", "4|40"}, true)
	err := panicsWith(func() {
		s.Read().Option("header", "true").Option("mode", "FAILFAST").Schema("id INT, v INT").CSV(bad).Collect()
	})
	var me *source.MalformedError
	if !errors.As(err, &me) || me.Line != 3 || me.Path != bad || !strings.Contains(err.Error(), "bad.csv:3") {
		t.Errorf("failfast error: %v", err)
	}
	if err := panicsWith(func() { s.Read().CSV(filepath.Join(dir, "missing.csv")) }); !analysisError(err) || !strings.Contains(err.Error(), "path does not exist") {
		t.Errorf("missing file: %v", err)
	}
	if err := panicsWith(func() { s.Read().Option("mode", "SLOPPY").CSV(bad) }); err == nil {
		t.Error("unknown mode accepted")
	}
	// Empty file and empty input.
	empty := writeFile(t, dir, "empty.csv", "id,v\n")
	if n := s.Read().Option("header", "true").Schema("id INT, v INT").CSV(empty).Count(); n != 0 {
		t.Errorf("empty count %d", n)
	}
}

func TestCSVGlobsAndSplits(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("k,v\n")
	for i := 0; i < 3000; i++ {
		b.WriteString("key")
		b.WriteString(strings.Repeat("x", i%7))
		b.WriteString(",1\n")
	}
	writeFile(t, dir, "d/part1.csv", b.String())
	writeFile(t, dir, "d/part2.csv", b.String())
	writeFile(t, dir, "d/_SUCCESS", "")
	s := NewSession(nil)
	for _, path := range []string{filepath.Join(dir, "d"), filepath.Join(dir, "d/*.csv")} {
		df := s.Read().Option("header", "true").Option("inferSchema", "true").CSV(path)
		if got := df.Agg(Sum("v")).First()[0]; got != int64(6000) {
			t.Errorf("%s: sum %v", path, got)
		}
	}
	// Byte-range splits cut anywhere still read every line exactly once.
	f := filepath.Join(dir, "d/part1.csv")
	st, _ := os.Stat(f)
	src, err := source.NewCSVSource([]string{f}, source.CSVOptions{Header: true, Sep: ',', Quote: '"', Escape: '\\'}, nil, 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, cut := range []int64{1, 4, 5, 100, 9999, st.Size() - 1} {
		scan := source.NewCSVScan(src, []int{0, 1}, 1)
		scan.Splits = []source.Split{{File: src.Files[0], Start: 0, End: cut}, {File: src.Files[0], Start: cut, End: st.Size()}}
		rows := 0
		for p := 0; p < 2; p++ {
			str, err := scan.Execute(t.Context(), p)
			if err != nil {
				t.Fatal(err)
			}
			for {
				rec, err := str.Next()
				if err != nil {
					t.Fatal(err)
				}
				if rec == nil {
					break
				}
				rows += int(rec.NumRows())
				rec.Release()
			}
		}
		if rows != 3000 {
			t.Errorf("cut at %d: %d rows", cut, rows)
		}
	}
}

func TestJSONRead(t *testing.T) {
	dir := t.TempDir()
	p := writeFile(t, dir, "x.json", `{"a": 1, "b": "x", "c": 1.5}
{"a": 2, "b": null}
not json
{"a": 3, "b": "z", "c": 2}
`)
	s := NewSession(nil)
	df := s.Read().JSON(p)
	if got := strings.Join(df.Columns(), ","); got != "a,b,c,_corrupt_record" {
		t.Errorf("json columns %s", got)
	}
	expectRows(t, "json permissive", df, []string{"1|x|1.5|NULL", "2|NULL|NULL|NULL", "NULL|NULL|NULL|not json", "3|z|2.0|NULL"}, true)
	expectRows(t, "json drop", s.Read().Option("mode", "DROPMALFORMED").JSON(p).Select("a"), []string{"1", "2", "3"}, true)
	err := panicsWith(func() { s.Read().Option("mode", "FAILFAST").JSON(p).Collect() })
	if err == nil || !strings.Contains(err.Error(), "x.json:3") {
		t.Errorf("json failfast: %v", err)
	}
}

func TestWriteReadRoundTrip(t *testing.T) {
	dir := t.TempDir()
	s := NewSession(nil)
	df := people(s)
	for _, format := range []string{"csv", "json", "parquet"} {
		out := filepath.Join(dir, format)
		w := df.Write().Option("header", "true")
		save := map[string]func(*DataFrameWriter, string){
			"csv": (*DataFrameWriter).CSV, "json": (*DataFrameWriter).JSON, "parquet": (*DataFrameWriter).Parquet,
		}[format]
		save(w, out)
		if _, err := os.Stat(filepath.Join(out, "_SUCCESS")); err != nil {
			t.Errorf("%s: no _SUCCESS", format)
		}
		if err := panicsWith(func() { save(df.Write(), out) }); !analysisError(err) {
			t.Errorf("%s errorifexists: %v", format, err)
		}
		save(df.Write().Mode("ignore"), out)
		save(df.Write().Option("header", "true").Mode("append"), out)
		read := func() *DataFrame {
			switch format {
			case "csv":
				return s.Read().Option("header", "true").Option("inferSchema", "true").CSV(out)
			case "json":
				return s.Read().JSON(out)
			}
			return s.Read().Parquet(out)
		}
		back := read()
		if n := back.Count(); n != 10 {
			t.Errorf("%s after append: %d rows", format, n)
		}
		expectRows(t, format+" values", back.Filter(Col("Name").Eq("bob")).Select("Name", "Salary", "Age").Limit(1), []string{"bob|80|40"}, true)
		save(df.Write().Mode("overwrite").Option("header", "true"), out)
		if n := read().Count(); n != 5 {
			t.Errorf("%s after overwrite: %d rows", format, n)
		}
	}
	// PartitionBy writes key=value folders without the key column.
	out := filepath.Join(dir, "parted")
	df.Write().PartitionBy("Dept").Parquet(out)
	for _, d := range []string{"Dept=eng", "Dept=ops"} {
		if st, err := os.Stat(filepath.Join(out, d)); err != nil || !st.IsDir() {
			t.Errorf("missing folder %s", d)
		}
	}
	eng := s.Read().Parquet(filepath.Join(out, "Dept=eng"))
	if strings.Contains(strings.Join(eng.Columns(), ","), "Dept") || eng.Count() != 2 {
		t.Errorf("partition folder: %v, %d rows", eng.Columns(), eng.Count())
	}
	// Reading the root discovers Dept from the folder names.
	all := s.Read().Parquet(out)
	if got := strings.Join(all.Columns(), ","); got != "Name,Salary,Age,Score,Dept" {
		t.Errorf("discovered columns %s", got)
	}
	expectRows(t, "partition discovery", all.GroupBy("Dept").Count(), []string{"eng|2", "ops|2", "|1"}, false)
	expectRows(t, "partition filter", all.Filter(Col("Dept").Eq("ops")).Select("Name"), []string{"carol", "dan"}, false)
	// Integer partition values are typed; CSV and JSON discover alike.
	byAge := filepath.Join(dir, "byage")
	df.Write().PartitionBy("Age").Option("header", "true").CSV(byAge)
	ages := s.Read().Option("header", "true").Option("inferSchema", "true").CSV(byAge)
	if dt := ages.DTypes(); dt[len(dt)-1] != [2]string{"Age", "int"} {
		t.Errorf("partition column type: %v", dt)
	}
	expectRows(t, "csv partitions", ages.Select("Name", "Age"), []string{"alice|30", "bob|40", "carol|NULL", "dan|25", "erin|35"}, false)
}

func TestCSVWindowsLineEnds(t *testing.T) {
	dir := t.TempDir()
	p := writeFile(t, dir, "crlf.csv", "a,b\r\n1,\"x,y\"\r\n2,z\r\n")
	s := NewSession(nil)
	expectRows(t, "crlf", s.Read().Option("header", "true").Option("inferSchema", "true").CSV(p), []string{"1|x,y", "2|z"}, true)
}

func TestWriteSpecialCharacters(t *testing.T) {
	dir := t.TempDir()
	s := NewSession(nil)
	df := s.CreateDataFrame([][]any{{"a\"b\\c\td", 1.5, "2024-02-29"}, {"x,y", nil, nil}}, "s STRING, d DOUBLE, day DATE")
	df.Write().JSON(filepath.Join(dir, "j"))
	expectRows(t, "json escapes", s.Read().Schema("s STRING, d DOUBLE, day DATE").JSON(filepath.Join(dir, "j")), []string{"a\"b\\c\td|1.5|2024-02-29", "x,y|NULL|NULL"}, false)
	df.Write().Option("header", "true").CSV(filepath.Join(dir, "c"))
	expectRows(t, "csv quoting", s.Read().Option("header", "true").Schema("s STRING, d DOUBLE, day DATE").CSV(filepath.Join(dir, "c")), []string{"a\"b\\c\td|1.5|2024-02-29", "x,y|NULL|NULL"}, false)
}
