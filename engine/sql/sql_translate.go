package sql

import (
	"errors"
	"fmt"
	"runtime"
	"strings"

	"github.com/pingcap/tidb/pkg/parser"
	"github.com/pingcap/tidb/pkg/parser/ast"
	_ "github.com/pingcap/tidb/pkg/parser/test_driver" // literal values for the parser

	"gospark/engine/sql/exec"
	"gospark/engine/sql/plan"
)

// translator turns parsed statements into logical plans, building them
// with the DataFrame API so that SQL and DataFrames resolve alike.
type translator struct {
	s       *Session
	ctes    []map[string]plan.Node
	windows map[string]ast.WindowSpec
	// scopes are the FROM columns of the queries being translated, the
	// innermost last; inSubquery counts IN/EXISTS subqueries entered.
	scopes     [][]plan.Attr
	inSubquery int
}

// guard runs f and turns a panic with an analysis or parse error into an
// error.
func (t *translator) guard(f func()) (err error) {
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(runtime.Error); ok {
				panic(r)
			}
			e, ok := r.(error)
			if !ok {
				panic(r)
			}
			var ae *AnalysisError
			var pe *ParseError
			if errors.As(e, &ae) || errors.As(e, &pe) {
				err = e
				return
			}
			panic(r)
		}
	}()
	f()
	return nil
}

func (t *translator) parse(q string) ast.StmtNode {
	p := parser.New()
	st, err := p.ParseOneStmt(sparkToMySQL(q), "", "")
	if err != nil {
		panic(&ParseError{SQL: q, Err: err})
	}
	return st
}

func (t *translator) parseSelect(q string) *ast.SelectStmt {
	sel, ok := t.parse(q).(*ast.SelectStmt)
	if !ok {
		panic(&ParseError{SQL: q, Err: errors.New("not a SELECT")})
	}
	return sel
}

// SQL runs a SQL statement and returns its result as a DataFrame. SELECT
// (with joins, GROUP BY, HAVING, ORDER BY, LIMIT, DISTINCT, CASE, CTEs,
// subqueries, UNION/INTERSECT/EXCEPT, window functions), CREATE [OR
// REPLACE] TEMPORARY VIEW … AS SELECT, DROP VIEW, SHOW TABLES and
// EXPLAIN are supported. Errors panic (*ParseError, *AnalysisError).
func (s *Session) SQL(query string) *DataFrame {
	t := &translator{s: s, windows: map[string]ast.WindowSpec{}}
	var out *DataFrame
	q := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(query), ";"))
	upper := strings.ToUpper(q)
	switch {
	case strings.HasPrefix(upper, "EXPLAIN"):
		mode := "simple"
		rest := strings.TrimSpace(q[len("EXPLAIN"):])
		for _, m := range []string{"EXTENDED", "FORMATTED", "CODEGEN", "COST"} {
			if strings.HasPrefix(strings.ToUpper(rest), m) {
				mode = strings.ToLower(m)
				rest = strings.TrimSpace(rest[len(m):])
			}
		}
		text := s.SQL(rest).ExplainString(mode)
		return s.stringTable("plan", []string{text})
	case strings.HasPrefix(upper, "SHOW TABLES"):
		return s.stringTable("tableName", s.TableNames())
	case strings.HasPrefix(upper, "CREATE") && strings.Contains(upper, "VIEW"):
		return s.createView(t, q)
	case strings.HasPrefix(upper, "DROP VIEW"):
		name := strings.Fields(q)[len(strings.Fields(q))-1]
		s.DropTempView(strings.Trim(name, "`"))
		return s.stringTable("result", nil)
	case strings.HasPrefix(upper, "CACHE TABLE"):
		name := strings.Trim(strings.Fields(q)[2], "`")
		s.Table(name).Cache()
		return s.stringTable("result", nil)
	}
	err := t.guard(func() {
		st := t.parse(q)
		out = t.s.df(t.statement(st))
	})
	if err != nil {
		panic(err)
	}
	return out
}

func (s *Session) createView(t *translator, q string) *DataFrame {
	upper := strings.ToUpper(q)
	i := strings.Index(upper, " AS ")
	if i < 0 {
		panic(&ParseError{SQL: q, Err: errors.New("CREATE VIEW needs AS SELECT …")})
	}
	head := strings.Fields(q[:i])
	name := strings.Trim(head[len(head)-1], "`")
	df := s.SQL(q[i+4:])
	if !strings.Contains(upper[:i], "REPLACE") {
		df.CreateTempView(name)
	} else {
		df.CreateOrReplaceTempView(name)
	}
	return s.stringTable("result", nil)
}

