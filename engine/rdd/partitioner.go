package rdd

import (
	"fmt"
	"math"
	"reflect"
	"sort"

	"github.com/cespare/xxhash/v2"
)

// Partitioner assigns keys of a pair RDD to partitions.
type Partitioner interface {
	// NumPartitions is the number of partitions keys go to.
	NumPartitions() int
	// Partition returns the partition of key, in [0, NumPartitions()).
	Partition(key any) int
	// String describes the partitioner; two partitioners with the same
	// description place every key alike.
	String() string
}

// HashPartitioner places a key by its hash, like Spark's.
type HashPartitioner struct{ N int }

// NewHashPartitioner returns a HashPartitioner over n partitions.
func NewHashPartitioner(n int) *HashPartitioner {
	if n < 1 {
		panic(usagef("HashPartitioner", "", "needs at least 1 partition, got %d", n))
	}
	return &HashPartitioner{N: n}
}

// NumPartitions implements Partitioner.
func (p *HashPartitioner) NumPartitions() int { return p.N }

// Partition implements Partitioner.
func (p *HashPartitioner) Partition(key any) int { return int(Hash(key) % uint64(p.N)) }

func (p *HashPartitioner) String() string { return fmt.Sprintf("HashPartitioner(%d)", p.N) }

// RangePartitioner places keys by comparing them with sorted bounds, so that
// partition i holds keys smaller than those of partition i+1 (or larger,
// when descending). SortByKey builds one by sampling the keys.
type RangePartitioner struct {
	Bounds    []any
	Ascending bool
}

// NumPartitions implements Partitioner.
func (p *RangePartitioner) NumPartitions() int { return len(p.Bounds) + 1 }

// Partition implements Partitioner.
func (p *RangePartitioner) Partition(key any) int {
	i := sort.Search(len(p.Bounds), func(i int) bool { return Compare(p.Bounds[i], key) >= 0 })
	if !p.Ascending {
		return len(p.Bounds) - i
	}
	return i
}

func (p *RangePartitioner) String() string {
	return fmt.Sprintf("RangePartitioner(%d, ascending=%v, bounds=%v)", p.NumPartitions(), p.Ascending, p.Bounds)
}

// samePartitioning reports whether a and b place every key alike.
func samePartitioning(a, b Partitioner) bool {
	return a != nil && b != nil && a.NumPartitions() == b.NumPartitions() && a.String() == b.String()
}

// Hash returns a hash of a key that is the same in every process: ints and
// strings hash by value, structs and arrays field by field. It panics with a
// UsageError for keys that cannot be compared (slices, maps, funcs), which Go
// could not use as map keys either.
func Hash(key any) uint64 {
	switch k := key.(type) {
	case nil:
		return 0
	case string:
		return xxhash.Sum64String(k)
	case int:
		return mix(uint64(k))
	case int64:
		return mix(uint64(k))
	case int32:
		return mix(uint64(k))
	case uint64:
		return mix(k)
	case float64:
		if k == 0 {
			k = 0 // -0 and +0 are equal keys
		}
		return mix(math.Float64bits(k))
	case bool:
		if k {
			return mix(1)
		}
		return mix(2)
	case Pair:
		return mix(Hash(k.Key)*31 + Hash(k.Value))
	}
	return hashValue(reflect.ValueOf(key))
}

func hashValue(v reflect.Value) uint64 {
	switch v.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return mix(uint64(v.Int()))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return mix(v.Uint())
	case reflect.Float32, reflect.Float64:
		f := v.Float()
		if f == 0 {
			f = 0
		}
		return mix(math.Float64bits(f))
	case reflect.String:
		return xxhash.Sum64String(v.String())
	case reflect.Bool:
		if v.Bool() {
			return mix(1)
		}
		return mix(2)
	case reflect.Struct:
		h := uint64(17)
		for i := 0; i < v.NumField(); i++ {
			h = mix(h*31 + hashValue(v.Field(i)))
		}
		return h
	case reflect.Array:
		h := uint64(19)
		for i := 0; i < v.Len(); i++ {
			h = mix(h*31 + hashValue(v.Index(i)))
		}
		return h
	case reflect.Interface:
		if v.IsNil() {
			return 0
		}
		return hashValue(v.Elem())
	case reflect.Pointer, reflect.Chan, reflect.UnsafePointer:
		return mix(uint64(v.Pointer()))
	}
	panic(&UsageError{Op: "shuffle", Msg: fmt.Sprintf("a key of type %v cannot be hashed (%s keys are not comparable); use a string, a number or a struct of those as the key", v.Type(), v.Kind())})
}

// mix is the splitmix64 finalizer.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}
