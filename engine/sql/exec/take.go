package exec

import (
	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
)

// Take gathers rows idx of arr into a new column; an index of -1 gives a
// NULL (outer joins use that).
func Take(arr arrow.Array, idx []int32) arrow.Array {
	n := len(idx)
	valid := takeValid(arr, idx)
	switch a := arr.(type) {
	case *array.Int32:
		return FixedArray(arr.DataType(), takeFixed(a.Int32Values(), idx), valid)
	case *array.Int64:
		return FixedArray(arr.DataType(), takeFixed(a.Int64Values(), idx), valid)
	case *array.Float64:
		return FixedArray(arr.DataType(), takeFixed(a.Float64Values(), idx), valid)
	case *array.Date32:
		return FixedArray(arr.DataType(), takeFixed(a.Date32Values(), idx), valid)
	case *array.Timestamp:
		return FixedArray(arr.DataType(), takeFixed(a.TimestampValues(), idx), valid)
	case *array.String:
		offs := a.ValueOffsets()
		data := a.ValueBytes()
		base := offs[0]
		size := 0
		for _, i := range idx {
			if i >= 0 {
				size += int(offs[i+1] - offs[i])
			}
		}
		outOffs := make([]int32, n+1)
		outData := make([]byte, 0, size)
		for k, i := range idx {
			if i >= 0 {
				outData = append(outData, data[offs[i]-base:offs[i+1]-base]...)
			}
			outOffs[k+1] = int32(len(outData))
		}
		return StringArray(outOffs, outData, valid)
	case *array.Boolean:
		vals := NewBitmap(n)
		for k, i := range idx {
			if i >= 0 && a.Value(int(i)) {
				vals.Set(k)
			}
		}
		return BoolArray(vals, valid, n)
	case *array.Null:
		return NullArray(arr.DataType(), n)
	}
	b := array.NewBuilder(memory.DefaultAllocator, arr.DataType())
	defer b.Release()
	for _, i := range idx {
		if i < 0 {
			b.AppendNull()
		} else {
			appendValue(b, ValueAt(arr, int(i)))
		}
	}
	return b.NewArray()
}

func takeFixed[T any](vals []T, idx []int32) []T {
	out := make([]T, len(idx))
	for k, i := range idx {
		if i >= 0 {
			out[k] = vals[i]
		}
	}
	return out
}

func takeValid(arr arrow.Array, idx []int32) Bitmap {
	hasMissing := false
	for _, i := range idx {
		if i < 0 {
			hasMissing = true
			break
		}
	}
	if arr.NullN() == 0 && !hasMissing {
		return nil
	}
	valid := NewBitmap(len(idx))
	for k, i := range idx {
		if i >= 0 && arr.IsValid(int(i)) {
			valid.Set(k)
		}
	}
	return valid
}

// TakeRecord gathers rows idx of every column of rec.
func TakeRecord(rec arrow.Record, idx []int32) arrow.Record {
	cols := make([]arrow.Array, rec.NumCols())
	for i := range cols {
		cols[i] = Take(rec.Column(i), idx)
	}
	return NewRecord(rec.Schema(), cols, len(idx))
}

// NewRecord makes a record from columns and releases the caller's
// references to them (the record keeps its own).
func NewRecord(schema *arrow.Schema, cols []arrow.Array, n int) arrow.Record {
	rec := array.NewRecord(schema, cols, int64(n))
	for _, c := range cols {
		c.Release()
	}
	return rec
}

// Concat joins columns of the same type into one.
func Concat(cols []arrow.Array) arrow.Array {
	if len(cols) == 1 {
		cols[0].Retain()
		return cols[0]
	}
	out, err := array.Concatenate(cols, memory.DefaultAllocator)
	if err != nil {
		panic(err)
	}
	return out
}

// ConcatRecords joins records of one schema into one.
func ConcatRecords(schema *arrow.Schema, recs []arrow.Record) arrow.Record {
	n := 0
	for _, r := range recs {
		n += int(r.NumRows())
	}
	cols := make([]arrow.Array, schema.NumFields())
	for i := range cols {
		if len(recs) == 0 {
			cols[i] = NullArray(schema.Field(i).Type, 0)
			continue
		}
		parts := make([]arrow.Array, len(recs))
		for j, r := range recs {
			parts[j] = r.Column(i)
		}
		cols[i] = Concat(parts)
	}
	return NewRecord(schema, cols, n)
}
