package shell

import (
	"go/ast"
	"go/token"
	"reflect"
	"sort"
)

// yaegi v0.16.1 predates range over integers (Go 1.22): `for i := range 10`
// panics with "nil type". The shell rewrites such loops, at the top level
// and inside funcs, into three-clause loops when it can tell that the
// range expression is an integer: a literal, len or cap, arithmetic on
// those, a variable declared with an integer type or value in the cell, or
// a session variable whose value is an integer. The bound is evaluated
// once, as Go does, and i gets its type:
//
//	for i := range n   →   for i, __gs1 := n-n, n; i < __gs1; i++
//
// Other range loops are left alone.

// rangeIntEdits returns the edits of an item's range-over-int loops.
// isIntVar reports whether a session variable holds an integer; hidden
// returns a fresh hidden name.
func rangeIntEdits(src string, it *item, isIntVar func(string) bool, hidden func() string) []edit {
	var edits []edit
	var node ast.Node = it.Stmt
	if it.Stmt == nil {
		node = it.Decl
	}
	ast.Inspect(node, func(n ast.Node) bool {
		rs, ok := n.(*ast.RangeStmt)
		if !ok || rs.Value != nil || !pure(rs.X) || !isIntExpr(rs.X, isIntVar) {
			return true
		}
		x := it.text(src, rs.X)
		var head string
		switch {
		case rs.Key == nil:
			i, end := hidden(), hidden()
			head = "for " + i + ", " + end + " := (" + x + ")-(" + x + "), " + x + "; " + i + " < " + end + "; " + i + "++ "
		case rs.Tok == token.DEFINE:
			k := it.text(src, rs.Key)
			if k == "_" {
				k = hidden()
			}
			end := hidden()
			head = "for " + k + ", " + end + " := (" + x + ")-(" + x + "), " + x + "; " + k + " < " + end + "; " + k + "++ "
		default:
			k := it.text(src, rs.Key)
			head = "for " + k + " = (" + x + ")-(" + x + "); " + k + " < " + x + "; " + k + "++ "
		}
		edits = append(edits, edit{start: it.off(rs.For), end: it.off(rs.Body.Lbrace), text: head})
		return true
	})
	return edits
}

var intKinds = map[string]bool{"int": true, "int8": true, "int16": true, "int32": true, "int64": true,
	"uint": true, "uint8": true, "uint16": true, "uint32": true, "uint64": true, "uintptr": true, "byte": true, "rune": true}

// isIntExpr reports whether e is known to be an integer.
func isIntExpr(e ast.Expr, isIntVar func(string) bool) bool {
	switch x := ast.Unparen(e).(type) {
	case *ast.BasicLit:
		return x.Kind == token.INT
	case *ast.CallExpr:
		if id, ok := x.Fun.(*ast.Ident); ok && id.Obj == nil {
			return id.Name == "len" || id.Name == "cap" || intKinds[id.Name]
		}
	case *ast.BinaryExpr:
		switch x.Op {
		case token.ADD, token.SUB, token.MUL, token.QUO, token.REM, token.SHL, token.SHR, token.AND, token.OR, token.XOR:
			return isIntExpr(x.X, isIntVar) || isIntExpr(x.Y, isIntVar)
		}
	case *ast.UnaryExpr:
		return x.Op == token.SUB && isIntExpr(x.X, isIntVar)
	case *ast.Ident:
		if x.Obj == nil {
			return isIntVar(x.Name)
		}
		return declaredInt(x.Obj, isIntVar)
	}
	return false
}

// declaredInt reports whether a local name was declared as an integer.
func declaredInt(obj *ast.Object, isIntVar func(string) bool) bool {
	switch d := obj.Decl.(type) {
	case *ast.Field:
		id, ok := d.Type.(*ast.Ident)
		return ok && intKinds[id.Name]
	case *ast.ValueSpec:
		if d.Type != nil {
			id, ok := d.Type.(*ast.Ident)
			return ok && intKinds[id.Name]
		}
		for i, n := range d.Names {
			if n.Name == obj.Name && i < len(d.Values) {
				return isIntExpr(d.Values[i], isIntVar)
			}
		}
	case *ast.AssignStmt:
		if len(d.Lhs) == len(d.Rhs) {
			for i, l := range d.Lhs {
				if id, ok := l.(*ast.Ident); ok && id.Name == obj.Name {
					return isIntExpr(d.Rhs[i], isIntVar)
				}
			}
		}
	}
	return false
}

// isIntType reports whether t is an integer type.
func isIntType(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return true
	}
	return false
}

// recordInts notes which variables a top-level item defines as integers,
// for the range loops of later items of the cell.
func recordInts(it *item, ints map[string]bool, isIntVar func(string) bool) {
	switch st := it.Stmt.(type) {
	case *ast.AssignStmt:
		if st.Tok == token.DEFINE && len(st.Lhs) == len(st.Rhs) {
			for i, l := range st.Lhs {
				if id, ok := l.(*ast.Ident); ok {
					ints[id.Name] = isIntExpr(st.Rhs[i], isIntVar)
				}
			}
		}
	}
	if g, ok := it.Decl.(*ast.GenDecl); ok && (g.Tok == token.VAR || g.Tok == token.CONST) {
		for _, spec := range g.Specs {
			vs := spec.(*ast.ValueSpec)
			for i, n := range vs.Names {
				switch {
				case vs.Type != nil:
					id, ok := vs.Type.(*ast.Ident)
					ints[n.Name] = ok && intKinds[id.Name]
				case i < len(vs.Values):
					ints[n.Name] = isIntExpr(vs.Values[i], isIntVar)
				}
			}
		}
	}
}

// mergeEdits combines sorted edit lists, dropping edits inside others.
func mergeEdits(lists ...[]edit) []edit {
	var all []edit
	for _, l := range lists {
		all = append(all, l...)
	}
	sort.Slice(all, func(i, j int) bool {
		if all[i].start != all[j].start {
			return all[i].start < all[j].start
		}
		return all[i].end > all[j].end
	})
	var out []edit
	for _, e := range all {
		if len(out) > 0 && e.start < out[len(out)-1].end {
			continue
		}
		out = append(out, e)
	}
	return out
}
