package exec

import (
	"encoding/binary"
	"math"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/cespare/xxhash/v2"
)

// multiTable encodes each key row as bytes: per column a null flag and the
// value (fixed width, or a 4-byte length and the bytes of a string).
type multiTable struct {
	types  []arrow.DataType
	bt     *bytesTable
	short  shortTable
	buf    []byte
	starts []int
	ends   []int
}

func (t *multiTable) Len() int { return t.bt.len() }

// encode writes the key bytes of every row into t.buf; row r is
// t.buf[t.starts[r]:t.ends[r]]. It works column by column over the raw
// buffers.
func (t *multiTable) encode(keys []arrow.Array, n int) {
	if cap(t.ends) < n {
		t.ends = make([]int, n)
		t.starts = make([]int, n+1)
	}
	t.ends = t.ends[:n]
	starts := t.starts[:n+1]
	// Row sizes: fixed widths, plus each string's varint length and bytes.
	width := 0
	for _, c := range keys {
		switch c.DataType().ID() {
		case arrow.INT32, arrow.DATE32:
			width += 5
		case arrow.BOOL:
			width += 2
		case arrow.STRING:
			width++
		default:
			width += 9
		}
	}
	pos := t.ends // reused as the write cursor of each row
	for r := range pos {
		pos[r] = width
	}
	for _, c := range keys {
		if a, ok := c.(*array.String); ok {
			offs := a.ValueOffsets()
			for r := 0; r < n; r++ {
				l := int(offs[r+1] - offs[r])
				pos[r] += l + uvarintLen(l)
			}
		}
	}
	total := 0
	for r := 0; r < n; r++ {
		starts[r] = total
		total += pos[r]
		pos[r] = starts[r]
	}
	starts[n] = total
	if cap(t.buf) < total {
		t.buf = make([]byte, total)
	}
	buf := t.buf[:total]
	t.buf = buf
	for _, c := range keys {
		nulls := c.NullN() > 0
		switch a := c.(type) {
		case *array.Int32, *array.Date32:
			i32, _ := intValues(a)
			for r := 0; r < n; r++ {
				p := pos[r]
				if nulls && a.IsNull(r) {
					buf[p] = 0
					binary.LittleEndian.PutUint32(buf[p+1:], 0)
				} else {
					buf[p] = 1
					binary.LittleEndian.PutUint32(buf[p+1:], uint32(i32[r]))
				}
				pos[r] = p + 5
			}
		case *array.Int64, *array.Timestamp, *array.Float64:
			var u64 []uint64
			switch x := a.(type) {
			case *array.Float64:
				u64 = make([]uint64, n)
				for r, v := range x.Float64Values() {
					u64[r] = floatKey(v)
				}
			default:
				_, i64 := intValues(a)
				u64 = arrow.Uint64Traits.CastFromBytes(arrow.Int64Traits.CastToBytes(i64))
			}
			for r := 0; r < n; r++ {
				p := pos[r]
				if nulls && a.IsNull(r) {
					buf[p] = 0
					binary.LittleEndian.PutUint64(buf[p+1:], 0)
				} else {
					buf[p] = 1
					binary.LittleEndian.PutUint64(buf[p+1:], u64[r])
				}
				pos[r] = p + 9
			}
		case *array.Boolean:
			for r := 0; r < n; r++ {
				p := pos[r]
				buf[p], buf[p+1] = 1, 0
				if nulls && a.IsNull(r) {
					buf[p] = 0
				} else if a.Value(r) {
					buf[p+1] = 1
				}
				pos[r] = p + 2
			}
		case *array.String:
			offs := a.ValueOffsets()
			data := a.ValueBytes()
			base := offs[0]
			for r := 0; r < n; r++ {
				p := pos[r]
				if nulls && a.IsNull(r) {
					buf[p] = 0
					buf[p+1] = 0
					pos[r] = p + 2
					continue
				}
				s := data[offs[r]-base : offs[r+1]-base]
				buf[p] = 1
				p++
				if len(s) < 0x80 {
					buf[p] = byte(len(s))
					p++
				} else {
					p += binary.PutUvarint(buf[p:], uint64(len(s)))
				}
				pos[r] = p + copy(buf[p:], s)
			}
		default:
			panic("exec: cannot group by " + c.DataType().String())
		}
	}
	// pos now holds each row's end (t.ends aliases it).
}

