package exec

import (
	"context"
	"fmt"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
)

// Generate is explode: one output row per element of an array column,
// the input row's columns repeated beside the element. With Outer, a row
// whose array is NULL or empty gives one row with a NULL element.
type Generate struct {
	Child Operator
	Array Expr
	Outer bool
	// Keep are the child columns carried beside the element.
	Keep []int
	S    *arrow.Schema
}

// NewGenerate builds the operator; elem names the element column, keep
// lists the child columns to carry.
func NewGenerate(child Operator, arr Expr, outer bool, elem string, keep []int) *Generate {
	et := arr.Type().(*arrow.ListType).Elem()
	var fs []arrow.Field
	for _, k := range keep {
		fs = append(fs, child.Schema().Field(k))
	}
	fs = append(fs, arrow.Field{Name: elem, Type: et, Nullable: true})
	return &Generate{Child: child, Array: arr, Outer: outer, Keep: keep, S: arrow.NewSchema(fs, nil)}
}

// Schema is the child's columns and the element.
func (g *Generate) Schema() *arrow.Schema { return g.S }

// Children returns the input.
func (g *Generate) Children() []Operator { return []Operator{g.Child} }

// Partitions is the child's.
func (g *Generate) Partitions() int { return g.Child.Partitions() }

// String describes a Generate on one line, as Explain shows it.
func (g *Generate) String() string {
	if g.Outer {
		return fmt.Sprintf("Generate explode_outer(%s)", g.Array)
	}
	return fmt.Sprintf("Generate explode(%s)", g.Array)
}

// Execute explodes one partition batch by batch.
func (g *Generate) Execute(ctx context.Context, p int) (Stream, error) {
	in, err := g.Child.Execute(ctx, p)
	if err != nil {
		return nil, err
	}
	return FuncStream(func() (arrow.Record, error) {
		for {
			rec, err := in.Next()
			if rec == nil || err != nil {
				return nil, err
			}
			out, err := g.explode(rec)
			rec.Release()
			if err != nil {
				return nil, err
			}
			if out.NumRows() > 0 {
				return out, nil
			}
			out.Release()
		}
	}, in.Close), nil
}

func (g *Generate) explode(rec arrow.Record) (arrow.Record, error) {
	a, err := g.Array.Eval(rec)
	if err != nil {
		return nil, err
	}
	defer a.Release()
	l := a.(*array.List)
	var rows, elems []int32
	contiguous := !g.Outer
	for i := 0; i < l.Len(); i++ {
		beg, end := l.ValueOffsets(i)
		if l.IsNull(i) || beg == end {
			if g.Outer {
				rows, elems = append(rows, int32(i)), append(elems, -1)
			}
			continue
		}
		for j := beg; j < end; j++ {
			rows, elems = append(rows, int32(i)), append(elems, int32(j))
		}
	}
	cols := make([]arrow.Array, 0, g.S.NumFields())
	for _, c := range g.Keep {
		cols = append(cols, Take(rec.Column(c), rows))
	}
	if contiguous && l.Len() > 0 {
		// Without outer rows the elements are the list's values in order:
		// slice them instead of copying.
		first, _ := l.ValueOffsets(0)
		_, last := l.ValueOffsets(l.Len() - 1)
		cols = append(cols, array.NewSlice(l.ListValues(), first, last))
	} else {
		cols = append(cols, Take(l.ListValues(), elems))
	}
	return NewRecord(g.S, cols, len(rows)), nil
}
