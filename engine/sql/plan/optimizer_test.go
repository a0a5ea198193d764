package plan

import (
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"

	"gospark/engine/sql/exec"
)

func rel(names ...string) *Relation {
	var attrs []Attr
	for _, n := range names {
		attrs = append(attrs, Attr{ID: NewID(), Name: n, T: exec.Int64})
	}
	return &Relation{Kind: MemorySource, Attrs: attrs, Label: "t"}
}

func ref(a Attr) Expr { return &AttrRef{A: a} }

func lit(v int64) Expr { return &Lit{Val: v, T: exec.Int64} }

func op(fn string, args ...Expr) Expr {
	e, err := ResolveCall(&Call{Fn: fn}, args)
	if err != nil {
		panic(err)
	}
	return e
}

func TestFoldConstants(t *testing.T) {
	r := rel("a")
	cases := []struct {
		in   Expr
		want string
	}{
		{op("+", lit(1), lit(2)), "3"},
		{op(">", ref(r.Attrs[0]), op("*", lit(2), lit(5))), "(a#%d > 10)"},
		{op("and", op("=", lit(1), lit(1)), op(">", ref(r.Attrs[0]), lit(0))), "(a#%d > 0)"},
		{op("or", op("=", lit(1), lit(2)), op(">", ref(r.Attrs[0]), lit(0))), "(a#%d > 0)"},
		{op("and", op("=", lit(1), lit(2)), op(">", ref(r.Attrs[0]), lit(0))), "false"},
		{&Cast{X: &Lit{Val: "7", T: exec.String}, T: exec.Int32}, "7"},
	}
	for _, c := range cases {
		got := Transform(c.in, FoldConstants).String()
		want := strings.ReplaceAll(c.want, "%d", itoa(r.Attrs[0].ID))
		if got != want {
			t.Errorf("fold %s = %s, want %s", c.in, got, want)
		}
	}
}

func itoa(v int64) string {
	return strings.TrimSpace(strings.Repeat(" ", 0) + formatInt(v))
}

func formatInt(v int64) string { return exec.FormatValue(v, exec.Int64) }

func TestPushDownAndPrune(t *testing.T) {
	r := rel("a", "b", "c")
	a, b := r.Attrs[0], r.Attrs[1]
	// Filter(Filter(Project(a, b+1 AS x))) with conditions on a and x.
	x := &Alias{X: op("+", ref(b), lit(1)), Alias: "x", ID: NewID()}
	p := &Project{Child: r, Exprs: []Expr{ref(a), x}}
	f := &Filter{Child: &Filter{Child: p, Cond: op(">", ref(a), lit(1))}, Cond: op(">", ref(AttrOf(x)), lit(5))}
	opt := Optimize(&Project{Child: f, Exprs: []Expr{ref(a)}})
	got := Format(opt)
	// Both conditions reach the relation (x substituted by b + 1); c is
	// pruned; no Filter remains above.
	if strings.Contains(got, "- Filter") || !strings.Contains(got, "PushedFilters") || strings.Contains(got, "c#") {
		t.Errorf("optimized plan:\n%s", got)
	}
	if !strings.Contains(got, "(b#"+itoa(b.ID)+" + 1) > 5") {
		t.Errorf("x not substituted:\n%s", got)
	}
	// Through an inner join, each side gets its own conjuncts.
	l, rr := rel("k", "v"), rel("k2", "w")
	j := &Join{Left: l, Right: rr, Type: Inner, Cond: op("=", ref(l.Attrs[0]), ref(rr.Attrs[0]))}
	cond := op("and", op(">", ref(l.Attrs[1]), lit(1)), op("<", ref(rr.Attrs[1]), lit(2)))
	opt = Optimize(&Filter{Child: j, Cond: cond})
	got = Format(opt)
	if strings.Count(got, "PushedFilters") != 2 || strings.HasPrefix(got, "Filter") {
		t.Errorf("join pushdown:\n%s", got)
	}
	// A left join keeps conditions on the right side above the join.
	lj := &Join{Left: l, Right: rr, Type: LeftOuter, Cond: op("=", ref(l.Attrs[0]), ref(rr.Attrs[0]))}
	opt = Optimize(&Filter{Child: lj, Cond: cond})
	if got := Format(opt); !strings.HasPrefix(got, "Filter") || strings.Count(got, "PushedFilters") != 1 {
		t.Errorf("left join pushdown:\n%s", got)
	}
}

func TestSplitAggregate(t *testing.T) {
	r := rel("g", "v")
	sum := op("sum", ref(r.Attrs[1]))
	res := &Alias{X: op("-", sum, op("min", ref(r.Attrs[1]))), Alias: "r", ID: NewID()}
	keys, aggs, calls, results, err := SplitAggregate([]Expr{ref(r.Attrs[0])}, []Expr{ref(r.Attrs[0]), res, &Alias{X: sum, Alias: "s", ID: NewID()}})
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 1 || len(aggs) != 2 || len(calls) != 2 || len(results) != 3 {
		t.Errorf("split: %d keys, %d aggs, %d calls, %d results", len(keys), len(aggs), len(calls), len(results))
	}
	if _, _, _, _, err := SplitAggregate([]Expr{ref(r.Attrs[0])}, []Expr{ref(r.Attrs[1])}); err == nil {
		t.Error("non-grouped column accepted")
	}
}

func TestResolveErrors(t *testing.T) {
	in := []Attr{{ID: NewID(), Name: "name", T: exec.String}, {ID: NewID(), Name: "age", T: exec.Int32}}
	_, err := Resolve(&ColumnRef{Col: "agee"}, in)
	if err == nil || !strings.Contains(err.Error(), `did you mean "age"`) {
		t.Errorf("suggestion: %v", err)
	}
	_, err = Resolve(&Call{Fn: "+", Args: []Expr{&ColumnRef{Col: "age"}, &Lit{Val: true, T: exec.Boolean}}}, in)
	if err == nil {
		t.Error("int + boolean accepted")
	}
	e, err := Resolve(&Call{Fn: "+", Args: []Expr{&ColumnRef{Col: "age"}, &Lit{Val: 1.5, T: exec.Float64}}}, in)
	if err != nil || !arrow.TypeEqual(e.Type(), exec.Float64) || e.Name() != "(age + 1.5)" {
		t.Errorf("widening: %v %v %v", e, err, e.Type())
	}
	dup := append(in, Attr{ID: NewID(), Name: "age", Qualifier: "t", T: exec.Int32})
	if _, err := Resolve(&ColumnRef{Col: "age"}, dup); err == nil || !strings.Contains(err.Error(), "ambiguous") {
		t.Errorf("ambiguity: %v", err)
	}
	if _, err := Resolve(&ColumnRef{Col: "age", Qualifier: "t"}, dup); err != nil {
		t.Errorf("qualified: %v", err)
	}
}
