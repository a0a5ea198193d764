package sql

import (
	"fmt"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"

	"gospark/engine/sql/exec"
	"gospark/engine/sql/plan"
)

// Union appends the rows of other, matching columns by position (UNION
// ALL; use Distinct for UNION).
func (df *DataFrame) Union(other *DataFrame) *DataFrame {
	a, b := df.plan.Output(), other.plan.Output()
	if len(a) != len(b) {
		panic(&AnalysisError{Msg: fmt.Sprintf("Union can only be performed on inputs with the same number of columns, but the first has %d and the second %d", len(a), len(b))})
	}
	for i := range a {
		if _, ok := exec.CommonType(a[i].T, b[i].T); !ok {
			panic(&AnalysisError{Msg: fmt.Sprintf("Union: column %d is %s in the first input and %s in the second", i+1, exec.SimpleString(a[i].T), exec.SimpleString(b[i].T))})
		}
	}
	return df.with(unionNodes(df.plan, other.plan))
}

// unionNodes widens column types so both inputs agree.
func unionNodes(l, r plan.Node) plan.Node {
	a, b := l.Output(), r.Output()
	castSide := func(n plan.Node, types []arrow.DataType) plan.Node {
		out := n.Output()
		need := false
		exprs := make([]plan.Expr, len(out))
		for i, at := range out {
			exprs[i] = &plan.AttrRef{A: at}
			if !arrow.TypeEqual(at.T, types[i]) {
				exprs[i] = &plan.Alias{X: plan.CastTo(exprs[i], types[i]), Alias: at.Name, ID: plan.NewID()}
				need = true
			}
		}
		if !need {
			return n
		}
		return &plan.Project{Child: n, Exprs: exprs}
	}
	types := make([]arrow.DataType, len(a))
	for i := range a {
		types[i], _ = exec.CommonType(a[i].T, b[i].T)
		if types[i] == nil {
			types[i] = exec.String
		}
	}
	return &plan.Union{Inputs: []plan.Node{castSide(l, types), castSide(r, types)}}
}

// UnionByName appends the rows of other, matching columns by name; with
// allowMissing, columns missing on either side are NULL.
func (df *DataFrame) UnionByName(other *DataFrame, allowMissing ...bool) *DataFrame {
	missingOK := len(allowMissing) > 0 && allowMissing[0]
	left := df
	if missingOK {
		var extra []any
		extra = append(extra, "*")
		for _, b := range other.plan.Output() {
			if !hasName(df.plan.Output(), b.Name) {
				extra = append(extra, Lit(nil).Cast(exec.SimpleString(b.T)).Alias(b.Name))
			}
		}
		if len(extra) > 1 {
			left = df.Select(extra...)
		}
	}
	var exprs []any
	for _, a := range left.plan.Output() {
		if hasName(other.plan.Output(), a.Name) {
			exprs = append(exprs, other.Col(a.Name))
		} else if missingOK {
			exprs = append(exprs, Lit(nil).Cast(exec.SimpleString(a.T)).Alias(a.Name))
		} else {
			panic(&AnalysisError{Msg: fmt.Sprintf("UnionByName: column %q is missing from the second DataFrame %s (pass allowMissing=true to fill NULLs)", a.Name, strings.Join(other.Columns(), ", "))})
		}
	}
	return left.Union(other.Select(exprs...))
}

func hasName(as []plan.Attr, name string) bool {
	for _, a := range as {
		if strings.EqualFold(a.Name, name) {
			return true
		}
	}
	return false
}

// Sample keeps each row with probability fraction; seed makes it
// repeatable.
func (df *DataFrame) Sample(fraction float64, seed ...int64) *DataFrame {
	if fraction < 0 || fraction > 1 {
		panic(&AnalysisError{Msg: fmt.Sprintf("Sample fraction must be in [0, 1], got %g", fraction)})
	}
	s := int64(42)
	if len(seed) > 0 {
		s = seed[0]
	}
	return df.with(&plan.Sample{Child: df.plan, Fraction: fraction, Seed: s})
}

// Repartition redistributes the rows into n partitions, by hash of cols
// when given, else round robin.
func (df *DataFrame) Repartition(n int, cols ...any) *DataFrame {
	if n <= 0 {
		panic(&AnalysisError{Msg: fmt.Sprintf("Repartition needs a positive partition count, got %d", n)})
	}
	var keys []plan.Expr
	for _, c := range toColumns(cols) {
		keys = append(keys, df.resolve(c))
	}
	return df.with(&plan.Repartition{Child: df.plan, N: n, Keys: keys, Shuffle: true})
}

// Coalesce reduces the number of partitions to n without a shuffle.
func (df *DataFrame) Coalesce(n int) *DataFrame {
	if n <= 0 {
		panic(&AnalysisError{Msg: fmt.Sprintf("Coalesce needs a positive partition count, got %d", n)})
	}
	return df.with(&plan.Repartition{Child: df.plan, N: n})
}

// Cache keeps the DataFrame's rows in memory (as Arrow batches) once an
// action computes them; later queries over it read them from there.
func (df *DataFrame) Cache() *DataFrame {
	df.s.mu.Lock()
	defer df.s.mu.Unlock()
	if _, ok := df.s.cache[df.plan]; !ok {
		df.s.cache[df.plan] = &cacheEntry{}
	}
	return df
}

// Persist is Cache (every storage level keeps Arrow batches in memory for
// now).
func (df *DataFrame) Persist(level ...any) *DataFrame { return df.Cache() }

// Unpersist drops the cached rows.
func (df *DataFrame) Unpersist() *DataFrame {
	df.s.mu.Lock()
	defer df.s.mu.Unlock()
	if e, ok := df.s.cache[df.plan]; ok {
		for _, p := range e.parts {
			exec.ReleaseAll(p)
		}
		delete(df.s.cache, df.plan)
	}
	return df
}

// IsCached reports whether Cache was called.
func (df *DataFrame) IsCached() bool {
	df.s.mu.Lock()
	defer df.s.mu.Unlock()
	_, ok := df.s.cache[df.plan]
	return ok
}

// CreateOrReplaceTempView registers the DataFrame for SQL under name.
func (df *DataFrame) CreateOrReplaceTempView(name string) {
	df.s.mu.Lock()
	defer df.s.mu.Unlock()
	df.s.views[strings.ToLower(name)] = df.plan
}

// CreateTempView registers the DataFrame under name; it panics if the
// name is taken.
func (df *DataFrame) CreateTempView(name string) {
	df.s.mu.Lock()
	_, taken := df.s.views[strings.ToLower(name)]
	df.s.mu.Unlock()
	if taken {
		panic(&AnalysisError{Msg: fmt.Sprintf("temporary view %s already exists", name)})
	}
	df.CreateOrReplaceTempView(name)
}
