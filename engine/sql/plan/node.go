package plan

import (
	"fmt"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"

	"gospark/engine/sql/exec"
	"gospark/engine/sql/source"
)

// Node is a logical operator. Nodes are immutable once built; optimizer
// rules return new nodes.
type Node interface {
	// Output is the node's columns.
	Output() []Attr
	// Children returns the inputs.
	Children() []Node
	// String describes the node on one line, for Explain.
	String() string
}

func attrList(as []Attr) string {
	s := make([]string, len(as))
	for i, a := range as {
		s[i] = a.String()
	}
	return "[" + strings.Join(s, ", ") + "]"
}

func exprList(es []Expr) string {
	s := make([]string, len(es))
	for i, e := range es {
		s[i] = e.String()
	}
	return "[" + strings.Join(s, ", ") + "]"
}

// Format renders a logical plan as an indented tree.
func Format(n Node) string {
	var b strings.Builder
	var walk func(n Node, prefix string, last bool, root bool)
	walk = func(n Node, prefix string, last bool, root bool) {
		if !root {
			b.WriteString(prefix)
			if last {
				b.WriteString("+- ")
			} else {
				b.WriteString(":- ")
			}
		}
		b.WriteString(n.String())
		b.WriteByte('\n')
		cs := n.Children()
		np := prefix
		if !root {
			if last {
				np += "   "
			} else {
				np += ":  "
			}
		}
		for i, c := range cs {
			walk(c, np, i == len(cs)-1, false)
		}
	}
	walk(n, "", true, true)
	return b.String()
}

// SourceKind says where a Relation's rows come from.
type SourceKind int

// The relation sources.
const (
	MemorySource SourceKind = iota
	CSVSource
	JSONSource
	ParquetSource
)

// Relation is a leaf: rows from files or memory. Columns and Filters are
// set by the optimizer (projection and predicate pushdown).
type Relation struct {
	Kind  SourceKind
	Attrs []Attr
	// Memory holds the partitions of a MemorySource.
	Memory [][]arrow.Record
	// CSV, JSON and Parquet describe file sources.
	CSV     *source.CSVSource
	JSON    *source.JSONSource
	Parquet *source.ParquetSource
	// Pruned lists the attrs (by position in Attrs) the scan produces;
	// nil means all.
	Pruned []int
	// Filters are conjuncts pushed into the scan (Parquet row groups are
	// skipped with them; all sources apply them).
	Filters []Expr
	Label   string
	// PartCols are columns found in key=value folders; their attributes
	// are the last len(PartCols) of Attrs.
	PartCols []source.PartitionColumn
}

// Output returns the produced columns.
func (r *Relation) Output() []Attr {
	if r.Pruned == nil {
		return r.Attrs
	}
	out := make([]Attr, len(r.Pruned))
	for i, p := range r.Pruned {
		out[i] = r.Attrs[p]
	}
	return out
}

// Children returns none.
func (r *Relation) Children() []Node { return nil }

// String describes a Relation on one line, as Explain shows it.
func (r *Relation) String() string {
	s := fmt.Sprintf("Relation %s %s", attrList(r.Output()), r.Label)
	if len(r.Filters) > 0 {
		s += ", PushedFilters: " + exprList(r.Filters)
	}
	return s
}

// Project computes Exprs (each an AttrRef or an Alias).
type Project struct {
	Child Node
	Exprs []Expr
}

// Output returns one attribute per expression.
func (p *Project) Output() []Attr { return namedAttrs(p.Exprs) }

// Children returns the input.
func (p *Project) Children() []Node { return []Node{p.Child} }

// String describes a Project on one line, as Explain shows it.
func (p *Project) String() string { return "Project " + exprList(p.Exprs) }

// namedAttrs returns the attributes defined by named expressions.
func namedAttrs(es []Expr) []Attr {
	out := make([]Attr, len(es))
	for i, e := range es {
		out[i] = AttrOf(e)
	}
	return out
}

