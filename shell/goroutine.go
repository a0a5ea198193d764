package shell

import (
	"fmt"
	"go/ast"
	"reflect"
	"runtime/debug"
	"strconv"
)

// A panic in a goroutine that a cell starts would end the process: yaegi
// re-panics it on a goroutine nothing recovers. The shell therefore starts
// every `go f(x, y)` of a cell through the session, as
// `go __gs.Go("cell 3:2", f, x, y)`: f and its arguments are still
// evaluated by the go statement, and a panic is reported on the cell's
// stderr instead of killing the session.

// goEdits returns the edits that route an item's go statements through
// the session.
func goEdits(src string, it *item, n int) []edit {
	var edits []edit
	var node ast.Node = it.Stmt
	if it.Stmt == nil {
		node = it.Decl
	}
	ast.Inspect(node, func(nd ast.Node) bool {
		g, ok := nd.(*ast.GoStmt)
		if !ok || g.Call.Ellipsis.IsValid() {
			return true
		}
		if id, ok := g.Call.Fun.(*ast.Ident); ok && id.Obj == nil && builtins[id.Name] {
			return true
		}
		line, col := lineCol(src, it.off(g.Pos()))
		site := strconv.Quote(cellPos{Cell: n, Line: line, Col: col}.String())
		fun := it.off(g.Call.Fun.Pos())
		lp := it.off(g.Call.Lparen)
		edits = append(edits, edit{start: fun, end: fun, text: runtimeName + ".Go(" + site + ", "})
		if len(g.Call.Args) == 0 {
			edits = append(edits, edit{start: lp, end: lp + 1, text: ""})
		} else {
			edits = append(edits, edit{start: lp, end: lp + 1, text: ", "})
		}
		return true
	})
	return edits
}

var builtins = map[string]bool{"append": true, "cap": true, "clear": true, "close": true, "complex": true, "copy": true,
	"delete": true, "imag": true, "len": true, "make": true, "new": true, "panic": true, "print": true, "println": true,
	"real": true, "recover": true, "min": true, "max": true}

// goFunc is __gs.Go: it calls f with args, reporting a panic on the
// session's stderr.
func (s *Session) goFunc(site string, f any, args ...any) {
	defer func() {
		if r := recover(); r != nil {
			msg := fmt.Sprintf("panic in the goroutine started at %s: %v", site, r)
			for _, l := range compiledFrames(string(debug.Stack())) {
				msg += "\n" + l
			}
			fmt.Fprintln(s.stderr.File(), s.posText(msg))
		}
	}()
	fv := reflect.ValueOf(f)
	if fv.Kind() != reflect.Func {
		panic(fmt.Sprintf("go: %v is not a func", fv.Type()))
	}
	ft := fv.Type()
	in := make([]reflect.Value, len(args))
	for i, a := range args {
		var want reflect.Type
		switch {
		case ft.IsVariadic() && i >= ft.NumIn()-1:
			want = ft.In(ft.NumIn() - 1).Elem()
		case i < ft.NumIn():
			want = ft.In(i)
		default:
			panic(fmt.Sprintf("go: too many arguments for %v", ft))
		}
		v := reflect.ValueOf(a)
		switch {
		case a == nil:
			v = reflect.Zero(want)
		case !v.Type().AssignableTo(want) && v.Type().ConvertibleTo(want):
			v = v.Convert(want)
		}
		in[i] = v
	}
	fv.Call(in)
}