func (t *multiTable) run(keys []arrow.Array, gids []int32, insert bool) {
	n := len(gids)
	t.encode(keys, n)
	for r := 0; r < n; r++ {
		start, end := t.starts[r], t.ends[r]
		if l := end - start; l <= 16 {
			lo, hi := packShort(t.buf, start, l)
			gids[r] = t.short.find(lo, hi, l, t.buf[start:end], insert)
			continue
		}
		k := t.buf[start:end]
		gids[r] = t.bt.find(xxhash.Sum64(k), k, insert)
	}
}

func uvarintLen(n int) int {
	l := 1
	for n >= 0x80 {
		n >>= 7
		l++
	}
	return l
}

func (t *multiTable) Insert(keys []arrow.Array, gids []int32) { t.run(keys, gids, true) }
func (t *multiTable) Lookup(keys []arrow.Array, gids []int32) { t.run(keys, gids, false) }

func (t *multiTable) Keys() []arrow.Array {
	n := t.bt.len()
	apps := make([]*keyDecoder, len(t.types))
	for i, dt := range t.types {
		apps[i] = newKeyDecoder(dt, n)
	}
	for g := 0; g < n; g++ {
		k := t.bt.key(g)
		for _, d := range apps {
			k = d.decode(k)
		}
	}
	out := make([]arrow.Array, len(apps))
	for i, d := range apps {
		out[i] = d.finish()
	}
	return out
}

type keyDecoder struct {
	dt    arrow.DataType
	i64   []int64
	str   *StringBuilder
	valid Bitmap
	n     int
	nulls bool
}

func newKeyDecoder(dt arrow.DataType, n int) *keyDecoder {
	d := &keyDecoder{dt: dt, valid: NewValidBitmap(n)}
	if dt.ID() == arrow.STRING {
		d.str = NewStringBuilder(n, n*8)
	} else {
		d.i64 = make([]int64, 0, n)
	}
	return d
}

func (d *keyDecoder) decode(k []byte) []byte {
	null := k[0] == 0
	if null {
		d.valid.Clear(d.n)
		d.nulls = true
	}
	d.n++
	switch d.dt.ID() {
	case arrow.INT32, arrow.DATE32:
		d.i64 = append(d.i64, int64(int32(binary.LittleEndian.Uint32(k[1:]))))
		return k[5:]
	case arrow.BOOL:
		d.i64 = append(d.i64, int64(k[1]))
		return k[2:]
	case arrow.STRING:
		l64, w := binary.Uvarint(k[1:])
		l := int(l64)
		if null {
			d.str.AppendNull()
		} else {
			d.str.Append(k[1+w : 1+w+l])
		}
		return k[1+w+l:]
	default:
		d.i64 = append(d.i64, int64(binary.LittleEndian.Uint64(k[1:])))
		return k[9:]
	}
}

func (d *keyDecoder) finish() arrow.Array {
	valid := d.valid
	if !d.nulls {
		valid = nil
	}
	switch d.dt.ID() {
	case arrow.STRING:
		return d.str.Finish()
	case arrow.INT32:
		v := make([]int32, len(d.i64))
		for i, x := range d.i64 {
			v[i] = int32(x)
		}
		return FixedArray(d.dt, v, valid)
	case arrow.DATE32:
		v := make([]arrow.Date32, len(d.i64))
		for i, x := range d.i64 {
			v[i] = arrow.Date32(x)
		}
		return FixedArray(d.dt, v, valid)
	case arrow.BOOL:
		v := NewBitmap(len(d.i64))
		for i, x := range d.i64 {
			if x != 0 {
				v.Set(i)
			}
		}
		return BoolArray(v, valid, len(d.i64))
	case arrow.FLOAT64:
		v := make([]float64, len(d.i64))
		for i, x := range d.i64 {
			v[i] = math.Float64frombits(uint64(x))
		}
		return FixedArray(d.dt, v, valid)
	case arrow.TIMESTAMP:
		return FixedArray(d.dt, arrow.TimestampTraits.CastFromBytes(arrow.Int64Traits.CastToBytes(d.i64)), valid)
	default:
		return FixedArray(d.dt, d.i64, valid)
	}
}
