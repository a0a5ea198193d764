package exec

import (
	"strings"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
)

const microsPerDay = 86400 * 1e6

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// ParseDate parses the date forms Spark's cast accepts: yyyy, yyyy-[m]m,
// yyyy-[m]m-[d]d, optionally followed by a time part that is ignored.
func ParseDate(s []byte) (arrow.Date32, bool) {
	str := strings.TrimSpace(string(s))
	if i := strings.IndexAny(str, " T"); i > 0 {
		str = str[:i]
	}
	parts := strings.Split(str, "-")
	if len(parts) == 0 || len(parts) > 3 {
		return 0, false
	}
	nums := [3]int{0, 1, 1}
	for i, p := range parts {
		v, ok := ParseInt([]byte(p))
		if !ok || len(p) == 0 || (i == 0 && len(p) != 4) || (i > 0 && len(p) > 2) {
			return 0, false
		}
		nums[i] = int(v)
	}
	if nums[1] < 1 || nums[1] > 12 || nums[2] < 1 || nums[2] > 31 {
		return 0, false
	}
	t := time.Date(nums[0], time.Month(nums[1]), nums[2], 0, 0, 0, 0, time.UTC)
	if t.Day() != nums[2] {
		return 0, false
	}
	return arrow.Date32FromTime(t), true
}

var tsLayouts = []string{
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02T15:04:05.999999999Z07:00",
	"2006-01-02 15:04",
	"2006-01-02T15:04",
	"2006-01-02",
}

// ParseTimestamp parses yyyy-MM-dd[( |T)HH:mm[:ss[.ffffff]]][zone] as UTC.
func ParseTimestamp(s []byte) (arrow.Timestamp, bool) {
	str := strings.TrimSpace(string(s))
	for _, l := range tsLayouts {
		if t, err := time.Parse(l, str); err == nil {
			return arrow.Timestamp(t.UnixMicro()), true
		}
	}
	return 0, false
}

func tsTime(t arrow.Timestamp) time.Time { return time.UnixMicro(int64(t)).UTC() }

func formatTimestamp(t arrow.Timestamp) string {
	tt := tsTime(t)
	if tt.Nanosecond() == 0 {
		return tt.Format("2006-01-02 15:04:05")
	}
	return strings.TrimRight(tt.Format("2006-01-02 15:04:05.000000"), "0")
}

// GoLayout translates a Spark datetime pattern (yyyy-MM-dd HH:mm:ss.SSS,
// with quoted literals) into a Go time layout.
func GoLayout(p string) string {
	var b strings.Builder
	for i := 0; i < len(p); {
		c := p[i]
		if c == '\'' {
			j := strings.IndexByte(p[i+1:], '\'')
			if j < 0 {
				b.WriteString(p[i+1:])
				break
			}
			b.WriteString(p[i+1 : i+1+j])
			i += j + 2
			continue
		}
		j := i
		for j < len(p) && p[j] == c {
			j++
		}
		n := j - i
		switch c {
		case 'y':
			if n == 2 {
				b.WriteString("06")
			} else {
				b.WriteString("2006")
			}
		case 'M':
			switch {
			case n >= 4:
				b.WriteString("January")
			case n == 3:
				b.WriteString("Jan")
			case n == 2:
				b.WriteString("01")
			default:
				b.WriteString("1")
			}
		case 'd':
			if n == 2 {
				b.WriteString("02")
			} else {
				b.WriteString("2")
			}
		case 'H':
			b.WriteString("15")
		case 'h':
			if n == 2 {
				b.WriteString("03")
			} else {
				b.WriteString("3")
			}
		case 'm':
			if n == 2 {
				b.WriteString("04")
			} else {
				b.WriteString("4")
			}
		case 's':
			if n == 2 {
				b.WriteString("05")
			} else {
				b.WriteString("5")
			}
		case 'S':
			b.WriteString(strings.Repeat("0", n))
		case 'a':
			b.WriteString("PM")
		case 'E':
			if n >= 4 {
				b.WriteString("Monday")
			} else {
				b.WriteString("Mon")
			}
		case 'X', 'Z', 'x':
			b.WriteString("Z07:00")
		default:
			b.WriteString(p[i:j])
		}
		i = j
	}
	return b.String()
}

// parseWithLayout parses s (trimmed) with a Go layout.
func parseWithLayout(layout, s string) (time.Time, bool) {
	t, err := time.Parse(layout, strings.TrimSpace(s))
	return t, err == nil
}
