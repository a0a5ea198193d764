package exec

import (
	"context"
	"fmt"

	"github.com/apache/arrow/go/v17/arrow"
)

// MemoryScan reads partitions already in memory: a cached DataFrame or a
// local relation made from Go values.
type MemoryScan struct {
	Name  string
	S     *arrow.Schema
	Parts [][]arrow.Record
}

// Schema returns the scanned schema.
func (m *MemoryScan) Schema() *arrow.Schema { return m.S }

// Children returns none.
func (m *MemoryScan) Children() []Operator { return nil }

// Partitions returns the number of stored partitions (at least one).
func (m *MemoryScan) Partitions() int { return max(1, len(m.Parts)) }

// Execute streams one stored partition.
func (m *MemoryScan) Execute(_ context.Context, p int) (Stream, error) {
	if p >= len(m.Parts) {
		return NewSliceStream(nil), nil
	}
	return NewSliceStream(m.Parts[p]), nil
}

// String describes a MemoryScan on one line, as Explain shows it.
func (m *MemoryScan) String() string {
	return fmt.Sprintf("%s [%s]", m.Name, fieldNames(m.S))
}