// AttrOf returns the attribute a named expression defines.
func AttrOf(e Expr) Attr {
	switch x := e.(type) {
	case *AttrRef:
		return x.A
	case *Alias:
		return Attr{ID: x.ID, Name: x.Alias, T: x.X.Type()}
	}
	panic(fmt.Sprintf("plan: %s is not a named expression", e))
}

// Filter keeps rows where Cond is true.
type Filter struct {
	Child Node
	Cond  Expr
}

// Output is the child's.
func (f *Filter) Output() []Attr { return f.Child.Output() }

// Children returns the inputs of a Filter.
func (f *Filter) Children() []Node { return []Node{f.Child} }

// String describes a Filter on one line, as Explain shows it.
func (f *Filter) String() string { return "Filter " + f.Cond.String() }

// Aggregate groups by Groups and computes Aggs (named expressions over
// grouping expressions and aggregate calls).
type Aggregate struct {
	Child  Node
	Groups []Expr
	Aggs   []Expr
}

// Output returns the aggregate expressions' attributes.
func (a *Aggregate) Output() []Attr { return namedAttrs(a.Aggs) }

// Children returns the inputs of an Aggregate.
func (a *Aggregate) Children() []Node { return []Node{a.Child} }

// String describes an Aggregate on one line, as Explain shows it.
func (a *Aggregate) String() string {
	return "Aggregate " + exprList(a.Groups) + ", " + exprList(a.Aggs)
}

// JoinType is the kind of join.
type JoinType int

// The join types.
const (
	Inner JoinType = iota
	LeftOuter
	RightOuter
	FullOuter
	LeftSemi
	LeftAnti
	Cross
)

var joinNames = [...]string{"Inner", "LeftOuter", "RightOuter", "FullOuter", "LeftSemi", "LeftAnti", "Cross"}

// String describes a JoinType on one line, as Explain shows it.
func (t JoinType) String() string { return joinNames[t] }

// ParseJoinType parses Spark's join type names.
func ParseJoinType(s string) (JoinType, error) {
	switch strings.ReplaceAll(strings.ToLower(s), "_", "") {
	case "inner", "":
		return Inner, nil
	case "left", "leftouter", "outerleft":
		return LeftOuter, nil
	case "right", "rightouter":
		return RightOuter, nil
	case "full", "fullouter", "outer":
		return FullOuter, nil
	case "leftsemi", "semi":
		return LeftSemi, nil
	case "leftanti", "anti":
		return LeftAnti, nil
	case "cross":
		return Cross, nil
	}
	return 0, fmt.Errorf("unsupported join type %q (supported: inner, cross, outer, full, fullouter, full_outer, left, leftouter, left_outer, right, rightouter, right_outer, semi, leftsemi, left_semi, anti, leftanti, left_anti)", s)
}

// Join joins Left and Right on Cond (nil for a cross join).
type Join struct {
	Left, Right Node
	Type        JoinType
	Cond        Expr
	// Broadcast marks a side hinted with broadcast(df): 0 none, 1 left,
	// 2 right.
	Broadcast int
}

// Output is left then right, or left only for semi and anti joins.
func (j *Join) Output() []Attr {
	if j.Type == LeftSemi || j.Type == LeftAnti {
		return j.Left.Output()
	}
	return append(append([]Attr{}, j.Left.Output()...), j.Right.Output()...)
}

// Children returns the inputs of a Join.
func (j *Join) Children() []Node { return []Node{j.Left, j.Right} }

// String describes a Join on one line, as Explain shows it.
func (j *Join) String() string {
	if j.Cond == nil {
		return "Join " + j.Type.String()
	}
	return fmt.Sprintf("Join %s, %s", j.Type, j.Cond)
}

// Sort orders rows; Global sorts across partitions.
type Sort struct {
	Child  Node
	Orders []*SortOrder
	Global bool
}

// Output is the child's.
func (s *Sort) Output() []Attr { return s.Child.Output() }

// Children returns the inputs of a Sort.
func (s *Sort) Children() []Node { return []Node{s.Child} }

// String describes a Sort on one line, as Explain shows it.
func (s *Sort) String() string {
	es := make([]Expr, len(s.Orders))
	for i, o := range s.Orders {
		es[i] = o
	}
	return fmt.Sprintf("Sort %s, %v", exprList(es), s.Global)
}

