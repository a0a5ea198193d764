package rdd

import (
	"fmt"
	"io"
)

// Dependency links an RDD to a parent. Narrow dependencies (OneToOne, Range,
// Narrow) are pipelined into the same stage; a ShuffleDependency cuts the
// lineage into two stages.
type Dependency interface {
	// RDD returns the parent.
	RDD() *RDD
}

// OneToOneDependency: child partition i reads parent partition i.
type OneToOneDependency struct{ Parent *RDD }

// RDD implements Dependency.
func (d *OneToOneDependency) RDD() *RDD { return d.Parent }

// RangeDependency: child partitions [OutStart, OutStart+Length) read parent
// partitions [InStart, InStart+Length), as in Union.
type RangeDependency struct {
	Parent                    *RDD
	InStart, OutStart, Length int
}

// RDD implements Dependency.
func (d *RangeDependency) RDD() *RDD { return d.Parent }

// NarrowDependency: child partition i reads the parent partitions Parents[i],
// as in Coalesce and Cartesian.
type NarrowDependency struct {
	Parent  *RDD
	Parents [][]int
}

// RDD implements Dependency.
func (d *NarrowDependency) RDD() *RDD { return d.Parent }

// ParentsOf returns the parent partitions that child partition i reads
// through dependency d, for narrow dependencies. It is used to place tasks
// near cached parent blocks.
func ParentsOf(d Dependency, i int) []int {
	switch d := d.(type) {
	case *OneToOneDependency:
		return []int{i}
	case *RangeDependency:
		if i >= d.OutStart && i < d.OutStart+d.Length {
			return []int{i - d.OutStart + d.InStart}
		}
		return nil
	case *NarrowDependency:
		return d.Parents[i]
	}
	return nil
}

// ShuffleDependency redistributes a parent RDD of Pairs by key: each map
// task splits its partition into one bucket per reduce partition, and each
// reduce task reads its bucket from every map output.
type ShuffleDependency struct {
	Parent *RDD
	// ShuffleID identifies the shuffle across jobs: a job that needs an
	// existing shuffle's output reuses it.
	ShuffleID int
	// Partitioner assigns a reduce partition to each key.
	Partitioner Partitioner
	// Serializer encodes records in shuffle files.
	Serializer Serializer
	// Aggregator, when set, combines values with equal keys; map tasks
	// apply it before writing when MapSideCombine is set, and reduce tasks
	// always do.
	Aggregator     *Aggregator
	MapSideCombine bool
	// MapSide, when set, replaces the default map-side writer input: it
	// turns the parent's partition into the (reduce partition, record)
	// stream to write. The SQL path uses it to split Arrow batches by key
	// hash without boxing rows.
	MapSide func(tc *TaskContext, it Iterator, emit func(reduceID int, record any))
}

// RDD implements Dependency.
func (d *ShuffleDependency) RDD() *RDD { return d.Parent }

// Aggregator combines the values of equal keys, like Spark's: a combiner is
// created from the first value, values are merged into it, and combiners
// from different map tasks are merged together.
type Aggregator struct {
	CreateCombiner func(v any) any
	MergeValue     func(c, v any) any
	MergeCombiners func(c1, c2 any) any

	// typed, when set, makes a Combiner specialised to the key and value
	// types (see NewCombiner).
	typed func(*Aggregator) Combiner
}

// Serializer encodes the records of a shuffle.
type Serializer interface {
	NewWriter(w io.Writer) RecordWriter
	NewReader(r io.Reader) RecordReader
}

// RecordWriter writes records; Flush must be called at the end.
type RecordWriter interface {
	Write(record any) error
	Flush() error
}

// RecordReader reads records back; it returns io.EOF at the end.
type RecordReader interface {
	Read() (any, error)
}

// NewShuffleDependency registers a shuffle of parent, whose elements must be
// Pairs unless mapSide is given.
func NewShuffleDependency(parent *RDD, p Partitioner, agg *Aggregator, mapSideCombine bool) *ShuffleDependency {
	d := &ShuffleDependency{
		Parent:         parent,
		ShuffleID:      parent.ctx.NewShuffleID(),
		Partitioner:    p,
		Serializer:     CodecSerializer{},
		Aggregator:     agg,
		MapSideCombine: mapSideCombine && agg != nil,
	}
	parent.ctx.RegisterShuffle(d)
	return d
}

func (d *ShuffleDependency) String() string {
	return fmt.Sprintf("shuffle %d of %s", d.ShuffleID, d.Parent)
}
