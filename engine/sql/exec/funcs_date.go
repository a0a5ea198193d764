package exec

import (
	"strings"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
)

// datesOf returns the days since the epoch of a date column.
func timesOf(a arrow.Array) ([]time.Time, Bitmap) {
	n := a.Len()
	out := make([]time.Time, n)
	switch x := a.(type) {
	case *array.Date32:
		for i, v := range x.Date32Values() {
			out[i] = v.ToTime()
		}
	case *array.Timestamp:
		for i, v := range x.TimestampValues() {
			out[i] = tsTime(v)
		}
	}
	return out, validBitmapOf(a)
}

func registerDates() {
	part := func(name string, f func(t time.Time) int32) {
		register(name, &ScalarDef{MinArgs: 1, MaxArgs: 1,
			Resolve: func(in []arrow.DataType) ([]arrow.DataType, arrow.DataType, error) {
				if in[0].ID() == arrow.DATE32 {
					return in, Int32, nil
				}
				return []arrow.DataType{Timestamp}, Int32, nil
			},
			Build: kernel(func(args []arrow.Array, n int) (arrow.Array, error) {
				ts, valid := timesOf(args[0])
				out := make([]int32, n)
				for i, t := range ts {
					out[i] = f(t)
				}
				return FixedArray(Int32, out, valid), nil
			})})
	}
	part("year", func(t time.Time) int32 { return int32(t.Year()) })
	part("month", func(t time.Time) int32 { return int32(t.Month()) })
	part("dayofmonth,day", func(t time.Time) int32 { return int32(t.Day()) })
	part("dayofweek", func(t time.Time) int32 { return int32(t.Weekday()) + 1 })
	part("dayofyear", func(t time.Time) int32 { return int32(t.YearDay()) })
	part("quarter", func(t time.Time) int32 { return int32(t.Month()-1)/3 + 1 })
	part("weekofyear", func(t time.Time) int32 { _, w := t.ISOWeek(); return int32(w) })
	part("hour", func(t time.Time) int32 { return int32(t.Hour()) })
	part("minute", func(t time.Time) int32 { return int32(t.Minute()) })
	part("second", func(t time.Time) int32 { return int32(t.Second()) })

	parseWith := func(ret arrow.DataType) func(lits []any, _ arrow.DataType) (Kernel, error) {
		return func(lits []any, _ arrow.DataType) (Kernel, error) {
			return func(args []arrow.Array, n int) (arrow.Array, error) {
				if len(args) == 1 {
					return CastArray(args[0], ret)
				}
				sa := args[0].(*array.String)
				fa := args[1].(*array.String)
				vals := make([]int64, n)
				valid := NewValidBitmap(n)
				for i := 0; i < n; i++ {
					if sa.IsNull(i) || fa.IsNull(i) {
						valid.Clear(i)
						continue
					}
					t, ok := parseWithLayout(GoLayout(fa.Value(i)), sa.Value(i))
					if !ok {
						valid.Clear(i)
						continue
					}
					if ret.ID() == arrow.DATE32 {
						vals[i] = int64(arrow.Date32FromTime(t))
					} else {
						vals[i] = t.UnixMicro()
					}
				}
				if ret.ID() == arrow.DATE32 {
					d := make([]arrow.Date32, n)
					for i, v := range vals {
						d[i] = arrow.Date32(v)
					}
					return FixedArray(Date32, d, valid), nil
				}
				t := make([]arrow.Timestamp, n)
				for i, v := range vals {
					t[i] = arrow.Timestamp(v)
				}
				return FixedArray(Timestamp, t, valid), nil
			}, nil
		}
	}
	toType := func(ret arrow.DataType) func(in []arrow.DataType) ([]arrow.DataType, arrow.DataType, error) {
		return func(in []arrow.DataType) ([]arrow.DataType, arrow.DataType, error) {
			if len(in) == 1 {
				return in, ret, nil
			}
			return []arrow.DataType{String, String}, ret, nil
		}
	}
	register("to_date", &ScalarDef{MinArgs: 1, MaxArgs: 2, Resolve: toType(Date32), Build: parseWith(Date32)})
	register("to_timestamp", &ScalarDef{MinArgs: 1, MaxArgs: 2, Resolve: toType(Timestamp), Build: parseWith(Timestamp)})
	register("date_format", &ScalarDef{MinArgs: 2, MaxArgs: 2, Resolve: fixed(String, Timestamp, String),
		Build: kernel(func(args []arrow.Array, n int) (arrow.Array, error) {
			ts, _ := timesOf(args[0])
			fa := args[1].(*array.String)
			b := NewStringBuilder(n, n*16)
			for i := 0; i < n; i++ {
				if args[0].IsNull(i) || fa.IsNull(i) {
					b.AppendNull()
					continue
				}
				b.AppendString(ts[i].Format(GoLayout(fa.Value(i))))
			}
			return b.Finish(), nil
		})})
	register("datediff", &ScalarDef{MinArgs: 2, MaxArgs: 2, Resolve: fixed(Int32, Date32, Date32),
		Build: kernel(func(args []arrow.Array, n int) (arrow.Array, error) {
			a, b := args[0].(*array.Date32).Date32Values(), args[1].(*array.Date32).Date32Values()
			out := make([]int32, n)
			for i := range out {
				out[i] = int32(a[i] - b[i])
			}
			return FixedArray(Int32, out, andValid(args[0], args[1])), nil
		})})
	addDays := func(name string, sign int32) {
		register(name, &ScalarDef{MinArgs: 2, MaxArgs: 2, Resolve: fixed(Date32, Date32, Int32),
			Build: kernel(func(args []arrow.Array, n int) (arrow.Array, error) {
				a, b := args[0].(*array.Date32).Date32Values(), args[1].(*array.Int32).Int32Values()
				out := make([]arrow.Date32, n)
				for i := range out {
					out[i] = a[i] + arrow.Date32(sign*b[i])
				}
				return FixedArray(Date32, out, andValid(args[0], args[1])), nil
			})})
	}
	addDays("date_add", 1)
	addDays("date_sub", -1)
	register("add_months", &ScalarDef{MinArgs: 2, MaxArgs: 2, Resolve: fixed(Date32, Date32, Int32),
		Build: kernel(func(args []arrow.Array, n int) (arrow.Array, error) {
			a, b := args[0].(*array.Date32).Date32Values(), args[1].(*array.Int32).Int32Values()
			out := make([]arrow.Date32, n)
			for i := range out {
				t := a[i].ToTime()
				y, m, d := t.Date()
				first := time.Date(y, m+time.Month(b[i]), 1, 0, 0, 0, 0, time.UTC)
				last := first.AddDate(0, 1, -1).Day()
				if d > last {
					d = last
				}
				out[i] = arrow.Date32FromTime(time.Date(first.Year(), first.Month(), d, 0, 0, 0, 0, time.UTC))
			}
			return FixedArray(Date32, out, andValid(args[0], args[1])), nil
		})})
	register("date_trunc", &ScalarDef{MinArgs: 2, MaxArgs: 2, Resolve: fixed(Timestamp, String, Timestamp),
		Build: kernel(func(args []arrow.Array, n int) (arrow.Array, error) {
			unit := args[0].(*array.String)
			ts, valid := timesOf(args[1])
			if valid == nil {
				valid = NewValidBitmap(n)
			}
			out := make([]arrow.Timestamp, n)
			for i, t := range ts {
				if unit.IsNull(i) || !valid.Get(i) {
					valid.Clear(i)
					continue
				}
				y, m, d := t.Date()
				var r time.Time
				switch strings.ToLower(unit.Value(i)) {
				case "year", "yyyy", "yy":
					r = time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
				case "quarter":
					r = time.Date(y, (m-1)/3*3+1, 1, 0, 0, 0, 0, time.UTC)
				case "month", "mon", "mm":
					r = time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)
				case "week":
					wd := (int(t.Weekday()) + 6) % 7
					r = time.Date(y, m, d-wd, 0, 0, 0, 0, time.UTC)
				case "day", "dd":
					r = time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
				case "hour":
					r = t.Truncate(time.Hour)
				case "minute":
					r = t.Truncate(time.Minute)
				case "second":
					r = t.Truncate(time.Second)
				default:
					valid.Clear(i)
					continue
				}
				out[i] = arrow.Timestamp(r.UnixMicro())
			}
			return FixedArray(Timestamp, out, valid), nil
		})})
	register("unix_timestamp", &ScalarDef{MinArgs: 1, MaxArgs: 1, Resolve: fixed(Int64, Timestamp),
		Build: kernel(func(args []arrow.Array, n int) (arrow.Array, error) {
			out := make([]int64, n)
			for i, v := range args[0].(*array.Timestamp).TimestampValues() {
				out[i] = floorDiv(int64(v), 1e6)
			}
			return FixedArray(Int64, out, validBitmapOf(args[0])), nil
		})})
	register("from_unixtime", &ScalarDef{MinArgs: 1, MaxArgs: 1, Resolve: fixed(String, Int64),
		Build: kernel(func(args []arrow.Array, n int) (arrow.Array, error) {
			b := NewStringBuilder(n, n*19)
			for i, v := range args[0].(*array.Int64).Int64Values() {
				if args[0].IsNull(i) {
					b.AppendNull()
					continue
				}
				b.AppendString(time.Unix(v, 0).UTC().Format("2006-01-02 15:04:05"))
			}
			return b.Finish(), nil
		})})
	register("current_date", &ScalarDef{MinArgs: 0, MaxArgs: 0, Resolve: fixed(Date32, Date32),
		Build: kernel(func(args []arrow.Array, n int) (arrow.Array, error) {
			return ConstArray(arrow.Date32FromTime(time.Now().UTC()), Date32, n), nil
		})})
	register("current_timestamp,now", &ScalarDef{MinArgs: 0, MaxArgs: 0, Resolve: fixed(Timestamp, Timestamp),
		Build: kernel(func(args []arrow.Array, n int) (arrow.Array, error) {
			return ConstArray(arrow.Timestamp(time.Now().UnixMicro()), Timestamp, n), nil
		})})
}
