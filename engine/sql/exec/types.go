package exec

import (
	"fmt"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"
)

// The engine's column types are a small set of Arrow types, one for each
// Spark SQL type it supports:
//
//	boolean   arrow.FixedWidthTypes.Boolean
//	int       arrow.PrimitiveTypes.Int32
//	bigint    arrow.PrimitiveTypes.Int64
//	double    arrow.PrimitiveTypes.Float64
//	string    arrow.BinaryTypes.String
//	date      arrow.FixedWidthTypes.Date32
//	timestamp Timestamp (microseconds, UTC)
//	array<T>  arrow.ListOf(T)
//	void      arrow.Null (the type of a bare NULL literal)
//
// Readers convert anything else (int8, float32, large strings…) to these.
var (
	Boolean   arrow.DataType = arrow.FixedWidthTypes.Boolean
	Int32     arrow.DataType = arrow.PrimitiveTypes.Int32
	Int64     arrow.DataType = arrow.PrimitiveTypes.Int64
	Float64   arrow.DataType = arrow.PrimitiveTypes.Float64
	String    arrow.DataType = arrow.BinaryTypes.String
	Date32    arrow.DataType = arrow.FixedWidthTypes.Date32
	Timestamp arrow.DataType = &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}
	Null      arrow.DataType = arrow.Null
)

// SimpleString returns Spark's short SQL name of dt, e.g. "int", "bigint".
func SimpleString(dt arrow.DataType) string {
	switch dt.ID() {
	case arrow.BOOL:
		return "boolean"
	case arrow.INT8:
		return "tinyint"
	case arrow.INT16:
		return "smallint"
	case arrow.INT32:
		return "int"
	case arrow.INT64:
		return "bigint"
	case arrow.FLOAT32:
		return "float"
	case arrow.FLOAT64:
		return "double"
	case arrow.STRING, arrow.LARGE_STRING:
		return "string"
	case arrow.BINARY:
		return "binary"
	case arrow.DATE32:
		return "date"
	case arrow.TIMESTAMP:
		return "timestamp"
	case arrow.NULL:
		return "void"
	case arrow.LIST:
		return "array<" + SimpleString(dt.(*arrow.ListType).Elem()) + ">"
	}
	return dt.String()
}

// TypeName returns the name printSchema uses for dt, e.g. "integer",
// "long".
func TypeName(dt arrow.DataType) string {
	switch dt.ID() {
	case arrow.INT32:
		return "integer"
	case arrow.INT64:
		return "long"
	case arrow.INT16:
		return "short"
	case arrow.INT8:
		return "byte"
	case arrow.LIST:
		return "array"
	}
	return SimpleString(dt)
}

// ParseType parses a Spark SQL type name such as "INT", "bigint",
// "DOUBLE", "string", "date" or "array<int>".
func ParseType(s string) (arrow.DataType, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	if strings.HasPrefix(t, "array<") && strings.HasSuffix(t, ">") {
		elem, err := ParseType(t[6 : len(t)-1])
		if err != nil {
			return nil, err
		}
		return arrow.ListOf(elem), nil
	}
	if i := strings.IndexByte(t, '('); i > 0 { // decimal(10,2), varchar(20)
		t = t[:i]
	}
	switch t {
	case "boolean", "bool":
		return Boolean, nil
	case "int", "integer", "smallint", "tinyint", "short", "byte":
		return Int32, nil
	case "bigint", "long":
		return Int64, nil
	case "double", "float", "real", "decimal", "numeric":
		return Float64, nil
	case "string", "varchar", "char", "text":
		return String, nil
	case "date":
		return Date32, nil
	case "timestamp", "datetime", "timestamp_ntz", "timestamp_ltz":
		return Timestamp, nil
	case "void", "null":
		return Null, nil
	}
	return nil, fmt.Errorf("unknown data type %q", s)
}

// ParseDDL parses a schema written as "a INT, b STRING" (column names may
// be quoted with backticks) into fields, all nullable.
func ParseDDL(ddl string) ([]arrow.Field, error) {
	var fields []arrow.Field
	for _, part := range splitTopLevel(ddl, ',') {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		var name, rest string
		if strings.HasPrefix(part, "`") {
			end := strings.Index(part[1:], "`")
			if end < 0 {
				return nil, fmt.Errorf("schema %q: unclosed backtick", ddl)
			}
			name, rest = part[1:end+1], part[end+2:]
		} else {
			sp := strings.IndexAny(part, " \t:")
			if sp < 0 {
				return nil, fmt.Errorf("schema %q: column %q has no type", ddl, part)
			}
			name, rest = part[:sp], part[sp:]
		}
		rest = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(rest), ":"))
		rest = strings.TrimSuffix(strings.TrimSuffix(strings.ToLower(rest), " not null"), " null")
		dt, err := ParseType(rest)
		if err != nil {
			return nil, fmt.Errorf("schema %q: column %s: %w", ddl, name, err)
		}
		fields = append(fields, arrow.Field{Name: name, Type: dt, Nullable: true})
	}
	if len(fields) == 0 {
		return nil, fmt.Errorf("schema %q has no columns", ddl)
	}
	return fields, nil
}

func splitTopLevel(s string, sep byte) []string {
	var out []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '<', '(':
			depth++
		case '>', ')':
			depth--
		case sep:
			if depth == 0 {
				out = append(out, s[start:i])
				start = i + 1
			}
		}
	}
	return append(out, s[start:])
}

// IsNumeric reports whether dt is int, bigint or double.
func IsNumeric(dt arrow.DataType) bool {
	switch dt.ID() {
	case arrow.INT32, arrow.INT64, arrow.FLOAT64:
		return true
	}
	return false
}

func numericRank(dt arrow.DataType) int {
	switch dt.ID() {
	case arrow.INT32:
		return 1
	case arrow.INT64:
		return 2
	case arrow.FLOAT64:
		return 3
	}
	return 0
}

// CommonType returns the type two operands are cast to before an operator
// combines them, following Spark's implicit widening: int < bigint <
// double; a NULL literal takes the other side's type; a string meets a
// number as a double and a date or timestamp as that type.
func CommonType(a, b arrow.DataType) (arrow.DataType, bool) {
	if arrow.TypeEqual(a, b) {
		return a, true
	}
	if a.ID() == arrow.NULL {
		return b, true
	}
	if b.ID() == arrow.NULL {
		return a, true
	}
	ra, rb := numericRank(a), numericRank(b)
	if ra > 0 && rb > 0 {
		if ra > rb {
			return a, true
		}
		return b, true
	}
	if a.ID() == arrow.STRING && rb > 0 || b.ID() == arrow.STRING && ra > 0 {
		return Float64, true
	}
	if a.ID() == arrow.STRING && (b.ID() == arrow.DATE32 || b.ID() == arrow.TIMESTAMP) {
		return b, true
	}
	if b.ID() == arrow.STRING && (a.ID() == arrow.DATE32 || a.ID() == arrow.TIMESTAMP) {
		return a, true
	}
	if a.ID() == arrow.DATE32 && b.ID() == arrow.TIMESTAMP || a.ID() == arrow.TIMESTAMP && b.ID() == arrow.DATE32 {
		return Timestamp, true
	}
	return nil, false
}
