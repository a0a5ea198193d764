// Command gen writes data.go, the documentation table of gospark's
// packages: go run ./gen import/path...
package main

import (
	"fmt"
	"os"

	"gospark/shell/internal/docs"
)

func main() {
	src, err := docs.Generate(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := os.WriteFile("data.go", src, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
