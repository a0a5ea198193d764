package shuffle

import (
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
)

// Store holds the shuffle files of one executor in a directory.
type Store struct {
	dir string
	// SpillThreshold is the estimated size of a map task's buffered
	// records at which it spills them to disk; 0 means
	// DefaultSpillThreshold.
	SpillThreshold int64

	spills atomic.Int64
}

// Spills returns how many times map tasks of this store spilled.
func (s *Store) Spills() int64 { return s.spills.Load() }

// NewStore returns a store under dir, creating it.
func NewStore(dir string) (*Store, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	return &Store{dir: dir}, nil
}

// Dir returns the store's directory.
func (s *Store) Dir() string { return s.dir }

func (s *Store) base(shuffleID, mapIndex int) string {
	return filepath.Join(s.dir, fmt.Sprintf("shuffle_%d_%d_0", shuffleID, mapIndex))
}

// Block reads reduce partition reduceID of a map output.
func (s *Store) Block(shuffleID, mapIndex, reduceID int) ([]byte, error) {
	base := s.base(shuffleID, mapIndex)
	idx, err := os.Open(base + ".index")
	if err != nil {
		return nil, err
	}
	defer idx.Close()
	var off [16]byte
	if _, err := idx.ReadAt(off[:], int64(reduceID)*8); err != nil {
		return nil, fmt.Errorf("shuffle index %s.index: %w", base, err)
	}
	start := int64(binary.LittleEndian.Uint64(off[:8]))
	end := int64(binary.LittleEndian.Uint64(off[8:]))
	data, err := os.Open(base + ".data")
	if err != nil {
		return nil, err
	}
	defer data.Close()
	b := make([]byte, end-start)
	if _, err := data.ReadAt(b, start); err != nil && err != io.EOF {
		return nil, fmt.Errorf("shuffle data %s.data: %w", base, err)
	}
	return b, nil
}

// Remove deletes the files of one shuffle.
func (s *Store) Remove(shuffleID int) {
	ents, _ := os.ReadDir(s.dir)
	prefix := fmt.Sprintf("shuffle_%d_", shuffleID)
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), prefix) {
			os.Remove(filepath.Join(s.dir, e.Name()))
		}
	}
}
