package display

import (
	"bytes"
	"fmt"
	"html"
	"strings"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/renderer"
	"github.com/olekukonko/tablewriter/tw"
)

// HTMLTable renders the first numRows rows of t as HTML in the form of
// PySpark's DataFrame._repr_html_: a <table border='1'> with a header row of
// <th> cells and one <tr> of <td> cells per row, followed by the note "only
// showing top N rows" when t holds more rows. Cells are truncated as in
// TextTable and HTML-escaped. The whole is wrapped in a div that scrolls
// horizontally, so a wide table does not stretch the notebook.
func HTMLTable(t Tabular, numRows, truncate int) (string, error) {
	s, err := fetch(t, numRows, truncate)
	if err != nil {
		return "", err
	}
	return s.html(), nil
}

// TableData renders the first numRows rows of t as a bundle: the HTML table
// of HTMLTable, with the Spark text table of TextTable as text/plain. It
// reads the rows from t once.
func TableData(t Tabular, numRows, truncate int) (Data, error) {
	s, err := fetch(t, numRows, truncate)
	if err != nil {
		return Data{}, err
	}
	return Data{MIME: map[string]any{
		MIMEHTML: s.html(),
		MIMEText: s.text(truncate > 0),
	}}, nil
}

// html draws s as PySpark's _repr_html_ does, inside a scrolling div.
func (s shown) html() string {
	var b strings.Builder
	b.WriteString("<div style=\"overflow-x:auto\">\n<table border='1'>\n")
	row := func(tag string, cells []string) {
		b.WriteString("<tr>")
		for _, c := range cells {
			b.WriteString("<" + tag + ">" + html.EscapeString(c) + "</" + tag + ">")
		}
		b.WriteString("</tr>\n")
	}
	row("th", s.header)
	for _, r := range s.rows {
		row("td", r)
	}
	b.WriteString("</table>\n")
	if f := s.footer(); f != "" {
		b.WriteString(f + "\n")
	}
	b.WriteString("</div>\n")
	return b.String()
}

// MarkdownTable renders the first numRows rows of t as a GitHub-flavoured
// Markdown table, with cells truncated as in TextTable, pipes and HTML
// special characters escaped, and Spark's "only showing top N rows" note
// after the table when t holds more rows.
func MarkdownTable(t Tabular, numRows, truncate int) (string, error) {
	s, err := fetch(t, numRows, truncate)
	if err != nil {
		return "", err
	}
	esc := func(cells []string) []string {
		out := make([]string, len(cells))
		for i, c := range cells {
			out[i] = strings.ReplaceAll(html.EscapeString(c), "|", `\|`)
		}
		return out
	}
	var buf bytes.Buffer
	tbl := tablewriter.NewTable(&buf,
		tablewriter.WithRenderer(renderer.NewMarkdown()),
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithHeaderAlignment(tw.AlignLeft),
		tablewriter.WithHeaderAutoWrap(tw.WrapNone),
		tablewriter.WithRowAutoWrap(tw.WrapNone),
	)
	tbl.Header(esc(s.header))
	for _, row := range s.rows {
		if err := tbl.Append(esc(row)); err != nil {
			return "", fmt.Errorf("display: markdown table: %w", err)
		}
	}
	if err := tbl.Render(); err != nil {
		return "", fmt.Errorf("display: markdown table: %w", err)
	}
	if f := s.footer(); f != "" {
		buf.WriteString("\n" + f + "\n")
	}
	return buf.String(), nil
}