// Limit keeps N rows after skipping Offset.
type Limit struct {
	Child     Node
	N, Offset int
}

// Output is the child's.
func (l *Limit) Output() []Attr { return l.Child.Output() }

// Children returns the inputs of a Limit.
func (l *Limit) Children() []Node { return []Node{l.Child} }

// String describes a Limit on one line, as Explain shows it.
func (l *Limit) String() string { return fmt.Sprintf("GlobalLimit %d", l.N) }

// Distinct removes duplicate rows.
type Distinct struct{ Child Node }

// Output is the child's.
func (d *Distinct) Output() []Attr { return d.Child.Output() }

// Children returns the inputs of a Distinct.
func (d *Distinct) Children() []Node { return []Node{d.Child} }

// String describes a Distinct on one line, as Explain shows it.
func (d *Distinct) String() string { return "Distinct" }

// Union is UNION ALL of inputs with the same column types; the output takes
// the first input's attributes.
type Union struct{ Inputs []Node }

// Output is the first input's.
func (u *Union) Output() []Attr { return u.Inputs[0].Output() }

// Children returns the inputs of an Union.
func (u *Union) Children() []Node { return u.Inputs }

// String describes an Union on one line, as Explain shows it.
func (u *Union) String() string { return "Union" }

// Window computes window expressions (Aliases of WindowExpr) and appends
// them to the child's columns.
type Window struct {
	Child Node
	Exprs []Expr
}

// Output is the child's columns and the window columns.
func (w *Window) Output() []Attr {
	return append(append([]Attr{}, w.Child.Output()...), namedAttrs(w.Exprs)...)
}

// Children returns the inputs of a Window.
func (w *Window) Children() []Node { return []Node{w.Child} }

// String describes a Window on one line, as Explain shows it.
func (w *Window) String() string { return "Window " + exprList(w.Exprs) }

// SubqueryAlias names a relation (FROM t AS x, df.Alias("x")).
type SubqueryAlias struct {
	Child Node
	Alias string
}

// Output is the child's attributes qualified by the alias.
func (s *SubqueryAlias) Output() []Attr {
	out := append([]Attr{}, s.Child.Output()...)
	for i := range out {
		out[i].Qualifier = s.Alias
	}
	return out
}

// Children returns the inputs of a SubqueryAlias.
func (s *SubqueryAlias) Children() []Node { return []Node{s.Child} }

// String describes a SubqueryAlias on one line, as Explain shows it.
func (s *SubqueryAlias) String() string { return "SubqueryAlias " + s.Alias }

// Sample keeps each row with probability Fraction (Bernoulli sampling),
// seeded per partition.
type Sample struct {
	Child    Node
	Fraction float64
	Seed     int64
}

// Output is the child's.
func (s *Sample) Output() []Attr { return s.Child.Output() }

// Children returns the inputs of a Sample.
func (s *Sample) Children() []Node { return []Node{s.Child} }

// String describes a Sample on one line, as Explain shows it.
func (s *Sample) String() string { return fmt.Sprintf("Sample %g, seed %d", s.Fraction, s.Seed) }

// Repartition redistributes rows into N partitions: by hash of Keys, round
// robin when there are none, or without a shuffle (Coalesce).
type Repartition struct {
	Child   Node
	N       int
	Keys    []Expr
	Shuffle bool
}

// Output is the child's.
func (r *Repartition) Output() []Attr { return r.Child.Output() }

// Children returns the inputs of a Repartition.
func (r *Repartition) Children() []Node { return []Node{r.Child} }

// String describes a Repartition on one line, as Explain shows it.
func (r *Repartition) String() string {
	if !r.Shuffle {
		return fmt.Sprintf("Repartition %d, false", r.N)
	}
	if len(r.Keys) > 0 {
		return fmt.Sprintf("RepartitionByExpression %s, %d", exprList(r.Keys), r.N)
	}
	return fmt.Sprintf("Repartition %d, true", r.N)
}

