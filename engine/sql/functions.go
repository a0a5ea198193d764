package sql

import (
	"gospark/engine/sql/plan"
)

// The built-in functions. Arguments typed any accept a column name
// (string) or a Column; literal parameters (patterns, formats) are plain
// Go values.

// When starts a CASE WHEN chain: When(cond, value).When(…).Otherwise(…).
func When(cond Column, value any) Column {
	return Column{&plan.CaseWhen{Conds: []plan.Expr{cond.e}, Vals: []plan.Expr{toCol(value).e}}}
}

// Coalesce returns the first non-NULL argument.
func Coalesce(cols ...any) Column { return callN("coalesce", cols) }

// IsNull is col IS NULL.
func IsNull(col any) Column { return nameOrCol(col).IsNull() }

// IsNotNull is col IS NOT NULL.
func IsNotNull(col any) Column { return nameOrCol(col).IsNotNull() }

func callN(fn string, cols []any) Column {
	args := make([]Column, len(cols))
	for i, c := range cols {
		args[i] = nameOrCol(c)
	}
	return call(fn, args...)
}

func call1(fn string, col any, extra ...any) Column {
	args := []Column{nameOrCol(col)}
	for _, e := range extra {
		args = append(args, toCol(e))
	}
	return call(fn, args...)
}

// Count counts non-NULL values; Count("*") counts rows.
func Count(col any) Column {
	if s, ok := col.(string); ok && s == "*" {
		return Column{&plan.Call{Fn: "count"}}
	}
	return call1("count", col)
}

// Sum adds the values.
func Sum(col any) Column { return call1("sum", col) }

// Avg is the mean of the values.
func Avg(col any) Column { return call1("avg", col) }

// Mean is the mean of the values.
func Mean(col any) Column { return call1("avg", col) }

// Min is the smallest value.
func Min(col any) Column { return call1("min", col) }

// Max is the largest value.
func Max(col any) Column { return call1("max", col) }

// CountDistinct counts distinct non-NULL values.
func CountDistinct(col any) Column {
	c := call1("count", col)
	c.e.(*plan.Call).Distinct = true
	return c
}

// ApproxCountDistinct estimates the number of distinct values with a
// HyperLogLog sketch; rsd is the relative standard deviation (default 0.05).
func ApproxCountDistinct(col any, rsd ...float64) Column {
	if len(rsd) > 0 {
		return call1("approx_count_distinct", col, rsd[0])
	}
	return call1("approx_count_distinct", col)
}

// First is the first value of the group.
func First(col any) Column { return call1("first", col) }

// Last is the last value of the group.
func Last(col any) Column { return call1("last", col) }

// CollectList gathers the group's non-NULL values into an array.
func CollectList(col any) Column { return call1("collect_list", col) }

// CollectSet gathers the group's distinct non-NULL values into an array.
func CollectSet(col any) Column { return call1("collect_set", col) }

// Stddev is the sample standard deviation.
func Stddev(col any) Column { return call1("stddev", col) }

// StddevPop is the population standard deviation.
func StddevPop(col any) Column { return call1("stddev_pop", col) }

// Variance is the sample variance.
func Variance(col any) Column { return call1("var_samp", col) }

// Corr is the Pearson correlation of two columns.
func Corr(a, b any) Column { return call("corr", nameOrCol(a), nameOrCol(b)) }

// CovarSamp is the sample covariance.
func CovarSamp(a, b any) Column { return call("covar_samp", nameOrCol(a), nameOrCol(b)) }

// Median is the exact median (interpolated).
func Median(col any) Column { return call1("median", col) }

// Percentile is the exact p-th percentile (interpolated), 0 <= p <= 1.
func Percentile(col any, p float64) Column { return call1("percentile", col, p) }

// Concat joins strings; NULL if any is NULL.
func Concat(cols ...any) Column { return callN("concat", cols) }

// ConcatWs joins strings with sep, skipping NULLs.
func ConcatWs(sep string, cols ...any) Column {
	return callN("concat_ws", append([]any{Lit(sep)}, cols...))
}

// Lower lower-cases a string.
func Lower(col any) Column { return call1("lower", col) }

