package display

import (
	"strings"
	"testing"
)

func TestHTMLTable(t *testing.T) {
	tests := []struct {
		name     string
		t        Tabular
		numRows  int
		truncate int
		want     string
	}{
		{"pyspark form", tbl([]string{"key", "value"}, []string{"1", "a"}, []string{"2", "b"}), 20, 20,
			"<div style=\"overflow-x:auto\">\n<table border='1'>\n" +
				"<tr><th>key</th><th>value</th></tr>\n" +
				"<tr><td>1</td><td>a</td></tr>\n" +
				"<tr><td>2</td><td>b</td></tr>\n" +
				"</table>\n</div>\n"},
		{"escapes cells and header", tbl([]string{"<k>"}, []string{`<script>alert("x")</script> & 'y'`}), 20, 0,
			"<div style=\"overflow-x:auto\">\n<table border='1'>\n" +
				"<tr><th>&lt;k&gt;</th></tr>\n" +
				"<tr><td>&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#39;y&#39;</td></tr>\n" +
				"</table>\n</div>\n"},
		{"truncates before escaping", tbl([]string{"v"}, []string{strings.Repeat("<", 25)}), 20, 20,
			"<div style=\"overflow-x:auto\">\n<table border='1'>\n" +
				"<tr><th>v</th></tr>\n" +
				"<tr><td>" + strings.Repeat("&lt;", 17) + "...</td></tr>\n" +
				"</table>\n</div>\n"},
		{"footer", testData(), 1, 20,
			"<div style=\"overflow-x:auto\">\n<table border='1'>\n" +
				"<tr><th>key</th><th>value</th></tr>\n" +
				"<tr><td>1</td><td>1</td></tr>\n" +
				"</table>\nonly showing top 1 row\n</div>\n"},
		{"empty", tbl([]string{"a"}), 20, 20,
			"<div style=\"overflow-x:auto\">\n<table border='1'>\n<tr><th>a</th></tr>\n</table>\n</div>\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := HTMLTable(tt.t, tt.numRows, tt.truncate)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func TestTableData(t *testing.T) {
	d, err := TableData(testData(), 3, 20)
	if err != nil {
		t.Fatal(err)
	}
	h, _ := d.MIME[MIMEHTML].(string)
	if !strings.Contains(h, "<table border='1'>") || !strings.Contains(h, "only showing top 3 rows") {
		t.Errorf("html = %s", h)
	}
	want, _ := TextTable(testData(), 3, 20)
	if d.String() != want {
		t.Errorf("text = %q, want %q", d.String(), want)
	}
}

func TestMarkdownTable(t *testing.T) {
	tests := []struct {
		name    string
		t       Tabular
		numRows int
		want    []string // lines that must appear
	}{
		{"escapes pipes and html", tbl([]string{"k|ey", "value"}, []string{"1", "<b>&"}), 10,
			[]string{`k\|ey`, "&lt;b&gt;&amp;"}},
		{"footer", testData(), 2, []string{"only showing top 2 rows"}},
		{"truncates", tbl([]string{"v"}, []string{long21}), 10, []string{"11111111111111111..."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := MarkdownTable(tt.t, tt.numRows, DefaultTruncate)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(got, "|") || !strings.Contains(got, "|:-") && !strings.Contains(got, "|--") {
				t.Errorf("not a markdown table:\n%s", got)
			}
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("missing %q in\n%s", w, got)
				}
			}
		})
	}
}
