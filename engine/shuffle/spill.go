package shuffle

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"gospark/engine/rdd"
	"gospark/engine/storage"
)

// DefaultSpillThreshold is the estimated size of buffered records at which
// a map task writes its buckets to a spill file, when the store was not
// given one.
const DefaultSpillThreshold = 256 << 20

// spillFile holds the buckets of one spill, one segment per reduce
// partition.
type spillFile struct {
	path    string
	offsets []int64 // len = partitions+1
}

// copySegment appends reduce partition r's segment to w.
func (sf *spillFile) copySegment(w io.Writer, r int) error {
	n := sf.offsets[r+1] - sf.offsets[r]
	if n == 0 {
		return nil
	}
	f, err := os.Open(sf.path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(w, io.NewSectionReader(f, sf.offsets[r], n))
	return err
}

// spiller decides when a map task's buffered records are too big and writes
// them out. Only streams that can be concatenated can spill: the codec's
// can (records are framed one by one, with no header); Arrow IPC streams
// cannot, and SQL batches are compact anyway.
type spiller struct {
	s         *Store
	tc        *rdd.TaskContext
	dep       *rdd.ShuffleDependency
	enabled   bool
	threshold int64
	buffered  int
	recent    []any
	files     []*spillFile
}

func (s *Store) newSpiller(tc *rdd.TaskContext, dep *rdd.ShuffleDependency) *spiller {
	_, codec := dep.Serializer.(rdd.CodecSerializer)
	t := s.SpillThreshold
	if t <= 0 {
		t = DefaultSpillThreshold
	}
	return &spiller{s: s, tc: tc, dep: dep, enabled: codec, threshold: t}
}

// added is called after each record is buffered; every 1024 records it
// estimates the buffered size from a sample and spills past the threshold.
func (sp *spiller) added(buckets []bucket, rec any) error {
	if !sp.enabled {
		return nil
	}
	sp.buffered++
	if len(sp.recent) < 64 {
		sp.recent = append(sp.recent, rec)
	} else {
		sp.recent[sp.buffered%64] = rec
	}
	if sp.buffered%1024 != 0 {
		return nil
	}
	est := storage.EstimateSize(sp.recent) * int64(sp.buffered) / int64(len(sp.recent))
	if est < sp.threshold {
		return nil
	}
	return sp.spill(buckets)
}

func (sp *spiller) spill(buckets []bucket) error {
	path := filepath.Join(sp.s.dir, fmt.Sprintf("spill_%d_%d_%d", sp.dep.ShuffleID, sp.tc.PartitionID, len(sp.files)))
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("shuffle %d: spilling: %w", sp.dep.ShuffleID, err)
	}
	defer f.Close()
	bw := bufio.NewWriterSize(f, 256<<10)
	cw := &countingWriter{w: bw}
	sf := &spillFile{path: path, offsets: make([]int64, len(buckets)+1)}
	for r := range buckets {
		if len(buckets[r].records) > 0 {
			w := sp.dep.Serializer.NewWriter(cw)
			for _, rec := range buckets[r].records {
				if err := w.Write(rec); err != nil {
					return fmt.Errorf("shuffle %d: spilling a record: %w", sp.dep.ShuffleID, err)
				}
			}
			if err := w.Flush(); err != nil {
				return err
			}
			clear(buckets[r].records)
			buckets[r].records = buckets[r].records[:0]
		}
		sf.offsets[r+1] = cw.n
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	sp.files = append(sp.files, sf)
	sp.buffered = 0
	sp.s.spills.Add(1)
	return nil
}

// cleanup deletes the spill files.
func (sp *spiller) cleanup() {
	for _, sf := range sp.files {
		os.Remove(sf.path)
	}
}
