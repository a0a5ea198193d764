package engine

import (
	"fmt"
	"os"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Conf holds settings under Spark's keys, e.g. "spark.master": "local[4]".
// Unset keys take defaults that suit one machine.
type Conf map[string]string

// Defaults for keys that are not set.
var confDefaults = map[string]string{
	"spark.master":                 "local[*]",
	"spark.app.name":               "gospark",
	"spark.executor.memory":        "2g",
	"spark.memory.fraction":        "0.6",
	"spark.locality.wait":          "3s",
	"spark.task.maxFailures":       "4",
	"spark.local.dir":              os.TempDir(),
	"spark.ui.showConsoleProgress": "true",
}

// Get returns the value of key, or its default, or "".
func (c Conf) Get(key string) string {
	if v, ok := c[key]; ok {
		return v
	}
	return confDefaults[key]
}

// Set sets key to value and returns c.
func (c Conf) Set(key, value string) Conf {
	c[key] = value
	return c
}

// Keys returns the keys set explicitly, sorted.
func (c Conf) Keys() []string {
	ks := make([]string, 0, len(c))
	for k := range c {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// confError names the key and the bad value.
func confError(key, value, want string) error {
	return fmt.Errorf("bad configuration %s=%q: %s", key, value, want)
}

func (c Conf) intValue(key string) (int, error) {
	v := c.Get(key)
	n, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || n < 0 {
		return 0, confError(key, v, "want a non-negative integer")
	}
	return n, nil
}

func (c Conf) floatValue(key string) (float64, error) {
	v := c.Get(key)
	f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil || f < 0 || f > 1 {
		return 0, confError(key, v, "want a fraction between 0 and 1")
	}
	return f, nil
}

// ParseBytes reads a size as Spark writes them: "512m", "2g", "1024k",
// "100" (bytes; a bare number for memory keys means MiB in Spark, so
// callers pass a default unit).
func ParseBytes(s string, defaultUnit int64) (int64, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.TrimSuffix(s, "b")
	units := map[byte]int64{'k': 1 << 10, 'm': 1 << 20, 'g': 1 << 30, 't': 1 << 40}
	unit := defaultUnit
	if n := len(s); n > 0 {
		if u, ok := units[s[n-1]]; ok {
			unit, s = u, s[:n-1]
		}
	}
	n, err := strconv.ParseFloat(s, 64)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("not a size: %q (want e.g. 512m or 2g)", s)
	}
	return int64(n * float64(unit)), nil
}

func (c Conf) bytesValue(key string) (int64, error) {
	v := c.Get(key)
	n, err := ParseBytes(v, 1<<20)
	if err != nil {
		return 0, confError(key, v, "want a size like 512m or 2g")
	}
	return n, nil
}

// ParseDuration reads a time as Spark writes them: "3s", "100ms", "2min",
// or a bare number of seconds.
func ParseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if n, err := strconv.ParseFloat(s, 64); err == nil {
		return time.Duration(n * float64(time.Second)), nil
	}
	s = strings.Replace(s, "min", "m", 1)
	return time.ParseDuration(s)
}

func (c Conf) durationValue(key string) (time.Duration, error) {
	v := c.Get(key)
	d, err := ParseDuration(v)
	if err != nil || d < 0 {
		return 0, confError(key, v, "want a duration like 3s or 100ms")
	}
	return d, nil
}

// Master is a parsed master URL.
type Master struct {
	// URL is the master as given.
	URL string
	// Executors, Cores and Memory describe the in-process cluster.
	Executors int
	Cores     int
	Memory    int64 // 0: from spark.executor.memory
	// MaxFailures is set by local[N,F]; 0 means not given.
	MaxFailures int
	// Cluster is true for local-cluster[E,C,M], false for local modes.
	Cluster bool
}

var (
	localRE        = regexp.MustCompile(`^local(?:\[\s*(\*|\d+)\s*(?:,\s*(\d+)\s*)?\])?$`)
	localClusterRE = regexp.MustCompile(`^local-cluster\[\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*\]$`)
)

// ParseMaster reads local, local[N], local[*], local[N,F] and
// local-cluster[E,C,M] (E executors of C cores and M MiB each).
func ParseMaster(url string) (Master, error) {
	m := Master{URL: url}
	if g := localRE.FindStringSubmatch(url); g != nil {
		m.Executors, m.Cores, m.MaxFailures = 1, 1, 1
		switch {
		case g[1] == "*":
			m.Cores = runtime.NumCPU()
		case g[1] != "":
			m.Cores, _ = strconv.Atoi(g[1])
		}
		if g[2] != "" {
			m.MaxFailures, _ = strconv.Atoi(g[2])
		}
		if m.Cores < 1 {
			return m, confError("spark.master", url, "local[N] needs N >= 1")
		}
		return m, nil
	}
	if g := localClusterRE.FindStringSubmatch(url); g != nil {
		m.Cluster = true
		m.Executors, _ = strconv.Atoi(g[1])
		m.Cores, _ = strconv.Atoi(g[2])
		mb, _ := strconv.Atoi(g[3])
		m.Memory = int64(mb) << 20
		if m.Executors < 1 || m.Cores < 1 || mb < 1 {
			return m, confError("spark.master", url, "local-cluster[E,C,M] needs E, C and M >= 1")
		}
		return m, nil
	}
	return m, confError("spark.master", url,
		"want local, local[N], local[*], local[N,F] or local-cluster[E,C,M]; remote masters are not supported yet")
}
