// Package symbols holds the yaegi symbol tables of gospark's packages, the
// compiled code that interpreted cells call: `go generate` runs
// `yaegi extract` over the packages listed below, and a test fails when the
// generated files no longer match the sources.
package symbols

import "reflect"

//go:generate go run github.com/traefik/yaegi/cmd/yaegi extract gospark/engine gospark/engine/rdd gospark/engine/scheduler gospark/engine/storage gospark/engine/accum gospark/engine/sql gospark/display

// Symbols maps "import/path/name" to the package's exported symbols, in the
// form interp.Interpreter.Use wants.
var Symbols = map[string]map[string]reflect.Value{}
