package exec

import (
	"github.com/apache/arrow/go/v17/arrow"
)

// directLimit bounds the keys an intTable looks up by index instead of by
// hash: small non-negative integers (ids, codes, years) are the common
// group keys, and an array lookup beats any probe.
const directLimit = 1 << 20

// pairTable groups two int (int32 or date) columns: each pair packs into
// one 64-bit word and is probed like an integer key. Pairs with a NULL
// are kept in a small map. Group ids are shared, in order of first sight.
type pairTable struct {
	types    [2]arrow.DataType
	slots    []intSlot
	mask     uint64
	a, b     []int32
	nulls    []uint8 // bit 0: a is NULL, bit 1: b is NULL
	hasNul   bool
	withNull map[[3]int64]int32
}

func newPairTable(t0, t1 arrow.DataType) *pairTable {
	return &pairTable{types: [2]arrow.DataType{t0, t1}, slots: make([]intSlot, 256), mask: 255}
}

func (t *pairTable) Len() int { return len(t.a) }

func (t *pairTable) newGroup(a, b int32, nulls uint8) int32 {
	g := int32(len(t.a))
	t.a, t.b, t.nulls = append(t.a, a), append(t.b, b), append(t.nulls, nulls)
	return g
}

func (t *pairTable) grow() {
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

func (t *pairTable) run(keys []arrow.Array, gids []int32, insert bool) {
	a, _ := intValues(keys[0])
	b, _ := intValues(keys[1])
	nulls := keys[0].NullN() > 0 || keys[1].NullN() > 0
	for r := range gids {
		if nulls && (keys[0].IsNull(r) || keys[1].IsNull(r)) {
			var k [3]int64
			var m uint8
			if keys[0].IsNull(r) {
				m |= 1
			} else {
				k[0] = int64(a[r])
			}
			if keys[1].IsNull(r) {
				m |= 2
			} else {
				k[1] = int64(b[r])
			}
			k[2] = int64(m)
			g, ok := t.withNull[k]
			if !ok {
				if !insert {
					gids[r] = -1
					continue
				}
				if t.withNull == nil {
					t.withNull = map[[3]int64]int32{}
				}
				g = t.newGroup(int32(k[0]), int32(k[1]), m)
				t.withNull[k] = g
				t.hasNul = true
			}
			gids[r] = g
			continue
		}
		key := int64(a[r])<<32 | int64(uint32(b[r]))
		i := mix64(uint64(key)) & t.mask
		for {
			s := &t.slots[i]
			if s.gid == 0 {
				if !insert {
					gids[r] = -1
					break
				}
				g := t.newGroup(a[r], b[r], 0)
				s.key, s.gid = key, g+1
				if len(t.a)*2 > len(t.slots) {
					t.grow()
				}
				gids[r] = g
				break
			}
			if s.key == key {
				gids[r] = s.gid - 1
				break
			}
			i = (i + 1) & t.mask
		}
	}
}

func (t *pairTable) Insert(keys []arrow.Array, gids []int32) { t.run(keys, gids, true) }
func (t *pairTable) Lookup(keys []arrow.Array, gids []int32) { t.run(keys, gids, false) }

func (t *pairTable) Keys() []arrow.Array {
	out := make([]arrow.Array, 2)
	for c, vals := range [2][]int32{t.a, t.b} {
		var valid Bitmap
		if t.hasNul {
			valid = NewValidBitmap(len(vals))
			for g, m := range t.nulls {
				if m&(1<<c) != 0 {
					valid.Clear(g)
				}
			}
		}
		if t.types[c].ID() == arrow.DATE32 {
			d := arrow.Date32Traits.CastFromBytes(arrow.Int32Traits.CastToBytes(vals))
			out[c] = FixedArray(t.types[c], d, valid)
		} else {
			out[c] = FixedArray(t.types[c], vals, valid)
		}
	}
	return out
}
