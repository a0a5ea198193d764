package sql

import (
	"context"
	"fmt"
	"strings"

	"gospark/engine/sql/exec"
	"gospark/engine/sql/plan"
)

// ExplainString renders the plans: mode "simple" (the physical plan),
// "extended" (analyzed and optimized logical plans too) or "formatted".
func (df *DataFrame) ExplainString(mode ...string) string {
	m := "simple"
	if len(mode) > 0 {
		m = strings.ToLower(mode[0])
	}
	ctx := context.Background()
	var b strings.Builder
	opt, err := df.s.prepare(ctx, df.plan)
	if err != nil {
		panic(err)
	}
	op, err := df.s.planner().Plan(opt)
	if err != nil {
		panic(err)
	}
	switch m {
	case "simple", "formatted", "codegen", "cost":
		b.WriteString("== Physical Plan ==\n")
		b.WriteString(exec.Format(op))
	case "extended":
		b.WriteString("== Analyzed Logical Plan ==\n")
		b.WriteString(schemaLine(df))
		b.WriteString(plan.Format(df.plan))
		b.WriteString("\n== Optimized Logical Plan ==\n")
		b.WriteString(plan.Format(opt))
		b.WriteString("\n== Physical Plan ==\n")
		b.WriteString(exec.Format(op))
	default:
		panic(&AnalysisError{Msg: fmt.Sprintf("unknown explain mode %q (simple, extended, formatted)", m)})
	}
	return b.String()
}

func schemaLine(df *DataFrame) string {
	var parts []string
	for _, a := range df.plan.Output() {
		parts = append(parts, a.Name+": "+exec.SimpleString(a.T))
	}
	return strings.Join(parts, ", ") + "\n"
}

// Explain prints the plans (see ExplainString).
func (df *DataFrame) Explain(mode ...string) { fmt.Print(df.ExplainString(mode...)) }
