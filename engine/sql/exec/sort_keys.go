package exec

import (
	"bytes"
	"cmp"
	"fmt"
	"slices"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
)

// SortKey is one ORDER BY term. Spark's default: ascending puts NULLs
// first, descending puts them last.
type SortKey struct {
	X          Expr
	Desc       bool
	NullsFirst bool
}

// String describes a SortKey on one line, as Explain shows it.
func (k SortKey) String() string {
	s := k.X.String()
	if k.Desc {
		s += " DESC"
	} else {
		s += " ASC"
	}
	if k.NullsFirst {
		return s + " NULLS FIRST"
	}
	return s + " NULLS LAST"
}

func sortKeysString(keys []SortKey) string {
	s := ""
	for i, k := range keys {
		if i > 0 {
			s += ", "
		}
		s += k.String()
	}
	return s
}

// rowComparator compares rows i and j of one column.
type rowComparator func(i, j int32) int

func columnComparator(a arrow.Array, k SortKey) rowComparator {
	var c rowComparator
	switch x := a.(type) {
	case *array.Int32:
		v := x.Int32Values()
		c = func(i, j int32) int { return cmp.Compare(v[i], v[j]) }
	case *array.Int64:
		v := x.Int64Values()
		c = func(i, j int32) int { return cmp.Compare(v[i], v[j]) }
	case *array.Float64:
		v := x.Float64Values()
		c = func(i, j int32) int { return cmp.Compare(v[i], v[j]) }
	case *array.Date32:
		v := x.Date32Values()
		c = func(i, j int32) int { return cmp.Compare(v[i], v[j]) }
	case *array.Timestamp:
		v := x.TimestampValues()
		c = func(i, j int32) int { return cmp.Compare(v[i], v[j]) }
	case *array.String:
		c = func(i, j int32) int { return bytes.Compare(strAt(x, int(i)), strAt(x, int(j))) }
	case *array.Boolean:
		c = func(i, j int32) int {
			bi, bj := x.Value(int(i)), x.Value(int(j))
			switch {
			case bi == bj:
				return 0
			case bj:
				return -1
			}
			return 1
		}
	default:
		c = func(i, j int32) int {
			return cmp.Compare(fmt.Sprint(ValueAt(a, int(i))), fmt.Sprint(ValueAt(a, int(j))))
		}
	}
	if k.Desc {
		inner := c
		c = func(i, j int32) int { return -inner(i, j) }
	}
	if a.NullN() > 0 {
		inner := c
		nullCmp := 1
		if k.NullsFirst {
			nullCmp = -1
		}
		c = func(i, j int32) int {
			ni, nj := a.IsNull(int(i)), a.IsNull(int(j))
			switch {
			case ni && nj:
				return 0
			case ni:
				return nullCmp
			case nj:
				return -nullCmp
			}
			return inner(i, j)
		}
	}
	return c
}

// SortIndices returns the row order of rec by keys (stable).
func SortIndices(rec arrow.Record, keys []SortKey) ([]int32, error) {
	cols := make([]arrow.Array, len(keys))
	defer releaseArrays(cols)
	cmps := make([]rowComparator, len(keys))
	for i, k := range keys {
		a, err := k.X.Eval(rec)
		if err != nil {
			return nil, err
		}
		cols[i] = a
		cmps[i] = columnComparator(a, k)
	}
	idx := make([]int32, rec.NumRows())
	for i := range idx {
		idx[i] = int32(i)
	}
	if len(cmps) == 1 {
		slices.SortStableFunc(idx, cmps[0])
		return idx, nil
	}
	slices.SortStableFunc(idx, func(i, j int32) int {
		for _, c := range cmps {
			if r := c(i, j); r != 0 {
				return r
			}
		}
		return 0
	})
	return idx, nil
}
