package exec

import (
	"bytes"
	"encoding/binary"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/cespare/xxhash/v2"
)

// GroupTable assigns dense group ids (0, 1, 2, … in order of first sight) to
// the distinct rows of key columns. Hash aggregation, distinct and hash
// joins are built on it. There is one implementation per key shape, so the
// probe loop is typed: one integer-like column, one string column, or any
// number of columns encoded as bytes. NULL is a key like any other (SQL
// GROUP BY puts NULLs in one group); joins skip NULL keys themselves.
type GroupTable interface {
	// Insert writes the group id of each row of keys into gids, adding
	// groups for rows not seen before.
	Insert(keys []arrow.Array, gids []int32)
	// Lookup writes the group id of each row into gids, or -1 when the row
	// is not in the table.
	Lookup(keys []arrow.Array, gids []int32)
	// Len returns the number of groups.
	Len() int
	// Keys returns the key columns of all groups, in group-id order.
	Keys() []arrow.Array
}

func isInt32Like(t arrow.DataType) bool { return t.ID() == arrow.INT32 || t.ID() == arrow.DATE32 }

// NewGroupTable returns the table specialised for the key types.
func NewGroupTable(types []arrow.DataType) GroupTable {
	if len(types) == 1 {
		switch types[0].ID() {
		case arrow.INT32, arrow.INT64, arrow.DATE32, arrow.TIMESTAMP:
			return newIntTable(types[0])
		case arrow.STRING:
			bt := newBytesTable()
			return &stringTable{bt: bt, short: shortTable{bt: bt}}
		}
	}
	bt := newBytesTable()
	if len(types) == 2 && isInt32Like(types[0]) && isInt32Like(types[1]) {
		return newPairTable(types[0], types[1])
	}
	return &multiTable{types: types, bt: bt, short: shortTable{bt: bt}}
}

type intSlot struct {
	key int64
	gid int32 // group id + 1; 0 marks an empty slot
}

type intTable struct {
	dt        arrow.DataType
	slots     []intSlot
	mask      uint64
	keys      []int64
	nullGroup int32
	// direct[k] is the group of key k + 1 (0: none yet) for keys in
	// [0, len(direct)); it grows on demand up to directLimit.
	direct []int32
}

func newIntTable(dt arrow.DataType) *intTable {
	return &intTable{dt: dt, slots: make([]intSlot, 256), mask: 255, nullGroup: -1}
}

func (t *intTable) Len() int { return len(t.keys) }

func (t *intTable) grow() {
	old := t.slots
	t.slots = make([]intSlot, len(old)*2)
	t.mask = uint64(len(t.slots) - 1)
	for _, s := range old {
		if s.gid != 0 {
			i := mix64(uint64(s.key)) & t.mask
			for t.slots[i].gid != 0 {
				i = (i + 1) & t.mask
			}
			t.slots[i] = s
		}
	}
}

// find returns the group of k, inserting it when insert is set (else -1).
func (t *intTable) find(k int64, insert bool) int32 {
	if uint64(k) < uint64(len(t.direct)) {
		if g := t.direct[k]; g != 0 {
			return g - 1
		}
	} else if k >= 0 && k < directLimit && insert {
		n := max(1024, len(t.direct))
		for int64(n) <= k {
			n *= 2
		}
		nd := make([]int32, n)
		copy(nd, t.direct)
		t.direct = nd
	}
	g := t.probe(k, insert)
	if g >= 0 && uint64(k) < uint64(len(t.direct)) {
		t.direct[k] = g + 1
	}
	return g
}

func (t *intTable) probe(k int64, insert bool) int32 {
	i := mix64(uint64(k)) & t.mask
	for {
		s := &t.slots[i]
		if s.gid == 0 {
			if !insert {
				return -1
			}
			g := int32(len(t.keys))
			t.keys = append(t.keys, k)
			s.key, s.gid = k, g+1
			if len(t.keys)*2 > len(t.slots) {
				t.grow()
			}
			return g
		}
		if s.key == k {
			return s.gid - 1
		}
		i = (i + 1) & t.mask
	}
}

func intValues(a arrow.Array) (i32 []int32, i64 []int64) {
	switch x := a.(type) {
	case *array.Int32:
		return x.Int32Values(), nil
	case *array.Date32:
		d := x.Date32Values()
		return arrow.Int32Traits.CastFromBytes(arrow.Date32Traits.CastToBytes(d)), nil
	case *array.Int64:
		return nil, x.Int64Values()
	case *array.Timestamp:
		ts := x.TimestampValues()
		return nil, arrow.Int64Traits.CastFromBytes(arrow.TimestampTraits.CastToBytes(ts))
	}
	panic("exec: intTable on " + a.DataType().String())
}

