package rdd

import (
	"bufio"
	"io"

	"gospark/engine/codec"
)

// CodecSerializer is the default Serializer: engine/codec with a fast path
// for Pairs, the shape of almost every shuffle record.
type CodecSerializer struct{}

// Each record is framed by one byte: recPlain followed by the value, or
// recPair followed by the key and the value.
const (
	recPlain byte = iota
	recPair
)

// NewWriter implements Serializer.
func (CodecSerializer) NewWriter(w io.Writer) RecordWriter {
	return &codecWriter{enc: codec.NewEncoder(w)}
}

// NewReader implements Serializer.
func (CodecSerializer) NewReader(r io.Reader) RecordReader {
	return &codecReader{dec: codec.NewDecoder(bufio.NewReaderSize(r, 64<<10))}
}

type codecWriter struct{ enc *codec.Encoder }

func (w *codecWriter) Write(x any) error {
	if p, ok := x.(Pair); ok {
		w.enc.WriteByte(recPair)
		if err := w.enc.Encode(p.Key); err != nil {
			return err
		}
		return w.enc.Encode(p.Value)
	}
	w.enc.WriteByte(recPlain)
	return w.enc.Encode(x)
}

func (w *codecWriter) Flush() error { return w.enc.Flush() }

type codecReader struct{ dec *codec.Decoder }

func (r *codecReader) Read() (any, error) {
	kind, err := r.dec.ReadByte()
	if err != nil {
		return nil, err
	}
	x, err := r.dec.Decode()
	if err != nil || kind == recPlain {
		return x, unexpected(err)
	}
	v, err := r.dec.Decode()
	if err != nil {
		return nil, unexpected(err)
	}
	return Pair{x, v}, nil
}

func unexpected(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}
