package storage

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"gospark/engine/codec"
)

// DiskStore keeps blocks as files under a directory, encoded with
// engine/codec.
type DiskStore struct {
	dir string
}

// NewDiskStore returns a store under dir, creating it.
func NewDiskStore(dir string) (*DiskStore, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	return &DiskStore{dir: dir}, nil
}

// Dir returns the store's directory.
func (d *DiskStore) Dir() string { return d.dir }

func (d *DiskStore) path(id BlockID) string { return filepath.Join(d.dir, id.String()) }

// Put writes values to the block's file and returns its size.
func (d *DiskStore) Put(id BlockID, values []any) (int64, error) {
	tmp := d.path(id) + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return 0, err
	}
	w := bufio.NewWriterSize(f, 256<<10)
	enc := codec.NewEncoder(w)
	for _, v := range values {
		if err = enc.Encode(v); err != nil {
			break
		}
	}
	if err == nil {
		err = enc.Flush()
	}
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp)
		return 0, fmt.Errorf("writing block %s to disk: %w", id, err)
	}
	if err := os.Rename(tmp, d.path(id)); err != nil {
		return 0, err
	}
	fi, err := os.Stat(d.path(id))
	if err != nil {
		return 0, err
	}
	return fi.Size(), nil
}

// Get reads the block's values back; ok is false when the block is absent.
func (d *DiskStore) Get(id BlockID) (values []any, ok bool, err error) {
	f, err := os.Open(d.path(id))
	if errors.Is(err, os.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	defer f.Close()
	dec := codec.NewDecoder(bufio.NewReaderSize(f, 256<<10))
	for {
		v, err := dec.Decode()
		if err == io.EOF {
			return values, true, nil
		}
		if err != nil {
			return nil, false, fmt.Errorf("reading block %s from disk: %w", id, err)
		}
		values = append(values, v)
	}
}

// Contains reports whether the block is on disk.
func (d *DiskStore) Contains(id BlockID) bool {
	_, err := os.Stat(d.path(id))
	return err == nil
}

// Remove deletes the block's file and reports whether it was there.
func (d *DiskStore) Remove(id BlockID) bool { return os.Remove(d.path(id)) == nil }
