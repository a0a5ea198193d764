// Package source reads and writes the file formats of the DataFrame API —
// CSV, JSON Lines and Parquet — as physical scan operators over Arrow
// record batches, and writes DataFrames back out.
package source

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"

	"gospark/engine/sql/exec"
)

// File is one input file.
type File struct {
	Path string
	Size int64
	// Root is the path (file, directory or glob match) the file was found
	// under; PartValues are the values of the key=value folders between
	// Root and the file, in order (nil for a NULL partition).
	Root       string
	PartValues []*string
}

// Split is a byte range of a file that one partition reads. Text formats
// start at the first line beginning at or after Start and read through the
// line that contains End-1, as Hadoop's line reader does.
type Split struct {
	File  File
	Start int64
	End   int64
}

// MaxPartitionBytes is spark.sql.files.maxPartitionBytes.
const MaxPartitionBytes = 128 << 20

// OpenCostInBytes is spark.sql.files.openCostInBytes.
const OpenCostInBytes = 4 << 20

// ListFiles expands paths (files, directories, globs) into data files,
// skipping names that start with "_" or "." like Spark.
func ListFiles(paths []string) ([]File, error) {
	var out []File
	for _, p := range paths {
		matches, err := filepath.Glob(p)
		if err != nil {
			return nil, fmt.Errorf("bad path pattern %q: %w", p, err)
		}
		if len(matches) == 0 {
			return nil, fmt.Errorf("path does not exist: %s", p)
		}
		for _, m := range matches {
			err := filepath.Walk(m, func(path string, info os.FileInfo, err error) error {
				if err != nil {
					return err
				}
				base := filepath.Base(path)
				if path != m && (strings.HasPrefix(base, "_") || strings.HasPrefix(base, ".")) {
					if info.IsDir() {
						return filepath.SkipDir
					}
					return nil
				}
				if !info.IsDir() {
					out = append(out, File{Path: path, Size: info.Size(), Root: m})
				}
				return nil
			})
			if err != nil {
				return nil, err
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
}

// PlanSplits cuts files into splits the way Spark's FilePartition does:
// maxSplit = min(MaxPartitionBytes, max(OpenCostInBytes, total/parallelism)).
func PlanSplits(files []File, parallelism int, splittable bool) []Split {
	var total int64
	for _, f := range files {
		total += f.Size + OpenCostInBytes
	}
	if parallelism < 1 {
		parallelism = 1
	}
	maxSplit := min(int64(MaxPartitionBytes), max(int64(OpenCostInBytes), total/int64(parallelism)))
	var out []Split
	for _, f := range files {
		if !splittable || f.Size <= maxSplit {
			out = append(out, Split{File: f, Start: 0, End: f.Size})
			continue
		}
		for off := int64(0); off < f.Size; off += maxSplit {
			out = append(out, Split{File: f, Start: off, End: min(off+maxSplit, f.Size)})
		}
	}
	return out
}

// readLines returns the bytes of the whole lines of split s, and whether
// the split starts at the beginning of the file.
func readLines(s Split) ([]byte, error) {
	f, err := os.Open(s.File.Path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// Read a little past End to finish the last line.
	const tail = 64 << 10
	start := s.Start
	if start > 0 {
		start-- // to see whether Start begins a line
	}
	end := s.End
	buf := make([]byte, 0, end-start+tail)
	chunk := buf[:end-start]
	if _, err := f.ReadAt(chunk, start); err != nil && int64(len(chunk)) != end-start {
		return nil, err
	}
	buf = chunk
	// Finish the line that contains End-1.
	for end < s.File.Size && (len(buf) == 0 || buf[len(buf)-1] != '\n') {
		more := make([]byte, min(int64(tail), s.File.Size-end))
		n, err := f.ReadAt(more, end)
		if n == 0 && err != nil {
			return nil, err
		}
		more = more[:n]
		if i := indexByte(more, '\n'); i >= 0 {
			buf = append(buf, more[:i+1]...)
			break
		}
		buf = append(buf, more...)
		end += int64(n)
	}
	if s.Start > 0 {
		// Skip the partial first line: it belongs to the previous split.
		if buf[0] == '\n' {
			buf = buf[1:]
		} else if i := indexByte(buf, '\n'); i >= 0 {
			buf = buf[i+1:]
		} else {
			buf = nil
		}
	}
	return buf, nil
}

// splitScan is what the scans of splittable text formats (CSV, JSON Lines)
// share: their splits, the projected columns and the projected schema.
type splitScan struct {
	Splits []Split
	// Columns lists, for each output column, its index in the source schema.
	Columns []int
	// S is the projected schema.
	S *arrow.Schema
}

// newSplitScan plans the splits of files for parallelism and projects
// schema onto columns.
func newSplitScan(schema *arrow.Schema, files []File, columns []int, parallelism int) splitScan {
	fs := make([]arrow.Field, len(columns))
	for i, c := range columns {
		fs[i] = schema.Field(c)
	}
	return splitScan{Splits: PlanSplits(files, parallelism, true), Columns: columns, S: arrow.NewSchema(fs, nil)}
}

// Schema returns the projected schema.
func (s *splitScan) Schema() *arrow.Schema { return s.S }

// Children returns none: a scan is a leaf.
func (s *splitScan) Children() []exec.Operator { return nil }

// Partitions returns the number of splits, at least 1.
func (s *splitScan) Partitions() int { return max(1, len(s.Splits)) }