// stringTable is a one-column DataFrame of strings.
func (s *Session) stringTable(col string, vals []string) *DataFrame {
	rows := make([][]any, len(vals))
	for i, v := range vals {
		rows[i] = []any{v}
	}
	return s.CreateDataFrame(rows, col+" STRING")
}

func (t *translator) statement(st ast.StmtNode) plan.Node {
	switch x := st.(type) {
	case *ast.SelectStmt:
		return t.selectStmt(x)
	case *ast.SetOprStmt:
		return t.setOpr(x)
	}
	panic(&AnalysisError{Msg: fmt.Sprintf("unsupported statement %T", st)})
}

func (t *translator) subquery(n ast.Node) plan.Node {
	switch x := n.(type) {
	case *ast.SubqueryExpr:
		return t.subquery(x.Query)
	case *ast.SelectStmt:
		return t.selectStmt(x)
	case *ast.SetOprStmt:
		return t.setOpr(x)
	}
	panic(&AnalysisError{Msg: fmt.Sprintf("unsupported subquery %T", n)})
}

func (t *translator) withCTEs(w *ast.WithClause, f func() plan.Node) plan.Node {
	if w == nil {
		return f()
	}
	scope := map[string]plan.Node{}
	t.ctes = append(t.ctes, scope)
	defer func() { t.ctes = t.ctes[:len(t.ctes)-1] }()
	for _, c := range w.CTEs {
		if c.IsRecursive || w.IsRecursive {
			panic(&AnalysisError{Msg: "recursive CTEs are not supported"})
		}
		n := t.subquery(c.Query)
		if len(c.ColNameList) > 0 {
			n = renameColumns(n, c.ColNameList)
		}
		scope[c.Name.L] = n
	}
	return f()
}

func renameColumns(n plan.Node, names []ast.CIStr) plan.Node {
	out := n.Output()
	if len(names) != len(out) {
		panic(&AnalysisError{Msg: fmt.Sprintf("%d column names given for %d columns", len(names), len(out))})
	}
	exprs := make([]plan.Expr, len(out))
	for i, a := range out {
		exprs[i] = &plan.Alias{X: &plan.AttrRef{A: a}, Alias: names[i].O, ID: plan.NewID()}
	}
	return &plan.Project{Child: n, Exprs: exprs}
}

func (t *translator) setOpr(x *ast.SetOprStmt) plan.Node {
	return t.withCTEs(x.With, func() plan.Node {
		var cur *DataFrame
		for i, s := range x.SelectList.Selects {
			var n plan.Node
			var op *ast.SetOprType
			switch q := s.(type) {
			case *ast.SelectStmt:
				n, op = t.selectStmt(q), q.AfterSetOperator
			case *ast.SetOprSelectList:
				n, op = t.setOpr(&ast.SetOprStmt{SelectList: q, With: q.With, OrderBy: q.OrderBy, Limit: q.Limit}), q.AfterSetOperator
			default:
				panic(&AnalysisError{Msg: fmt.Sprintf("unsupported set operand %T", s)})
			}
			df := t.s.df(n)
			if i == 0 {
				cur = df
				continue
			}
			switch *op {
			case ast.Union:
				cur = cur.Union(df).Distinct()
			case ast.UnionAll:
				cur = cur.Union(df)
			case ast.Intersect:
				cur = cur.Distinct().Join(df, setCond(cur, df), "left_semi")
			case ast.Except:
				cur = cur.Distinct().Join(df, setCond(cur, df), "left_anti")
			default:
				panic(&AnalysisError{Msg: fmt.Sprintf("%s is not supported", op)})
			}
		}
		return t.orderLimit(cur, x.OrderBy, x.Limit, nil).plan
	})
}

// setCond matches every column of a with b's by position, NULL-safely.
func setCond(a, b *DataFrame) Column {
	ao, bo := a.plan.Output(), b.plan.Output()
	if len(ao) != len(bo) {
		panic(&AnalysisError{Msg: fmt.Sprintf("set operation on inputs with %d and %d columns", len(ao), len(bo))})
	}
	var c Column
	for i := range ao {
		eq := Column{&plan.ColumnRef{Col: ao[i].Name, ID: ao[i].ID}}.EqNullSafe(Column{&plan.ColumnRef{Col: bo[i].Name, ID: bo[i].ID}})
		if i == 0 {
			c = eq
		} else {
			c = c.And(eq)
		}
	}
	return c
}

