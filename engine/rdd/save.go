package rdd

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
)

// saveTextOp writes a partition as part-NNNNN in dir. The task writes a
// file private to its attempt and renames it into place when it is
// complete, so a failed or retried attempt never leaves a partial part.
type saveTextOp struct{ dir string }

func (o saveTextOp) Run(tc *TaskContext, it Iterator) any {
	part := fmt.Sprintf("part-%05d", tc.PartitionID)
	tmpDir := filepath.Join(o.dir, "_temporary")
	tmp := filepath.Join(tmpDir, fmt.Sprintf("%s-attempt-%d", part, tc.TaskAttemptID))
	f, err := os.Create(tmp)
	if err != nil {
		panic(&UserPanicError{Value: fmt.Errorf("SaveAsTextFile: %w", err)})
	}
	defer f.Close()
	defer os.Remove(tmp) // a no-op once renamed
	w := bufio.NewWriterSize(f, 256<<10)
	for x, ok := it(); ok; x, ok = it() {
		fmt.Fprintln(w, x)
	}
	if err := w.Flush(); err != nil {
		panic(&UserPanicError{Value: fmt.Errorf("SaveAsTextFile: writing %s: %w", tmp, err)})
	}
	if err := f.Close(); err != nil {
		panic(&UserPanicError{Value: fmt.Errorf("SaveAsTextFile: writing %s: %w", tmp, err)})
	}
	if err := os.Rename(tmp, filepath.Join(o.dir, part)); err != nil {
		panic(&UserPanicError{Value: fmt.Errorf("SaveAsTextFile: %w", err)})
	}
	return nil
}

// SaveAsTextFile writes the elements, one per line as fmt prints them, into
// the directory dir: one part-NNNNN file per partition and an empty _SUCCESS
// file once every part is written. dir must not exist.
func (r *RDD) SaveAsTextFile(dir string) {
	if _, err := os.Stat(dir); err == nil {
		panic(usagef("SaveAsTextFile", r.site(), "output directory %s already exists", dir))
	}
	if err := os.MkdirAll(filepath.Join(dir, "_temporary"), 0o755); err != nil {
		panic(usagef("SaveAsTextFile", r.site(), "%v", err))
	}
	r.runJob(saveTextOp{dir}, allPartitions(r), func(int, any) {})
	if err := os.RemoveAll(filepath.Join(dir, "_temporary")); err != nil {
		panic(usagef("SaveAsTextFile", r.site(), "%v", err))
	}
	if err := os.WriteFile(filepath.Join(dir, "_SUCCESS"), nil, 0o644); err != nil {
		panic(usagef("SaveAsTextFile", r.site(), "%v", err))
	}
}