// Upper upper-cases a string.
func Upper(col any) Column { return call1("upper", col) }

// Trim removes leading and trailing spaces.
func Trim(col any) Column { return call1("trim", col) }

// Ltrim removes leading spaces.
func Ltrim(col any) Column { return call1("ltrim", col) }

// Rtrim removes trailing spaces.
func Rtrim(col any) Column { return call1("rtrim", col) }

// Substring is the substring from pos (1-based) of length characters.
func Substring(col any, pos, length int) Column { return call1("substring", col, pos, length) }

// Length is the number of characters.
func Length(col any) Column { return call1("length", col) }

// Split splits a string around matches of a regular expression.
func Split(col any, pattern string) Column { return call1("split", col, pattern) }

// RegexpReplace replaces every match of pattern ($1 refers to groups).
func RegexpReplace(col any, pattern, replacement string) Column {
	return call1("regexp_replace", col, pattern, replacement)
}

// RegexpExtract returns group idx of the first match ("" if none).
func RegexpExtract(col any, pattern string, idx int) Column {
	return call1("regexp_extract", col, pattern, idx)
}

// Lpad pads a string on the left to length with pad.
func Lpad(col any, length int, pad string) Column { return call1("lpad", col, length, pad) }

// Rpad pads a string on the right to length with pad.
func Rpad(col any, length int, pad string) Column { return call1("rpad", col, length, pad) }

// ToDate parses a date, with an optional Spark datetime pattern.
func ToDate(col any, format ...string) Column {
	if len(format) > 0 {
		return call1("to_date", col, format[0])
	}
	return call1("to_date", col)
}

// ToTimestamp parses a timestamp, with an optional Spark datetime pattern.
func ToTimestamp(col any, format ...string) Column {
	if len(format) > 0 {
		return call1("to_timestamp", col, format[0])
	}
	return call1("to_timestamp", col)
}

// DateFormat formats a date or timestamp with a Spark datetime pattern.
func DateFormat(col any, format string) Column { return call1("date_format", col, format) }

// Year extracts the year.
func Year(col any) Column { return call1("year", col) }

// Month extracts the month (1–12).
func Month(col any) Column { return call1("month", col) }

// DayOfMonth extracts the day of the month.
func DayOfMonth(col any) Column { return call1("dayofmonth", col) }

// DayOfWeek extracts the day of the week (1 = Sunday).
func DayOfWeek(col any) Column { return call1("dayofweek", col) }

// Hour extracts the hour.
func Hour(col any) Column { return call1("hour", col) }

// Minute extracts the minute.
func Minute(col any) Column { return call1("minute", col) }

// DateDiff is the number of days from start to end.
func DateDiff(end, start any) Column { return call("datediff", nameOrCol(end), nameOrCol(start)) }

// DateAdd adds days to a date.
func DateAdd(col any, days int) Column { return call1("date_add", col, days) }

// DateSub subtracts days from a date.
func DateSub(col any, days int) Column { return call1("date_sub", col, days) }

// AddMonths adds months to a date.
func AddMonths(col any, months int) Column { return call1("add_months", col, months) }

// DateTrunc truncates a timestamp to a unit: year, quarter, month, week,
// day, hour, minute, second.
func DateTrunc(unit string, col any) Column { return call("date_trunc", Lit(unit), nameOrCol(col)) }

// CurrentDate is today's date.
func CurrentDate() Column { return call("current_date") }

// CurrentTimestamp is the current time.
func CurrentTimestamp() Column { return call("current_timestamp") }

// Abs is the absolute value.
func Abs(col any) Column { return call1("abs", col) }

// Sqrt is the square root.
func Sqrt(col any) Column { return call1("sqrt", col) }

// Exp is e^x.
func Exp(col any) Column { return call1("exp", col) }

// Log is the natural logarithm.
func Log(col any) Column { return call1("ln", col) }

// Pow is x^y.
func Pow(x, y any) Column { return call("power", nameOrCol(x), toCol(y)) }

// Round rounds half up to scale decimal places.
func Round(col any, scale ...int) Column {
	if len(scale) > 0 {
		return call1("round", col, scale[0])
	}
	return call1("round", col)
}

