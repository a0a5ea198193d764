package engine

import (
	"fmt"
	"html"

	"gospark/engine/sql"
)

// Session returns the context's DataFrame and SQL session (Spark's
// SparkSession), made on first use. sc.Read, sc.SQL and the shell's spark
// all use it, so they share temporary views and cached DataFrames.
func (c *Context) Session() *sql.Session {
	c.sqlOnce.Do(func() { c.sql = sql.NewSession(c) })
	return c.sql
}

// Read returns a reader of files into DataFrames:
// sc.Read().Option("header", "true").CSV(path).
func (c *Context) Read() *sql.DataFrameReader { return c.Session().Read() }

// SQL runs a query over the temporary views and returns its DataFrame.
func (c *Context) SQL(query string) *sql.DataFrame { return c.Session().SQL(query) }

// CreateDataFrame makes a DataFrame from Go data (see sql.Session).
func (c *Context) CreateDataFrame(data any, schema ...string) *sql.DataFrame {
	return c.Session().CreateDataFrame(data, schema...)
}

// Table returns the DataFrame of a temporary view.
func (c *Context) Table(name string) *sql.DataFrame { return c.Session().Table(name) }

// HTML describes the context for notebooks, as PySpark's SparkContext does.
func (c *Context) HTML() string {
	return fmt.Sprintf(`<div><p><b>SparkContext</b> (gospark)</p><dl>`+
		`<dt>Master</dt><dd><code>%s</code></dd><dt>AppName</dt><dd><code>%s</code></dd>`+
		`<dt>Application id</dt><dd><code>%s</code></dd><dt>Executors</dt><dd>%d, %d task slots</dd></dl></div>`,
		html.EscapeString(c.master.URL), html.EscapeString(c.AppName()), html.EscapeString(c.appID),
		len(c.cluster.Executors()), c.dag.TotalCores())
}