func (t *intTable) run(keys []arrow.Array, gids []int32, insert bool) {
	a := keys[0]
	i32, i64 := intValues(a)
	nulls := a.NullN() > 0
	for r := range gids {
		if nulls && a.IsNull(r) {
			if t.nullGroup < 0 && insert {
				t.nullGroup = int32(len(t.keys))
				t.keys = append(t.keys, 0)
			}
			gids[r] = t.nullGroup
			continue
		}
		var k int64
		if i32 != nil {
			k = int64(i32[r])
		} else {
			k = i64[r]
		}
		gids[r] = t.find(k, insert)
	}
}

func (t *intTable) Insert(keys []arrow.Array, gids []int32) { t.run(keys, gids, true) }
func (t *intTable) Lookup(keys []arrow.Array, gids []int32) { t.run(keys, gids, false) }

func (t *intTable) Keys() []arrow.Array {
	var valid Bitmap
	if t.nullGroup >= 0 {
		valid = NewValidBitmap(len(t.keys))
		valid.Clear(int(t.nullGroup))
	}
	var out arrow.Array
	switch t.dt.ID() {
	case arrow.INT64:
		out = FixedArray(t.dt, t.keys, valid)
	case arrow.TIMESTAMP:
		out = FixedArray(t.dt, arrow.TimestampTraits.CastFromBytes(arrow.Int64Traits.CastToBytes(t.keys)), valid)
	case arrow.INT32:
		v := make([]int32, len(t.keys))
		for i, k := range t.keys {
			v[i] = int32(k)
		}
		out = FixedArray(t.dt, v, valid)
	case arrow.DATE32:
		v := make([]arrow.Date32, len(t.keys))
		for i, k := range t.keys {
			v[i] = arrow.Date32(k)
		}
		out = FixedArray(t.dt, v, valid)
	}
	return []arrow.Array{out}
}

// bytesTable is an open-addressing hash table of byte-string keys. Keys
// live in an arena of fixed-size chunks (a key never spans two), so the
// arena grows without copying; slots hold a 32-bit tag of the hash and the
// group id, 8 bytes, to keep probing cache-friendly.
type bytesTable struct {
	slots  []bytesSlot
	mask   uint64
	chunks [][]byte
	offs   []uint64 // key g starts at chunks[offs[g]>>32][offs[g]&0xffffffff]
	lens   []uint32
	hashes []uint64
}

type bytesSlot struct {
	tag uint32
	gid uint32 // group id + 1; 0 marks an empty slot
}

const arenaChunk = 4 << 20

func newBytesTable() *bytesTable {
	return &bytesTable{slots: make([]bytesSlot, 256), mask: 255}
}

func (t *bytesTable) len() int { return len(t.hashes) }

func (t *bytesTable) key(g int) []byte {
	o := t.offs[g]
	c := t.chunks[o>>32]
	s := o & 0xffffffff
	return c[s : s+uint64(t.lens[g])]
}

func (t *bytesTable) grow() {
	t.slots = make([]bytesSlot, len(t.slots)*2)
	t.mask = uint64(len(t.slots) - 1)
	for g, h := range t.hashes {
		i := h & t.mask
		for t.slots[i].gid != 0 {
			i = (i + 1) & t.mask
		}
		t.slots[i] = bytesSlot{tag: uint32(h >> 32), gid: uint32(g) + 1}
	}
}

// add stores a new key and returns its group id.
func (t *bytesTable) add(h uint64, key []byte) int32 {
	g := int32(len(t.hashes))
	t.hashes = append(t.hashes, h)
	n := len(t.chunks)
	if n == 0 || len(t.chunks[n-1])+len(key) > cap(t.chunks[n-1]) {
		t.chunks = append(t.chunks, make([]byte, 0, max(arenaChunk, len(key))))
		n++
	}
	c := t.chunks[n-1]
	t.offs = append(t.offs, uint64(n-1)<<32|uint64(len(c)))
	t.lens = append(t.lens, uint32(len(key)))
	t.chunks[n-1] = append(c, key...)
	return g
}

func (t *bytesTable) find(h uint64, key []byte, insert bool) int32 {
	i := h & t.mask
	tag := uint32(h >> 32)
	for {
		s := &t.slots[i]
		if s.gid == 0 {
			if !insert {
				return -1
			}
			g := t.add(h, key)
			s.tag, s.gid = tag, uint32(g)+1
			if len(t.hashes)*2 > len(t.slots) {
				t.grow()
			}
			return g
		}
		// A 32-bit tag match is nearly always the key: compare the bytes
		// without loading the full hash.
		if s.tag == tag {
			g := int(s.gid - 1)
			if bytes.Equal(t.key(g), key) {
				return int32(g)
			}
		}
		i = (i + 1) & t.mask
	}
}

