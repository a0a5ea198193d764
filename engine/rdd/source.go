package rdd

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
)

// parallelOp serves slices of a driver-side slice.
type parallelOp struct {
	data   reflect.Value
	slices int
}

func (o *parallelOp) bounds(split int) (int, int) {
	n := o.data.Len()
	return split * n / o.slices, (split + 1) * n / o.slices
}

func (o *parallelOp) Compute(tc *TaskContext, _ *RDD, split int) Iterator {
	i, end := o.bounds(split)
	if xs, ok := o.data.Interface().([]any); ok {
		return func() (any, bool) {
			if i >= end {
				return nil, false
			}
			tc.Poll()
			i++
			return xs[i-1], true
		}
	}
	return func() (any, bool) {
		if i >= end {
			return nil, false
		}
		tc.Poll()
		i++
		return o.data.Index(i - 1).Interface(), true
	}
}

// Parallelize distributes the elements of data, a slice of any type, over
// numSlices partitions. The slice is copied, so later changes to it do not
// change the RDD.
func Parallelize(ctx Context, data any, numSlices int) *RDD {
	v := reflect.ValueOf(data)
	if data == nil || (v.Kind() != reflect.Slice && v.Kind() != reflect.Array) {
		panic(usagef("Parallelize", ctx.CallSite(), "needs a slice, got %T", data))
	}
	if numSlices < 1 {
		panic(usagef("Parallelize", ctx.CallSite(), "numSlices must be at least 1, got %d", numSlices))
	}
	cp := reflect.MakeSlice(reflect.SliceOf(v.Type().Elem()), v.Len(), v.Len())
	reflect.Copy(cp, v)
	var elem reflect.Type
	if et := v.Type().Elem(); et.Kind() != reflect.Interface {
		elem = et
	}
	return New(ctx, Spec{Kind: "ParallelCollectionRDD", OpName: "Parallelize", NumPartitions: numSlices,
		Op: &parallelOp{data: cp, slices: numSlices}, Elem: elem})
}

// rangeOp generates ints start, start+step, … below end (above, when step is
// negative), split evenly over the partitions.
type rangeOp struct {
	start, end, step int
	slices           int
}

func (o *rangeOp) count() int {
	if o.step > 0 && o.end > o.start {
		return (o.end - o.start + o.step - 1) / o.step
	}
	if o.step < 0 && o.end < o.start {
		return (o.start - o.end - o.step - 1) / -o.step
	}
	return 0
}

func (o *rangeOp) Compute(tc *TaskContext, _ *RDD, split int) Iterator {
	n := o.count()
	i, end := split*n/o.slices, (split+1)*n/o.slices
	return func() (any, bool) {
		if i >= end {
			return nil, false
		}
		tc.Poll()
		i++
		return o.start + (i-1)*o.step, true
	}
}

// Range returns the ints from start up to end (exclusive) by step, over
// numSlices partitions, like Spark's sc.range.
func Range(ctx Context, start, end, step, numSlices int) *RDD {
	if step == 0 {
		panic(usagef("Range", ctx.CallSite(), "step cannot be 0"))
	}
	if numSlices < 1 {
		panic(usagef("Range", ctx.CallSite(), "numSlices must be at least 1, got %d", numSlices))
	}
	return New(ctx, Spec{Kind: "ParallelCollectionRDD", OpName: "Range", NumPartitions: numSlices,
		Op: &rangeOp{start, end, step, numSlices}, Elem: reflect.TypeFor[int]()})
}

// ListFiles expands a path for the file sources: a comma-separated list of
// files, directories and glob patterns. Directories contribute their files
// (not recursively), skipping names that start with "_" or "." as Hadoop
// does. The result is sorted and never empty: a path that matches nothing is
// an error naming it.
func ListFiles(path string) ([]string, error) {
	var files []string
	for _, p := range strings.Split(path, ",") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		matches, err := filepath.Glob(p)
		if err != nil {
			return nil, fmt.Errorf("bad glob pattern %q: %w", p, err)
		}
		if len(matches) == 0 {
			return nil, fmt.Errorf("input path does not exist: %s", p)
		}
		for _, m := range matches {
			fi, err := os.Stat(m)
			if err != nil {
				return nil, err
			}
			if !fi.IsDir() {
				files = append(files, m)
				continue
			}
			ents, err := os.ReadDir(m)
			if err != nil {
				return nil, err
			}
			for _, e := range ents {
				if e.IsDir() || strings.HasPrefix(e.Name(), "_") || strings.HasPrefix(e.Name(), ".") {
					continue
				}
				files = append(files, filepath.Join(m, e.Name()))
			}
		}
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("input path %s holds no files", path)
	}
	sort.Strings(files)
	return files, nil
}

// fileSplit is a byte range of one file.
type fileSplit struct {
	Path        string
	Start, Size int64
	Whole       bool // compressed: read whole, from the start
}

