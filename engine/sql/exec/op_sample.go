package exec

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/apache/arrow/go/v17/arrow"
)

// Sample keeps each row with probability Fraction (Bernoulli sampling),
// with a generator seeded by Seed and the partition number, so a sample is
// repeatable.
type Sample struct {
	Child    Operator
	Fraction float64
	Seed     int64
}

// Schema is the child's.
func (s *Sample) Schema() *arrow.Schema { return s.Child.Schema() }

// Children returns the input.
func (s *Sample) Children() []Operator { return []Operator{s.Child} }

// Partitions is the child's.
func (s *Sample) Partitions() int { return s.Child.Partitions() }

// String describes a Sample on one line, as Explain shows it.
func (s *Sample) String() string { return fmt.Sprintf("Sample %g, seed %d", s.Fraction, s.Seed) }

// Execute samples one partition.
func (s *Sample) Execute(ctx context.Context, p int) (Stream, error) {
	in, err := s.Child.Execute(ctx, p)
	if err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(uint64(s.Seed), uint64(p)))
	return FuncStream(func() (arrow.Record, error) {
		rec, err := in.Next()
		if rec == nil || err != nil {
			return nil, err
		}
		defer rec.Release()
		var idx []int32
		for i := 0; i < int(rec.NumRows()); i++ {
			if rng.Float64() < s.Fraction {
				idx = append(idx, int32(i))
			}
		}
		return TakeRecord(rec, idx), nil
	}, in.Close), nil
}