func (t *translator) table(name string) plan.Node {
	// Every reference gets its own attribute ids (a table may appear more
	// than once in a query).
	for i := len(t.ctes) - 1; i >= 0; i-- {
		if n, ok := t.ctes[i][strings.ToLower(name)]; ok {
			return &plan.SubqueryAlias{Child: plan.Reinstance(n), Alias: name}
		}
	}
	n, err := t.s.lookupView(name)
	if err != nil {
		panic(err)
	}
	a := n.(*plan.SubqueryAlias)
	return &plan.SubqueryAlias{Child: plan.Reinstance(a.Child), Alias: a.Alias}
}

func (t *translator) from(n ast.ResultSetNode) *DataFrame {
	switch x := n.(type) {
	case *ast.TableSource:
		var df *DataFrame
		switch src := x.Source.(type) {
		case *ast.TableName:
			name := src.Name.O
			if src.Schema.O != "" {
				df = t.fileTable(src.Schema.L, src.Name.O)
			} else {
				df = t.s.df(t.table(name))
			}
			if x.AsName.O != "" {
				df = df.Alias(x.AsName.O)
			}
		default:
			df = t.s.df(t.subquery(src))
			alias := x.AsName.O
			if alias == "" {
				alias = "__subquery"
			}
			df = df.Alias(alias)
		}
		if len(x.ColumnNames) > 0 {
			df = t.s.df(renameColumns(df.plan, x.ColumnNames))
		}
		return df
	case *ast.Join:
		left := t.from(x.Left)
		if x.Right == nil {
			return left
		}
		right := t.from(x.Right)
		how := "inner"
		switch x.Tp {
		case ast.LeftJoin:
			how = "left"
		case ast.RightJoin:
			how = "right"
		}
		if x.NaturalJoin {
			var common []string
			for _, c := range left.Columns() {
				for _, d := range right.Columns() {
					if strings.EqualFold(c, d) {
						common = append(common, c)
					}
				}
			}
			return left.Join(right, common, how)
		}
		if len(x.Using) > 0 {
			var cols []string
			for _, c := range x.Using {
				cols = append(cols, c.Name.O)
			}
			return left.Join(right, cols, how)
		}
		if x.On == nil {
			if how == "inner" {
				return left.CrossJoin(right)
			}
			panic(&AnalysisError{Msg: "an outer join needs ON or USING"})
		}
		cond := t.expr(x.On.Expr)
		cond, marker := stripJoinMarker(cond)
		switch marker {
		case "full_join":
			how = "full"
		case "semi_join":
			how = "left_semi"
		case "anti_join":
			how = "left_anti"
		}
		return left.Join(right, Column{cond}, how)
	}
	panic(&AnalysisError{Msg: fmt.Sprintf("unsupported FROM item %T", n)})
}

// fileTable reads csv.`path`, parquet.`path` or json.`path`.
func (t *translator) fileTable(format, path string) *DataFrame {
	r := t.s.Read()
	switch format {
	case "csv":
		return r.Option("header", "true").Option("inferSchema", "true").CSV(path)
	case "json":
		return r.JSON(path)
	case "parquet":
		return r.Parquet(path)
	}
	return t.s.df(t.table(format + "." + path))
}

// stripJoinMarker removes the gs_*_join() marker the dialect rewrite put
// at the leftmost leaf of an ON condition.
func stripJoinMarker(e plan.Expr) (plan.Expr, string) {
	c, ok := e.(*plan.Call)
	if !ok {
		return e, ""
	}
	if strings.HasSuffix(c.Fn, "_join") && len(c.Args) == 0 {
		return &plan.Lit{Val: true, T: exec.Boolean}, strings.TrimPrefix(c.Fn, "gs_")
	}
	if c.Fn == "and" {
		if m, ok := c.Args[0].(*plan.Call); ok && strings.HasSuffix(m.Fn, "_join") && len(m.Args) == 0 {
			return c.Args[1], strings.TrimPrefix(m.Fn, "gs_")
		}
	}
	if len(c.Args) > 0 {
		inner, marker := stripJoinMarker(c.Args[0])
		if marker != "" {
			n := *c
			n.Args = append([]plan.Expr{inner}, c.Args[1:]...)
			return &n, marker
		}
	}
	return e, ""
}