// splitFiles cuts files into about minSplits ranges of similar size, keeping
// gzip files whole.
func splitFiles(files []string, minSplits int) ([]fileSplit, error) {
	var total int64
	sizes := make([]int64, len(files))
	for i, f := range files {
		fi, err := os.Stat(f)
		if err != nil {
			return nil, err
		}
		sizes[i] = fi.Size()
		total += fi.Size()
	}
	goal := total / int64(max(minSplits, 1))
	goal = max(min(goal, 32<<20), 1) // at most 32 MB, the local block size of Hadoop
	var out []fileSplit
	for i, f := range files {
		if strings.HasSuffix(f, ".gz") || sizes[i] == 0 {
			out = append(out, fileSplit{Path: f, Size: sizes[i], Whole: true})
			continue
		}
		for off := int64(0); off < sizes[i]; {
			n := min(goal, sizes[i]-off)
			// Fold a small tail into this split, like Hadoop's 10% slop.
			if rest := sizes[i] - off - n; rest > 0 && rest < goal/10 {
				n += rest
			}
			out = append(out, fileSplit{Path: f, Start: off, Size: n})
			off += n
		}
	}
	return out, nil
}

// textOp reads the lines of file splits. A line belongs to the split in
// which its first byte lies: a split that does not start its file skips the
// line in progress at its start, and every split reads past its end to finish
// its last line.
type textOp struct{ splits []fileSplit }

func (o *textOp) Compute(tc *TaskContext, _ *RDD, split int) Iterator {
	s := o.splits[split]
	f, err := os.Open(s.Path)
	if err != nil {
		panic(&UserPanicError{Value: fmt.Errorf("TextFile: %w", err)})
	}
	tc.OnCompletion(func() { f.Close() })
	var r io.Reader = f
	if strings.HasSuffix(s.Path, ".gz") {
		gz, err := gzip.NewReader(f)
		if err != nil {
			panic(&UserPanicError{Value: fmt.Errorf("TextFile: %s: %w", s.Path, err)})
		}
		r = gz
	}
	pos := s.Start
	if !s.Whole && s.Start > 0 {
		// Start one byte early: if that byte ends a line, the split starts
		// at a line boundary and skipping "the partial line" skips nothing.
		if _, err := f.Seek(s.Start-1, io.SeekStart); err != nil {
			panic(&UserPanicError{Value: err})
		}
		pos = s.Start - 1
	}
	br := bufio.NewReaderSize(r, 256<<10)
	if !s.Whole && s.Start > 0 {
		skipped, err := br.ReadSlice('\n')
		for err == bufio.ErrBufferFull {
			pos += int64(len(skipped))
			skipped, err = br.ReadSlice('\n')
		}
		pos += int64(len(skipped))
	}
	end := s.Start + s.Size
	done := false
	return func() (any, bool) {
		if done || (!s.Whole && pos >= end) {
			return nil, false
		}
		tc.Poll()
		line, err := br.ReadString('\n')
		if err != nil && err != io.EOF {
			panic(&UserPanicError{Value: fmt.Errorf("TextFile: reading %s: %w", s.Path, err)})
		}
		if err == io.EOF {
			done = true
			if line == "" {
				return nil, false
			}
		}
		pos += int64(len(line))
		line = strings.TrimSuffix(line, "\n")
		line = strings.TrimSuffix(line, "\r")
		return line, true
	}
}

// TextFile reads text files line by line: a file, a directory, a glob or a
// comma-separated list of those; files ending in .gz are decompressed. Files
// are split by size into at least minPartitions partitions.
func TextFile(ctx Context, path string, minPartitions int) *RDD {
	files, err := ListFiles(path)
	if err != nil {
		panic(usagef("TextFile", ctx.CallSite(), "%v", err))
	}
	splits, err := splitFiles(files, minPartitions)
	if err != nil {
		panic(usagef("TextFile", ctx.CallSite(), "%v", err))
	}
	return New(ctx, Spec{Kind: "HadoopRDD", OpName: "TextFile", NumPartitions: len(splits),
		Op: &textOp{splits: splits}, Elem: reflect.TypeFor[string](), Name: path})
}

// wholeOp reads whole files as (path, content) pairs.
type wholeOp struct{ groups [][]string }

func (o *wholeOp) Compute(tc *TaskContext, _ *RDD, split int) Iterator {
	files := o.groups[split]
	i := 0
	return func() (any, bool) {
		if i >= len(files) {
			return nil, false
		}
		tc.Poll()
		p := files[i]
		i++
		b, err := readWhole(p)
		if err != nil {
			panic(&UserPanicError{Value: fmt.Errorf("WholeTextFiles: %w", err)})
		}
		return Pair{p, string(b)}, true
	}
}

func readWhole(p string) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(p, ".gz") {
		gz, err := gzip.NewReader(f)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		r = gz
	}
	return io.ReadAll(r)
}

// WholeTextFiles reads each file whole, as a Pair of its path and content.
func WholeTextFiles(ctx Context, path string, minPartitions int) *RDD {
	files, err := ListFiles(path)
	if err != nil {
		panic(usagef("WholeTextFiles", ctx.CallSite(), "%v", err))
	}
	n := max(min(minPartitions, len(files)), 1)
	groups := make([][]string, n)
	for i, f := range files {
		groups[i*n/len(files)] = append(groups[i*n/len(files)], f)
	}
	r := New(ctx, Spec{Kind: "WholeTextFileRDD", OpName: "WholeTextFiles", NumPartitions: n,
		Op: &wholeOp{groups: groups}, Elem: pairType, Name: path})
	r.typ.Key, r.typ.Value = reflect.TypeFor[string](), reflect.TypeFor[string]()
	return r
}
