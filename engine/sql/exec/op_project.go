package exec

import (
	"context"
	"fmt"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"
)

// Project computes one output column per expression.
type Project struct {
	Child Operator
	Exprs []Expr
	S     *arrow.Schema
}

// NewProject returns a projection naming its outputs names.
func NewProject(child Operator, exprs []Expr, names []string) *Project {
	return &Project{Child: child, Exprs: exprs, S: SchemaOf(names, exprs)}
}

// Schema returns the output schema.
func (p *Project) Schema() *arrow.Schema { return p.S }

// Children returns the input.
func (p *Project) Children() []Operator { return []Operator{p.Child} }

// Partitions is the child's.
func (p *Project) Partitions() int { return p.Child.Partitions() }

// String describes a Project on one line, as Explain shows it.
func (p *Project) String() string {
	s := make([]string, len(p.Exprs))
	for i, e := range p.Exprs {
		s[i] = e.String()
		if name := p.S.Field(i).Name; !strings.HasPrefix(s[i], name+"#") {
			s[i] += " AS " + name
		}
	}
	return fmt.Sprintf("Project [%s]", strings.Join(s, ", "))
}

// Execute projects one partition.
func (p *Project) Execute(ctx context.Context, part int) (Stream, error) {
	in, err := p.Child.Execute(ctx, part)
	if err != nil {
		return nil, err
	}
	return &funcStream{close: in.Close, next: func() (arrow.Record, error) {
		rec, err := in.Next()
		if rec == nil || err != nil {
			return nil, err
		}
		defer rec.Release()
		cols, err := evalAll(p.Exprs, rec)
		if err != nil {
			return nil, err
		}
		return NewRecord(p.S, cols, int(rec.NumRows())), nil
	}}, nil
}
