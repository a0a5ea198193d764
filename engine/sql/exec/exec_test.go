package exec

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
)

// record builds a record from JSON rows with the checked allocator.
func record(t *testing.T, mem memory.Allocator, schema *arrow.Schema, rows string) arrow.Record {
	t.Helper()
	rec, _, err := array.RecordFromJSON(mem, schema, strings.NewReader(rows))
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

var testSchema = arrow.NewSchema([]arrow.Field{
	{Name: "k", Type: String, Nullable: true},
	{Name: "i", Type: Int32, Nullable: true},
	{Name: "l", Type: Int64, Nullable: true},
	{Name: "d", Type: Float64, Nullable: true},
	{Name: "b", Type: Boolean, Nullable: true},
}, nil)

const testRows = `[
 {"k": "a", "i": 1, "l": 10, "d": 1.5, "b": true},
 {"k": "b", "i": 2, "l": 20, "d": null, "b": false},
 {"k": "a", "i": null, "l": 30, "d": 2.5, "b": null},
 {"k": null, "i": 4, "l": 0, "d": -1, "b": true}
]`

func col(i int) *ColumnRef {
	return &ColumnRef{Index: i, Name: testSchema.Field(i).Name, T: testSchema.Field(i).Type}
}

func rowValues(a arrow.Array) []any {
	out := make([]any, a.Len())
	for i := range out {
		out[i] = ValueAt(a, i)
	}
	return out
}

func eq(a, b []any) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		fa, ok1 := a[i].(float64)
		fb, ok2 := b[i].(float64)
		if ok1 && ok2 && (fa == fb || math.IsNaN(fa) && math.IsNaN(fb)) {
			continue
		}
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestKernels(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	rec := record(t, mem, testSchema, testRows)
	defer rec.Release()
	cases := []struct {
		name string
		e    Expr
		want []any
	}{
		{"add", &Arith{Op: '+', L: col(1), R: &Literal{Val: int32(1), T: Int32}}, []any{int32(2), int32(3), nil, int32(5)}},
		{"mul vec", &Arith{Op: '*', L: col(2), R: col(2)}, []any{int64(100), int64(400), int64(900), int64(0)}},
		{"div by zero is null", &Arith{Op: '/', L: &Cast{X: col(2), T: Float64}, R: &Cast{X: col(2), T: Float64}}, []any{1.0, 1.0, 1.0, nil}},
		{"mod", &Arith{Op: '%', L: col(2), R: &Literal{Val: int64(7), T: Int64}}, []any{int64(3), int64(6), int64(2), int64(0)}},
		{"negate", &Negate{X: col(3)}, []any{-1.5, nil, -2.5, 1.0}},
		{"compare", &Compare{Op: GT, L: col(3), R: &Literal{Val: 1.0, T: Float64}}, []any{true, nil, true, false}},
		{"compare strings", &Compare{Op: EQ, L: col(0), R: &Literal{Val: "a", T: String}}, []any{true, false, true, nil}},
		{"null-safe equal", &Compare{Op: EQNullSafe, L: col(1), R: col(1)}, []any{true, true, true, true}},
		{"and kleene", &And{L: col(4), R: &Compare{Op: GT, L: col(2), R: &Literal{Val: int64(15), T: Int64}}}, []any{false, false, nil, false}},
		{"or kleene", &Or{L: col(4), R: &Compare{Op: GT, L: col(2), R: &Literal{Val: int64(15), T: Int64}}}, []any{true, true, true, true}},
		{"not", &Not{X: col(4)}, []any{false, true, nil, false}},
		{"isnull", &IsNull{X: col(3)}, []any{false, true, false, false}},
		{"coalesce", &Coalesce{Args: []Expr{col(3), &Literal{Val: 0.0, T: Float64}}, T: Float64}, []any{1.5, 0.0, 2.5, -1.0}},
		{"case", &CaseWhen{Conds: []Expr{&Compare{Op: GT, L: col(2), R: &Literal{Val: int64(15), T: Int64}}}, Vals: []Expr{&Literal{Val: "big", T: String}}, Else: &Literal{Val: "small", T: String}, T: String}, []any{"small", "big", "big", "small"}},
		{"case no else", &CaseWhen{Conds: []Expr{col(4)}, Vals: []Expr{col(1)}, T: Int32}, []any{int32(1), nil, nil, int32(4)}},
		{"in", &In{X: col(0), List: []*Literal{{Val: "b", T: String}, {Val: "c", T: String}}}, []any{false, true, false, nil}},
		{"in with null", &In{X: col(1), List: []*Literal{{Val: int32(1), T: Int32}, {T: Int32}}}, []any{true, nil, nil, nil}},
		{"cast to string", &Cast{X: col(3), T: String}, []any{"1.5", nil, "2.5", "-1.0"}},
		{"cast string to int", &Cast{X: &Literal{Val: "42", T: String}, T: Int32}, []any{int32(42), int32(42), int32(42), int32(42)}},
		{"cast bad string", &Cast{X: &Literal{Val: "x", T: String}, T: Int64}, []any{nil, nil, nil, nil}},
		{"round", &Round{X: &Literal{Val: 2.345, T: Float64}, Scale: 2}, []any{2.35, 2.35, 2.35, 2.35}},
		{"pow", &Pow{X: col(3), Y: &Literal{Val: 2.0, T: Float64}}, []any{2.25, nil, 6.25, 1.0}},
	}
	for _, c := range cases {
		a, err := c.e.Eval(rec)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if got := rowValues(a); !eq(got, c.want) {
			t.Errorf("%s = %v, want %v", c.name, got, c.want)
		}
		a.Release()
	}
}

func TestScalarFunctions(t *testing.T) {
	str := func(s string) *Literal { return &Literal{Val: s, T: String} }
	i32 := func(v int32) *Literal { return &Literal{Val: v, T: Int32} }
	rec := NewRecord(arrow.NewSchema(nil, nil), nil, 1)
	defer rec.Release()
	cases := []struct {
		fn   string
		args []*Literal
		want any
	}{
		{"upper", []*Literal{str("abc")}, "ABC"},
		{"lower", []*Literal{str("ABC")}, "abc"},
		{"trim", []*Literal{str("  x ")}, "x"},
		{"length", []*Literal{str("héllo")}, int32(5)},
		{"substring", []*Literal{str("spark"), i32(2), i32(3)}, "par"},
		{"substring", []*Literal{str("spark"), i32(-3), i32(2)}, "ar"},
		{"concat", []*Literal{str("a"), str("b")}, "ab"},
		{"concat_ws", []*Literal{str("-"), str("a"), {T: String}, str("c")}, "a-c"},
		{"regexp_replace", []*Literal{str("a1b22"), str(`(\d+)`), str("<$1>")}, "a<1>b<22>"},
		{"regexp_extract", []*Literal{str("id=42;"), str(`id=(\d+)`), i32(1)}, "42"},
		{"like", []*Literal{str("spark"), str("sp%k")}, true},
		{"like", []*Literal{str("spark"), str("s_")}, false},
		{"rlike", []*Literal{str("spark"), str("ar")}, true},
		{"lpad", []*Literal{str("7"), i32(3), str("0")}, "007"},
		{"split", []*Literal{str("a,b,,c"), str(",")}, []any{"a", "b", "", "c"}},
		{"to_date", []*Literal{str("2024-02-29")}, arrow.Date32(19782)},
		{"to_date", []*Literal{str("29/02/2024"), str("dd/MM/yyyy")}, arrow.Date32(19782)},
		{"to_date", []*Literal{str("2024-02-30")}, nil},
		{"year", []*Literal{{Val: arrow.Date32(19782), T: Date32}}, int32(2024)},
		{"dayofweek", []*Literal{{Val: arrow.Date32(19782), T: Date32}}, int32(5)},
		{"date_add", []*Literal{{Val: arrow.Date32(19782), T: Date32}, i32(1)}, arrow.Date32(19783)},
		{"datediff", []*Literal{{Val: arrow.Date32(19783), T: Date32}, {Val: arrow.Date32(19780), T: Date32}}, int32(3)},
		{"add_months", []*Literal{{Val: arrow.Date32(19753), T: Date32}, i32(1)}, arrow.Date32(19782)},
		{"abs", []*Literal{{Val: int64(-3), T: Int64}}, int64(3)},
		{"sqrt", []*Literal{{Val: -1.0, T: Float64}}, nil},
	}
	for _, c := range cases {
		types := make([]arrow.DataType, len(c.args))
		for i, a := range c.args {
			types[i] = a.T
		}
		def, err := LookupScalar(c.fn, len(c.args))
		if err != nil {
			t.Fatal(err)
		}
		argTypes, ret, err := def.Resolve(types)
		if err != nil {
			t.Fatal(err)
		}
		args := make([]Expr, len(c.args))
		lits := make([]any, len(c.args))
		for i, a := range c.args {
			args[i] = a
			if !arrow.TypeEqual(a.T, argTypes[i]) {
				args[i] = &Cast{X: a, T: argTypes[i]}
			}
			lits[i] = a.Val
		}
		k, err := def.Build(lits, ret)
		if err != nil {
			t.Fatal(err)
		}
		out, err := (&Func{Name: c.fn, Args: args, T: ret, Kernel: k}).Eval(rec)
		if err != nil {
			t.Errorf("%s: %v", c.fn, err)
			continue
		}
		got := ValueAt(out, 0)
		if l, ok := got.([]any); ok {
			if w, ok := c.want.([]any); !ok || !eq(l, w) {
				t.Errorf("%s%v = %v, want %v", c.fn, c.args, got, c.want)
			}
		} else if got != c.want {
			t.Errorf("%s(%v) = %v (%T), want %v", c.fn, lits, got, got, c.want)
		}
		out.Release()
	}
}

func TestGroupTables(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	rec := record(t, mem, testSchema, testRows)
	defer rec.Release()
	cases := []struct {
		cols []int
		want []int32
	}{
		{[]int{0}, []int32{0, 1, 0, 2}},       // strings with a NULL group
		{[]int{1}, []int32{0, 1, 2, 3}},       // ints with a NULL group
		{[]int{0, 4}, []int32{0, 1, 2, 3}},    // string + bool
		{[]int{0, 0}, []int32{0, 1, 0, 2}},    // repeated column
		{[]int{3}, []int32{0, 1, 2, 3}},       // doubles
		{[]int{2}, []int32{0, 1, 2, 3}},       // bigints
		{[]int{0, 1, 2}, []int32{0, 1, 2, 3}}, // three columns
		{[]int{1, 1}, []int32{0, 1, 2, 3}},    // int pair with a NULL
	}
	for _, c := range cases {
		keys := make([]arrow.Array, len(c.cols))
		types := make([]arrow.DataType, len(c.cols))
		for i, k := range c.cols {
			keys[i] = rec.Column(k)
			types[i] = keys[i].DataType()
		}
		tab := NewGroupTable(types)
		gids := make([]int32, rec.NumRows())
		tab.Insert(keys, gids)
		for i := range gids {
			if gids[i] != c.want[i] {
				t.Errorf("cols %v: gids %v, want %v", c.cols, gids, c.want)
				break
			}
		}
		// Inserting again finds the same groups; lookups agree.
		again := make([]int32, rec.NumRows())
		tab.Insert(keys, again)
		tab.Lookup(keys, gids)
		for i := range gids {
			if gids[i] != c.want[i] || again[i] != c.want[i] {
				t.Errorf("cols %v: second pass %v / lookup %v", c.cols, again, gids)
				break
			}
		}
		// Keys round-trip, NULLs included.
		out := tab.Keys()
		for i, k := range out {
			for g := 0; g < k.Len(); g++ {
				row := -1
				for r, id := range c.want {
					if int(id) == g {
						row = r
						break
					}
				}
				if ValueAt(k, g) != ValueAt(keys[i], row) {
					t.Errorf("cols %v: key %d of group %d = %v, want %v", c.cols, i, g, ValueAt(k, g), ValueAt(keys[i], row))
				}
			}
			k.Release()
		}
	}
	// Many groups force the tables to grow.
	n := 100000
	ints := make([]int64, n)
	for i := range ints {
		ints[i] = int64(i % 40000)
	}
	a := FixedArray(Int64, ints, nil)
	s := castToString(a)
	for _, keys := range [][]arrow.Array{{a}, {s}, {a, s}} {
		types := make([]arrow.DataType, len(keys))
		for i, k := range keys {
			types[i] = k.DataType()
		}
		tab := NewGroupTable(types)
		gids := make([]int32, n)
		tab.Insert(keys, gids)
		if tab.Len() != 40000 || gids[40000] != 0 || gids[n-1] != gids[n-1-40000] {
			t.Errorf("%d key columns: %d groups", len(keys), tab.Len())
		}
	}
	a.Release()
	s.Release()
	// Short (packed) and long (hashed) strings mix in one table.
	var b StringBuilder
	b.Offsets = []int32{0}
	for i := 0; i < 3000; i++ {
		b.AppendString(strings.Repeat("x", i%40) + FormatValue(int64(i%500), Int64))
	}
	mixed := b.Finish()
	tab := NewGroupTable([]arrow.DataType{String})
	gids := make([]int32, mixed.Len())
	tab.Insert([]arrow.Array{mixed}, gids)
	keys := tab.Keys()[0]
	for i := range gids {
		if ValueAt(keys, int(gids[i])) != ValueAt(mixed, i) {
			t.Fatalf("row %d: group %d holds %v, row is %v", i, gids[i], ValueAt(keys, int(gids[i])), ValueAt(mixed, i))
		}
	}
	if tab.Len() != 1000 {
		t.Errorf("mixed strings: %d groups, want 1000", tab.Len())
	}
	keys.Release()
	mixed.Release()
}

// run executes an operator and returns its rows as strings.
func run(t *testing.T, op Operator) []string {
	t.Helper()
	recs, err := Collect(context.Background(), op)
	if err != nil {
		t.Fatal(err)
	}
	defer ReleaseAll(recs)
	var out []string
	for _, r := range recs {
		for i := 0; i < int(r.NumRows()); i++ {
			var parts []string
			for c := 0; c < int(r.NumCols()); c++ {
				parts = append(parts, FormatValue(ValueAt(r.Column(c), i), r.Column(c).DataType()))
			}
			out = append(out, strings.Join(parts, "|"))
		}
	}
	return out
}

func TestOperatorsReleaseBatches(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	p1 := record(t, mem, testSchema, testRows)
	p2 := record(t, mem, testSchema, testRows)
	scan := &MemoryScan{Name: "t", S: testSchema, Parts: [][]arrow.Record{{p1}, {p2}}}
	defer p1.Release()
	defer p2.Release()
	sumL := &AggFunc{Name: "sum", Args: []Expr{col(2)}, T: Int64}
	cnt := &AggFunc{Name: "count", T: Int64}
	keyRef := &ColumnRef{Index: 0, Name: "k", T: String}
	partial := NewHashAggregate(scan, Partial, []Expr{col(0)}, []*AggFunc{sumL, cnt}, []string{"k", "s", "c"})
	ex := &Exchange{Child: partial, Kind: HashPartitioning, Keys: []Expr{keyRef}, N: 3}
	final := NewHashAggregate(ex, Final, []Expr{keyRef}, []*AggFunc{sumL, cnt}, []string{"k", "s", "c"})
	got := strings.Join(sortStrings(run(t, final)), ",")
	if got != "NULL|0|2,a|80|4,b|40|2" {
		t.Errorf("partial/final aggregate: %s", got)
	}
	sorted := &Sort{Child: &Exchange{Child: scan, Kind: SinglePartition, N: 1}, Keys: []SortKey{{X: col(3), Desc: true, NullsFirst: true}}}
	if got := strings.Join(run(t, &Project{Child: sorted, Exprs: []Expr{col(3)}, S: SchemaOf([]string{"d"}, []Expr{col(3)})}), ","); got != "NULL,NULL,2.5,2.5,1.5,1.5,-1.0,-1.0" {
		t.Errorf("sort: %s", got)
	}
	top := &TopN{Child: scan, Keys: []SortKey{{X: col(2)}}, N: 1}
	if got := strings.Join(run(t, top), ","); got != "NULL|4|0|-1.0|true,NULL|4|0|-1.0|true" {
		t.Errorf("top-n per partition: %s", got)
	}
	lim := &Limit{Child: &Exchange{Child: &Limit{Child: scan, N: 3}, Kind: SinglePartition, N: 1}, N: 3, Offset: 1}
	if n := len(run(t, lim)); n != 3 {
		t.Errorf("limit: %d rows", n)
	}
	filt := &Filter{Child: scan, Pred: &Compare{Op: GT, L: col(2), R: &Literal{Val: int64(15), T: Int64}}}
	if n := len(run(t, filt)); n != 4 {
		t.Errorf("filter: %d rows", n)
	}
	// Each partition probes both partitions: per probe partition a matches
	// 4 rows twice, b 2 rows once, the NULL key stays unmatched.
	join := NewHashJoin(scan, scan, LeftOuterJoin, []Expr{col(0)}, []Expr{col(0)}, nil, true)
	if n := len(run(t, join)); n != 2*(2*4+2+1) {
		t.Errorf("join: %d rows", n)
	}
	win := NewWindow(&Exchange{Child: scan, Kind: HashPartitioning, Keys: []Expr{col(0)}, N: 2}, []Expr{col(0)}, []SortKey{{X: col(2)}},
		[]*WindowFunc{{Name: "row_number", T: Int32}}, []string{"rn"})
	if n := len(run(t, win)); n != 8 {
		t.Errorf("window: %d rows", n)
	}
	u := &Union{Inputs: []Operator{scan, scan}}
	if n := len(run(t, u)); n != 16 {
		t.Errorf("union: %d rows", n)
	}
}

func sortStrings(s []string) []string {
	out := append([]string(nil), s...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

func TestHashJoinTypes(t *testing.T) {
	ls := arrow.NewSchema([]arrow.Field{{Name: "k", Type: Int32, Nullable: true}, {Name: "v", Type: String, Nullable: true}}, nil)
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	l := record(t, mem, ls, `[{"k":1,"v":"a"},{"k":2,"v":"b"},{"k":null,"v":"n"}]`)
	r := record(t, mem, ls, `[{"k":1,"v":"x"},{"k":1,"v":"y"},{"k":3,"v":"z"},{"k":null,"v":"m"}]`)
	defer l.Release()
	defer r.Release()
	left := &MemoryScan{S: ls, Parts: [][]arrow.Record{{l}}}
	right := &MemoryScan{S: ls, Parts: [][]arrow.Record{{r}}}
	k := &ColumnRef{Index: 0, Name: "k", T: Int32}
	for _, bc := range []bool{true, false} {
		for typ, want := range map[JoinType]string{
			InnerJoin:     "1|a|1|x,1|a|1|y",
			LeftOuterJoin: "1|a|1|x,1|a|1|y,2|b|NULL|NULL,NULL|n|NULL|NULL",
			FullOuterJoin: "1|a|1|x,1|a|1|y,2|b|NULL|NULL,NULL|NULL|3|z,NULL|NULL|NULL|m,NULL|n|NULL|NULL",
			LeftSemiJoin:  "1|a",
			LeftAntiJoin:  "2|b,NULL|n",
		} {
			if bc && typ == FullOuterJoin {
				continue
			}
			j := NewHashJoin(left, right, typ, []Expr{k}, []Expr{k}, nil, bc)
			if got := strings.Join(sortStrings(run(t, j)), ","); got != want {
				t.Errorf("%s (broadcast %v): %s, want %s", typ, bc, got, want)
			}
		}
	}
	// Residual condition and a nested-loop join without keys.
	cond := &Compare{Op: NE, L: &ColumnRef{Index: 3, T: String}, R: &Literal{Val: "x", T: String}}
	j := NewHashJoin(left, right, LeftOuterJoin, []Expr{k}, []Expr{k}, cond, true)
	if got := strings.Join(sortStrings(run(t, j)), ","); got != "1|a|1|y,2|b|NULL|NULL,NULL|n|NULL|NULL" {
		t.Errorf("residual: %s", got)
	}
	nl := NewHashJoin(left, right, InnerJoin, nil, nil, nil, true)
	if n := len(run(t, nl)); n != 12 {
		t.Errorf("nested loop: %d rows", n)
	}
}

func TestFormatDouble(t *testing.T) {
	for v, want := range map[float64]string{1: "1.0", 0.5: "0.5", 1e10: "1.0E10", 1.5e-5: "1.5E-5", -2.25: "-2.25", 12345678.9: "1.23456789E7", math.NaN(): "NaN", math.Inf(1): "Infinity"} {
		if got := FormatDouble(v); got != want {
			t.Errorf("FormatDouble(%v) = %s, want %s", v, got, want)
		}
	}
}

// TestRadixAggregate sends more than radixRows rows to a Final aggregate,
// which then aggregates hash ranges one at a time.
func TestRadixAggregate(t *testing.T) {
	const n = radixRows + 300000
	keys := make([]int64, n)
	vals := make([]int64, n)
	for i := range keys {
		keys[i] = int64(i % 400000)
		vals[i] = 1
	}
	schema := arrow.NewSchema([]arrow.Field{{Name: "k", Type: Int64}, {Name: "v", Type: Int64}}, nil)
	rec := NewRecord(schema, []arrow.Array{FixedArray(Int64, keys, nil), FixedArray(Int64, vals, nil)}, n)
	var parts [][]arrow.Record
	for off := int64(0); off < n; off += BatchSize {
		parts = append(parts, []arrow.Record{rec.NewSlice(off, min(off+BatchSize, n))})
	}
	rec.Release()
	scan := &MemoryScan{S: schema, Parts: parts}
	k := &ColumnRef{Index: 0, Name: "k", T: Int64}
	sum := &AggFunc{Name: "sum", Args: []Expr{&ColumnRef{Index: 1, Name: "v", T: Int64}}, T: Int64}
	partial := NewHashAggregate(scan, Partial, []Expr{k}, []*AggFunc{sum}, []string{"k", "s"})
	final := NewHashAggregate(&Exchange{Child: partial, Kind: SinglePartition, N: 1}, Final, []Expr{k}, []*AggFunc{sum}, []string{"k", "s"})
	recs, err := Collect(context.Background(), final)
	if err != nil {
		t.Fatal(err)
	}
	groups, total := 0, int64(0)
	for _, r := range recs {
		groups += int(r.NumRows())
		for _, v := range r.Column(1).(*array.Int64).Int64Values() {
			total += v
		}
	}
	ReleaseAll(recs)
	for _, p := range parts {
		ReleaseAll(p)
	}
	if groups != 400000 || total != n {
		t.Errorf("radix aggregate: %d groups, total %d; want 400000, %d", groups, total, n)
	}
}
