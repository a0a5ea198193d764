// Package storage keeps blocks — cached RDD partitions, shuffle outputs,
// broadcast pieces — for one executor: a MemoryStore under a memory budget
// with LRU eviction, a DiskStore under the executor's local directory, and
// the BlockManager in front of both. The driver's BlockManagerMaster tracks
// which executor holds which block, for locality and for skipping work that
// is already cached.
package storage

import (
	"strconv"
	"strings"
)

// StorageLevel says where a persisted RDD's blocks live, like Spark's.
type StorageLevel struct {
	UseDisk      bool
	UseMemory    bool
	Deserialized bool
	Replication  int
}

// The storage levels, named as in Spark.
var (
	None             = StorageLevel{}
	MemoryOnly       = StorageLevel{UseMemory: true, Deserialized: true, Replication: 1}
	MemoryOnlySer    = StorageLevel{UseMemory: true, Replication: 1}
	MemoryAndDisk    = StorageLevel{UseDisk: true, UseMemory: true, Deserialized: true, Replication: 1}
	MemoryAndDiskSer = StorageLevel{UseDisk: true, UseMemory: true, Replication: 1}
	DiskOnly         = StorageLevel{UseDisk: true, Replication: 1}
)

// IsValid reports whether the level stores anything.
func (l StorageLevel) IsValid() bool { return (l.UseMemory || l.UseDisk) && l.Replication > 0 }

// Description is Spark's wording, e.g. "Memory Deserialized 1x Replicated".
func (l StorageLevel) Description() string {
	if !l.IsValid() {
		return ""
	}
	var parts []string
	if l.UseDisk {
		parts = append(parts, "Disk")
	}
	if l.UseMemory {
		parts = append(parts, "Memory")
	}
	if l.Deserialized {
		parts = append(parts, "Deserialized")
	} else {
		parts = append(parts, "Serialized")
	}
	return strings.Join(parts, " ") + " " + strconv.Itoa(l.Replication) + "x Replicated"
}

// String names the level like Spark's constants, e.g. "MEMORY_AND_DISK".
func (l StorageLevel) String() string {
	switch l {
	case None:
		return "NONE"
	case MemoryOnly:
		return "MEMORY_ONLY"
	case MemoryOnlySer:
		return "MEMORY_ONLY_SER"
	case MemoryAndDisk:
		return "MEMORY_AND_DISK"
	case MemoryAndDiskSer:
		return "MEMORY_AND_DISK_SER"
	case DiskOnly:
		return "DISK_ONLY"
	}
	return "StorageLevel(" + l.Description() + ")"
}
