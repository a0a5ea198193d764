package shell

import (
	"go/ast"
	"go/constant"
	"go/token"
	"sort"
	"strconv"
	"strings"
)

// The prelude's min and max are generic functions, and yaegi infers their
// type parameter from the first argument alone: max(2, 3.5) would
// instantiate max[int] and return 3, and max(1.5, 2.5) fails with "untyped
// float does not implement cmp.Ordered". Calls of the prelude's min and max
// are therefore rewritten: a call whose arguments are all constants is
// folded into its constant result, as Go's built-ins do; in any other call
// the first typed argument is moved to the front so that it fixes the type.

// minMaxEdits returns the edits of the min and max calls in an item.
// isPrelude reports whether a name refers to the prelude helper (it is not
// declared by the session).
func minMaxEdits(src string, it *item, isPrelude func(string) bool) []edit {
	var edits []edit
	var node ast.Node = it.Stmt
	if it.decl {
		node = it.Decl
	}
	ast.Inspect(node, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		id, ok := call.Fun.(*ast.Ident)
		if !ok || id.Obj != nil || (id.Name != "min" && id.Name != "max") || !isPrelude(id.Name) || len(call.Args) == 0 || call.Ellipsis.IsValid() {
			return true
		}
		text := func(e ast.Expr) string { return it.text(src, e) }
		if v, float, ok := foldMinMax(id.Name, call.Args); ok {
			lit := v.ExactString()
			if float && v.Kind() != constant.String {
				f, _ := constant.Float64Val(constant.ToFloat(v))
				lit = strconv.FormatFloat(f, 'g', -1, 64)
				if !strings.ContainsAny(lit, ".e") {
					lit += ".0"
				}
			}
			edits = append(edits, edit{start: it.off(call.Pos()), end: it.off(call.End()), text: "(" + lit + ")"})
			return false
		}
		first := -1
		for k, a := range call.Args {
			if !isConstLit(a) {
				first = k
				break
			}
		}
		if first > 0 {
			args := []string{text(call.Args[first])}
			for k, a := range call.Args {
				if k != first {
					args = append(args, text(a))
				}
			}
			edits = append(edits, edit{start: it.off(call.Pos()), end: it.off(call.End()), text: id.Name + "(" + strings.Join(args, ", ") + ")"})
			return false
		}
		return true
	})
	sort.Slice(edits, func(i, j int) bool { return edits[i].start < edits[j].start })
	return edits
}

// isConstLit reports whether e is a literal constant: 3, -2.5, "s", (1).
func isConstLit(e ast.Expr) bool {
	_, _, ok := constValue(e)
	return ok
}

// constValue evaluates a literal constant expression.
func constValue(e ast.Expr) (constant.Value, bool, bool) {
	switch x := ast.Unparen(e).(type) {
	case *ast.BasicLit:
		v := constant.MakeFromLiteral(x.Value, x.Kind, 0)
		return v, x.Kind == token.FLOAT, v.Kind() != constant.Unknown
	case *ast.UnaryExpr:
		if x.Op != token.SUB && x.Op != token.ADD {
			return nil, false, false
		}
		v, f, ok := constValue(x.X)
		if !ok || v.Kind() == constant.String {
			return nil, false, false
		}
		return constant.UnaryOp(x.Op, v, 0), f, true
	}
	return nil, false, false
}

// foldMinMax computes min or max of constant arguments.
func foldMinMax(name string, args []ast.Expr) (constant.Value, bool, bool) {
	var best constant.Value
	anyFloat := false
	for _, a := range args {
		v, f, ok := constValue(a)
		if !ok {
			return nil, false, false
		}
		anyFloat = anyFloat || f
		if best == nil {
			best = v
			continue
		}
		if (v.Kind() == constant.String) != (best.Kind() == constant.String) {
			return nil, false, false
		}
		op := token.LSS
		if name == "max" {
			op = token.GTR
		}
		if constant.Compare(v, op, best) {
			best = v
		}
	}
	return best, anyFloat, true
}
