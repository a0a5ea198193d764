package shell_test

import (
	"context"
	"errors"
	"fmt"
	"os"

	"gospark/engine"
	"gospark/shell"
)

// A session evaluates cells against a live engine context; a failing cell
// returns a *CellError that names the line and suggests a fix.
func ExampleSession() {
	s, err := shell.NewSession(shell.Options{Conf: engine.Conf{"spark.master": "local[2]"}, Stdout: os.Stdout})
	if err != nil {
		panic(err)
	}
	defer s.Close()
	ctx := context.Background()

	r, _ := s.Eval(ctx, `words := sc.Parallelize([]string{"a b", "b c"}).FlatMap(strings.Fields)
words.Count()`)
	fmt.Println(r.Text)

	_, err = s.Eval(ctx, "words.Colect()")
	var ce *shell.CellError
	if errors.As(err, &ce) {
		fmt.Println(ce.Kind, ce.Line, ce.Column, ce.Msg, "|", ce.Hint)
	}

	matches, _, _ := s.Complete("words.Redu", 10)
	fmt.Println(matches)
	// Output:
	// 4
	// CompileError 1 7 undefined method: Colect | did you mean Collect?
	// [Reduce ReduceByKey]
}
