package exec

import (
	"unsafe"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/bitutil"
	"github.com/apache/arrow/go/v17/arrow/memory"
)

// The helpers in this file build Arrow arrays straight from Go slices. The
// slices become the arrays' buffers without a copy, so the garbage collector
// owns that memory and Release on such arrays only drops the reference
// count. Kernels use them because filling a plain slice in a tight loop is
// the fastest way to produce a column.

// Bitmap is an Arrow validity bitmap under construction: bit i set means row
// i is valid (not null). A nil Bitmap means every row is valid.
type Bitmap []byte

// NewBitmap returns a bitmap for n rows with every bit cleared.
func NewBitmap(n int) Bitmap { return make(Bitmap, bitutil.BytesForBits(int64(n))) }

// NewValidBitmap returns a bitmap for n rows with every bit set.
func NewValidBitmap(n int) Bitmap {
	b := NewBitmap(n)
	for i := range b {
		b[i] = 0xff
	}
	return b
}

// Set marks row i valid.
func (b Bitmap) Set(i int) { b[i>>3] |= 1 << uint(i&7) }

// Clear marks row i null.
func (b Bitmap) Clear(i int) { b[i>>3] &^= 1 << uint(i&7) }

// Get reports whether row i is valid.
func (b Bitmap) Get(i int) bool { return b[i>>3]&(1<<uint(i&7)) != 0 }

func bitmapBuffer(valid Bitmap) *memory.Buffer {
	if valid == nil {
		return nil
	}
	return memory.NewBufferBytes(valid)
}

// nullCount counts the cleared bits among the first n of valid.
func nullCount(valid Bitmap, n int) int {
	if valid == nil {
		return 0
	}
	return n - bitutil.CountSetBits(valid, 0, n)
}

func sliceBytes[T any](s []T) []byte {
	if len(s) == 0 {
		return []byte{}
	}
	var z T
	return unsafe.Slice((*byte)(unsafe.Pointer(&s[0])), len(s)*int(unsafe.Sizeof(z)))
}

// FixedArray wraps vals (int32, int64, float64, date32 or timestamp values,
// matching dt) and an optional validity bitmap as an Arrow array.
func FixedArray[T any](dt arrow.DataType, vals []T, valid Bitmap) arrow.Array {
	n := len(vals)
	nulls := nullCount(valid, n)
	if nulls == 0 {
		valid = nil
	}
	data := array.NewData(dt, n, []*memory.Buffer{bitmapBuffer(valid), memory.NewBufferBytes(sliceBytes(vals))}, nil, nulls, 0)
	defer data.Release()
	return array.MakeFromData(data)
}

// BoolArray wraps a packed value bitmap of n rows and an optional validity
// bitmap as an Arrow boolean array.
func BoolArray(vals Bitmap, valid Bitmap, n int) arrow.Array {
	nulls := nullCount(valid, n)
	if nulls == 0 {
		valid = nil
	}
	data := array.NewData(arrow.FixedWidthTypes.Boolean, n, []*memory.Buffer{bitmapBuffer(valid), memory.NewBufferBytes(vals)}, nil, nulls, 0)
	defer data.Release()
	return array.MakeFromData(data)
}

// StringArray wraps int32 offsets (len n+1) and the concatenated bytes as an
// Arrow string array.
func StringArray(offsets []int32, data []byte, valid Bitmap) arrow.Array {
	n := len(offsets) - 1
	nulls := nullCount(valid, n)
	if nulls == 0 {
		valid = nil
	}
	d := array.NewData(arrow.BinaryTypes.String, n, []*memory.Buffer{bitmapBuffer(valid), memory.NewBufferBytes(sliceBytes(offsets)), memory.NewBufferBytes(data)}, nil, nulls, 0)
	defer d.Release()
	return array.MakeFromData(d)
}

// StringBuilder appends strings into offsets and bytes; it is cheaper than
// array.StringBuilder because it does no per-value bookkeeping beyond that.
type StringBuilder struct {
	Offsets []int32
	Data    []byte
	Valid   Bitmap
	hasNull bool
}

// NewStringBuilder returns a builder with room for n values and dataCap
// bytes.
func NewStringBuilder(n, dataCap int) *StringBuilder {
	b := &StringBuilder{Offsets: make([]int32, 1, n+1), Data: make([]byte, 0, dataCap)}
	return b
}

// Append adds one valid value.
func (b *StringBuilder) Append(s []byte) {
	b.Data = append(b.Data, s...)
	b.Offsets = append(b.Offsets, int32(len(b.Data)))
}

// AppendString adds one valid value.
func (b *StringBuilder) AppendString(s string) {
	b.Data = append(b.Data, s...)
	b.Offsets = append(b.Offsets, int32(len(b.Data)))
}

// AppendNull adds a null.
func (b *StringBuilder) AppendNull() {
	i := len(b.Offsets) - 1
	if !b.hasNull {
		b.hasNull = true
		b.Valid = NewValidBitmap(cap(b.Offsets))
	}
	for len(b.Valid)*8 <= i {
		b.Valid = append(b.Valid, 0xff)
	}
	b.Valid.Clear(i)
	b.Offsets = append(b.Offsets, int32(len(b.Data)))
}

// Len returns the number of values appended.
func (b *StringBuilder) Len() int { return len(b.Offsets) - 1 }

// Finish returns the array built so far.
func (b *StringBuilder) Finish() arrow.Array {
	var valid Bitmap
	if b.hasNull {
		valid = b.Valid
		n := b.Len()
		if need := int(bitutil.BytesForBits(int64(n))); len(valid) > need {
			valid = valid[:need]
		} else {
			for len(valid) < need {
				valid = append(valid, 0xff)
			}
		}
	}
	return StringArray(b.Offsets, b.Data, valid)
}

// unsafeString views b as a string without copying; the caller keeps b
// unchanged while the string is in use.
func unsafeString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// strAt returns value i of a string array without copying.
func strAt(a *array.String, i int) []byte {
	offs := a.ValueOffsets()
	return a.ValueBytes()[offs[i]-offs[0] : offs[i+1]-offs[0]]
}

// validBitmapOf copies the validity of arr into a Bitmap, or returns nil
// when arr has no nulls.
func validBitmapOf(arr arrow.Array) Bitmap {
	if arr.NullN() == 0 {
		return nil
	}
	n := arr.Len()
	b := NewBitmap(n)
	for i := 0; i < n; i++ {
		if arr.IsValid(i) {
			b.Set(i)
		}
	}
	return b
}

// andValid combines the validity of two arrays of equal length.
func andValid(a, b arrow.Array) Bitmap {
	if a.NullN() == 0 {
		return validBitmapOf(b)
	}
	if b.NullN() == 0 {
		return validBitmapOf(a)
	}
	n := a.Len()
	out := NewBitmap(n)
	for i := 0; i < n; i++ {
		if a.IsValid(i) && b.IsValid(i) {
			out.Set(i)
		}
	}
	return out
}

// NullArray returns an array of n nulls of type dt.
func NullArray(dt arrow.DataType, n int) arrow.Array {
	return array.MakeArrayOfNull(memory.DefaultAllocator, dt, n)
}

type memoryBuffer = memory.Buffer

var defaultMem = memory.DefaultAllocator

func bufferOf[T any](s []T) *memory.Buffer { return memory.NewBufferBytes(sliceBytes(s)) }