// Floor rounds down.
func Floor(col any) Column { return call1("floor", col) }

// Ceil rounds up.
func Ceil(col any) Column { return call1("ceil", col) }

// Expr parses a SQL expression, e.g. Expr("v1 * 2 AS double_v1").
func Expr(sqlExpr string) Column {
	e, err := parseExpression(sqlExpr)
	if err != nil {
		panic(err)
	}
	return Column{e}
}

// RowNumber numbers the rows of each window partition from 1.
func RowNumber() Column { return call("row_number") }

// Rank ranks rows with gaps after ties.
func Rank() Column { return call("rank") }

// DenseRank ranks rows without gaps.
func DenseRank() Column { return call("dense_rank") }

// PercentRank is (rank - 1) / (rows - 1).
func PercentRank() Column { return call("percent_rank") }

// CumeDist is the fraction of rows at or before the current row's peers.
func CumeDist() Column { return call("cume_dist") }

// Ntile splits each partition into n buckets numbered from 1.
func Ntile(n int) Column { return call("ntile", Lit(n)) }

// Lag is the value offset rows before the current row (default NULL, or
// the given default).
func Lag(col any, offset int, def ...any) Column {
	if len(def) > 0 {
		return call1("lag", col, offset, def[0])
	}
	return call1("lag", col, offset)
}

// Lead is the value offset rows after the current row.
func Lead(col any, offset int, def ...any) Column {
	if len(def) > 0 {
		return call1("lead", col, offset, def[0])
	}
	return call1("lead", col, offset)
}

// Window frame boundaries for RowsBetween.
const (
	UnboundedPreceding = -plan.Unbounded
	UnboundedFollowing = plan.Unbounded
	CurrentRow         = int64(0)
)

// WindowSpec says how rows are grouped and ordered for a window function.
type WindowSpec struct {
	partitionBy []plan.Expr
	orderBy     []*plan.SortOrder
	frame       plan.Frame
	frameSet    bool
}

// Window is the empty window spec; build on it with PartitionBy,
// OrderBy and RowsBetween (Spark's Window object).
var Window WindowSpec

// PartitionBy groups rows by the given columns.
func (w WindowSpec) PartitionBy(cols ...any) WindowSpec {
	w.partitionBy = nil
	for _, c := range cols {
		w.partitionBy = append(w.partitionBy, nameOrCol(c).e)
	}
	return w
}

// OrderBy orders rows within each partition.
func (w WindowSpec) OrderBy(cols ...any) WindowSpec {
	w.orderBy = nil
	for _, c := range cols {
		w.orderBy = append(w.orderBy, sortOrder(nameOrCol(c)))
	}
	return w
}

// RowsBetween sets a frame of rows relative to the current row.
func (w WindowSpec) RowsBetween(start, end int64) WindowSpec {
	w.frame = plan.Frame{Rows: true, Start: start, End: end}
	w.frameSet = true
	return w
}

// RangeBetween sets a RANGE frame; only unbounded and current-row bounds
// are supported.
func (w WindowSpec) RangeBetween(start, end int64) WindowSpec {
	w.frame = plan.Frame{Start: start, End: end}
	w.frameSet = true
	return w
}

func sortOrder(c Column) *plan.SortOrder {
	if o, ok := c.e.(*plan.SortOrder); ok {
		return o
	}
	return plan.Asc(c.e)
}

// Explode makes one row per element of an array column (rows with a NULL
// or empty array disappear); the element column is named "col" unless
// aliased.
func Explode(col any) Column { return call1("explode", col) }

// ExplodeOuter is Explode that keeps rows whose array is NULL or empty,
// with a NULL element.
func ExplodeOuter(col any) Column { return call1("explode_outer", col) }

// Size is the number of elements of an array (-1 for NULL).
func Size(col any) Column { return call1("size", col) }

// ArrayContains reports whether an array holds value.
func ArrayContains(col any, value any) Column { return call1("array_contains", col, value) }

// Broadcast marks a DataFrame to be broadcast in joins.
func Broadcast(df *DataFrame) *DataFrame {
	d := *df
	d.broadcast = true
	return &d
}