// concat returns all keys back to back with their offsets.
func (t *bytesTable) concat() ([]int32, []byte) {
	total := 0
	for _, l := range t.lens {
		total += int(l)
	}
	data := make([]byte, 0, total)
	offs := make([]int32, len(t.lens)+1)
	for g := range t.lens {
		data = append(data, t.key(g)...)
		offs[g+1] = int32(len(data))
	}
	return offs, data
}

// stringTable groups one string column. Strings of at most 16 bytes are
// looked up by value in a table of packed 64-bit words (no byte hashing,
// no comparison of key bytes); longer ones go to the byte-key table. Both
// share the group ids, kept in order of first sight.
type stringTable struct {
	bt        *bytesTable
	nullGroup int32
	hasNull   bool

	short shortTable
}

// shortTable maps keys of at most 16 bytes, packed into two words, to the
// group ids of a bytesTable that also stores them.
type shortTable struct {
	bt    *bytesTable
	slots []shortSlot
	mask  uint64
	n     int
}

type shortSlot struct {
	lo, hi uint64
	n      uint32 // length + 1; 0 marks an empty slot
	gid    int32
}

func (t *shortTable) find(lo, hi uint64, n int, key []byte, insert bool) int32 {
	if t.slots == nil {
		t.slots = make([]shortSlot, 256)
		t.mask = 255
	}
	h := mix64(lo ^ mix64(hi^uint64(n)))
	i := h & t.mask
	for {
		sl := &t.slots[i]
		if sl.n == 0 {
			if !insert {
				return -1
			}
			g := t.bt.add(h, key)
			*sl = shortSlot{lo: lo, hi: hi, n: uint32(n) + 1, gid: g}
			t.n++
			if t.n*2 > len(t.slots) {
				t.grow()
			}
			return g
		}
		if sl.lo == lo && sl.hi == hi && sl.n == uint32(n)+1 {
			return sl.gid
		}
		i = (i + 1) & t.mask
	}
}

func (t *shortTable) grow() {
	old := t.slots
	t.slots = make([]shortSlot, len(old)*2)
	t.mask = uint64(len(t.slots) - 1)
	for _, sl := range old {
		if sl.n == 0 {
			continue
		}
		h := mix64(sl.lo ^ mix64(sl.hi^uint64(sl.n-1)))
		i := h & t.mask
		for t.slots[i].n != 0 {
			i = (i + 1) & t.mask
		}
		t.slots[i] = sl
	}
}

// packShort loads up to 16 bytes at data[off:off+n] into two words, zero
// beyond n.
func packShort(data []byte, off, n int) (lo, hi uint64) {
	if off+16 <= len(data) {
		lo = binary.LittleEndian.Uint64(data[off:])
		hi = binary.LittleEndian.Uint64(data[off+8:])
	} else {
		var buf [16]byte
		copy(buf[:], data[off:off+n])
		lo = binary.LittleEndian.Uint64(buf[:])
		hi = binary.LittleEndian.Uint64(buf[8:])
	}
	switch {
	case n < 8:
		lo &= (1 << (8 * uint(n))) - 1
		hi = 0
	case n < 16:
		hi &= (1 << (8 * uint(n-8))) - 1
	}
	return lo, hi
}

func (t *stringTable) Len() int { return t.bt.len() }

func (t *stringTable) run(keys []arrow.Array, gids []int32, insert bool) {
	a := keys[0].(*array.String)
	offs := a.ValueOffsets()
	data := a.ValueBytes()
	base := offs[0]
	nulls := a.NullN() > 0
	for r := range gids {
		if nulls && a.IsNull(r) {
			if !t.hasNull {
				if !insert {
					gids[r] = -1
					continue
				}
				t.hasNull = true
				// The null group holds an empty key that no lookup matches:
				// its hash is outside what xxhash yields for "" and it is
				// never probed.
				t.nullGroup = t.bt.add(0, nil)
				if len(t.bt.hashes)*2 > len(t.bt.slots) {
					t.bt.grow()
				}
			}
			gids[r] = t.nullGroup
			continue
		}
		start, end := int(offs[r]-base), int(offs[r+1]-base)
		if n := end - start; n <= 16 {
			lo, hi := packShort(data, start, n)
			gids[r] = t.short.find(lo, hi, n, data[start:end], insert)
			continue
		}
		k := data[start:end]
		gids[r] = t.bt.find(xxhash.Sum64(k), k, insert)
	}
}

func (t *stringTable) Insert(keys []arrow.Array, gids []int32) { t.run(keys, gids, true) }
func (t *stringTable) Lookup(keys []arrow.Array, gids []int32) { t.run(keys, gids, false) }

func (t *stringTable) Keys() []arrow.Array {
	n := t.bt.len()
	offs, data := t.bt.concat()
	var valid Bitmap
	if t.hasNull {
		valid = NewValidBitmap(n)
		valid.Clear(int(t.nullGroup))
	}
	return []arrow.Array{StringArray(offs, data, valid)}
}
