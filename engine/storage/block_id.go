package storage

import "fmt"

// BlockKind says what a block holds.
type BlockKind uint8

// The block kinds.
const (
	RDDBlock BlockKind = iota + 1
	BroadcastBlock
	ShuffleBlock
)

// BlockID names a block. RDD blocks are (RDD id, partition); broadcast
// blocks are (broadcast id, piece); shuffle blocks are (shuffle id, map
// partition, reduce partition).
type BlockID struct {
	Kind    BlockKind
	A, B, C int
}

// RDDBlockID names partition split of RDD rdd.
func RDDBlockID(rdd, split int) BlockID { return BlockID{Kind: RDDBlock, A: rdd, B: split} }

// ShuffleBlockID names reduce partition reduce of map output mapIndex of a
// shuffle.
func ShuffleBlockID(shuffle, mapIndex, reduce int) BlockID {
	return BlockID{Kind: ShuffleBlock, A: shuffle, B: mapIndex, C: reduce}
}

// String formats the id as Spark does: rdd_3_1, broadcast_2_piece0.
func (id BlockID) String() string {
	switch id.Kind {
	case RDDBlock:
		return fmt.Sprintf("rdd_%d_%d", id.A, id.B)
	case BroadcastBlock:
		return fmt.Sprintf("broadcast_%d_piece%d", id.A, id.B)
	case ShuffleBlock:
		return fmt.Sprintf("shuffle_%d_%d_%d", id.A, id.B, id.C)
	}
	return fmt.Sprintf("block_%d_%d_%d", id.Kind, id.A, id.B)
}

// BlockStatus is where an executor holds a block and how big it is there.
// A status with neither memory nor disk size means the block is gone.
type BlockStatus struct {
	Level    StorageLevel
	MemSize  int64
	DiskSize int64
}

// Stored reports whether the block is held anywhere.
func (s BlockStatus) Stored() bool { return s.MemSize > 0 || s.DiskSize > 0 }