// Schema returns the Arrow schema of attrs.
func Schema(attrs []Attr) *arrow.Schema {
	fs := make([]arrow.Field, len(attrs))
	for i, a := range attrs {
		fs[i] = arrow.Field{Name: a.Name, Type: a.T, Nullable: true}
	}
	return arrow.NewSchema(fs, nil)
}

// AttrsOf makes fresh attributes for a schema.
func AttrsOf(s *arrow.Schema) []Attr {
	out := make([]Attr, s.NumFields())
	for i, f := range s.Fields() {
		t := f.Type
		if !isEngineType(t) {
			t = engineType(t)
		}
		out[i] = Attr{ID: NewID(), Name: f.Name, T: t}
	}
	return out
}

func isEngineType(t arrow.DataType) bool {
	switch t.ID() {
	case arrow.BOOL, arrow.INT32, arrow.INT64, arrow.FLOAT64, arrow.STRING, arrow.DATE32, arrow.NULL:
		return true
	case arrow.TIMESTAMP:
		return arrow.TypeEqual(t, exec.Timestamp)
	case arrow.LIST:
		return isEngineType(t.(*arrow.ListType).Elem())
	}
	return false
}

// engineType maps any Arrow type to the engine's set (see exec.Int32…).
func engineType(t arrow.DataType) arrow.DataType {
	switch t.ID() {
	case arrow.INT8, arrow.INT16, arrow.UINT8, arrow.UINT16:
		return exec.Int32
	case arrow.UINT32, arrow.UINT64, arrow.INT64:
		return exec.Int64
	case arrow.FLOAT16, arrow.FLOAT32, arrow.DECIMAL128, arrow.DECIMAL256:
		return exec.Float64
	case arrow.TIMESTAMP:
		return exec.Timestamp
	case arrow.LIST, arrow.LARGE_LIST:
		return arrow.ListOf(engineType(t.(arrow.ListLikeType).Elem()))
	case arrow.DATE64:
		return exec.Date32
	}
	if isEngineType(t) {
		return t
	}
	return exec.String
}

// Generate produces one row per element of an array expression (explode),
// with the child's columns repeated; Outer keeps rows whose array is NULL
// or empty, with a NULL element.
type Generate struct {
	Child Node
	Array Expr
	Outer bool
	Elem  Attr
	// Keep lists the child columns carried beside the element (nil: all);
	// column pruning drops the ones nobody needs, such as the array's
	// source, which would otherwise be copied once per element.
	Keep []Attr
}

// Output is the kept child columns and the element column.
func (g *Generate) Output() []Attr {
	keep := g.Keep
	if keep == nil {
		keep = g.Child.Output()
	}
	return append(append([]Attr{}, keep...), g.Elem)
}

// Children returns the input.
func (g *Generate) Children() []Node { return []Node{g.Child} }

// String describes a Generate on one line.
func (g *Generate) String() string {
	fn := "explode"
	if g.Outer {
		fn = "explode_outer"
	}
	return fmt.Sprintf("Generate %s(%s), [%s]", fn, g.Array, g.Elem)
}

// Reinstance gives n's columns fresh attribute ids (Spark's newInstance),
// so that a relation used twice in one query — a self-join, a correlated
// subquery over the same table — has distinct attributes on each side.
func Reinstance(n Node) Node {
	if a, ok := n.(*SubqueryAlias); ok {
		return &SubqueryAlias{Child: Reinstance(a.Child), Alias: a.Alias}
	}
	out := n.Output()
	exprs := make([]Expr, len(out))
	for i, a := range out {
		exprs[i] = &Alias{X: &AttrRef{A: a}, Alias: a.Name, ID: NewID()}
	}
	return &Project{Child: n, Exprs: exprs}
}

// SharesAttrs reports whether two plans output an attribute with the same
// id.
func SharesAttrs(a, b Node) bool {
	ids := map[int64]bool{}
	for _, x := range a.Output() {
		ids[x.ID] = true
	}
	for _, x := range b.Output() {
		if ids[x.ID] {
			return true
		}
	}
	return false
}
