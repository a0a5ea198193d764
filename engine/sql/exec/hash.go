package exec

import (
	"math"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/cespare/xxhash/v2"
)

// Row hashes are deterministic (the same in every process), because shuffle
// partitioning by hash must agree between the executors that write map
// outputs.

const nullHash = 0x9e3779b97f4a7c15

// mix64 is the finalizer of MurmurHash3: a fast, well-spread integer hash.
func mix64(x uint64) uint64 {
	x ^= x >> 33
	x *= 0xff51afd7ed558ccd
	x ^= x >> 33
	x *= 0xc4ceb9fe1a85ec53
	x ^= x >> 33
	return x
}

// HashColumns fills out[i] with a hash of row i over cols; out must have
// one slot per row. Equal rows (including NULLs, by position) hash equal.
func HashColumns(cols []arrow.Array, out []uint64) {
	for i := range out {
		out[i] = 0
	}
	for _, c := range cols {
		hashInto(c, out)
	}
}

func combine(h, x uint64) uint64 { return mix64(h*31 + x) }

func hashInto(c arrow.Array, out []uint64) {
	var prev []uint64
	if c.NullN() > 0 {
		prev = append([]uint64(nil), out...)
	}
	switch a := c.(type) {
	case *array.Int32:
		for i, v := range a.Int32Values() {
			out[i] = combine(out[i], uint64(int64(v)))
		}
	case *array.Int64:
		for i, v := range a.Int64Values() {
			out[i] = combine(out[i], uint64(v))
		}
	case *array.Date32:
		for i, v := range a.Date32Values() {
			out[i] = combine(out[i], uint64(int64(v)))
		}
	case *array.Timestamp:
		for i, v := range a.TimestampValues() {
			out[i] = combine(out[i], uint64(v))
		}
	case *array.Float64:
		for i, v := range a.Float64Values() {
			out[i] = combine(out[i], floatKey(v))
		}
	case *array.String:
		offs := a.ValueOffsets()
		data := a.ValueBytes()
		base := offs[0]
		for i := range out {
			out[i] = combine(out[i], xxhash.Sum64(data[offs[i]-base:offs[i+1]-base]))
		}
	case *array.Boolean:
		for i := range out {
			if a.Value(i) {
				out[i] = combine(out[i], 1)
			} else {
				out[i] = combine(out[i], 2)
			}
		}
	default:
		for i := range out {
			out[i] = combine(out[i], xxhash.Sum64String(c.ValueStr(i)))
		}
	}
	if prev != nil {
		for i := range out {
			if c.IsNull(i) {
				out[i] = combine(prev[i], nullHash)
			}
		}
	}
}

// floatKey maps a double to bits such that -0 and 0 are equal and all NaNs
// are equal, as SQL grouping and joins require.
func floatKey(v float64) uint64 {
	if v == 0 {
		return 0
	}
	if v != v {
		return math.Float64bits(math.NaN())
	}
	return math.Float64bits(v)
}
