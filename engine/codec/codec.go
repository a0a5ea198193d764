// Package codec encodes arbitrary Go values for shuffle files and disk blocks.
//
// Values travel as a tag byte followed by a payload. Common scalar types
// (bool, int, int64, float64, string, []byte, []any) have their own tags and
// cost no reflection. Every other type is written as a reference into a
// process-wide type table followed by a reflection-driven payload, so types
// that were never registered anywhere — including struct types built by the
// interpreter at the prompt — round-trip unchanged. Types whose pointer
// implements encoding.BinaryUnmarshaler and whose value implements
// encoding.BinaryMarshaler (time.Time, for instance) use those methods.
//
// The type table is local to the process: a stream written here can only be
// read back by the same process. Channels, funcs and unsafe pointers cannot
// be encoded; the error names the type.
package codec

import (
	"bufio"
	"encoding"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"sync"
)

// Tags of the encoding.
const (
	tagNil byte = iota
	tagFalse
	tagTrue
	tagInt
	tagInt64
	tagFloat64
	tagString
	tagBytes
	tagAnySlice
	tagTyped
)

var (
	typeMu    sync.RWMutex
	typeIDs   = map[reflect.Type]uint32{}
	typeByID  []reflect.Type
	binMarsh  = reflect.TypeFor[encoding.BinaryMarshaler]()
	binUnmars = reflect.TypeFor[encoding.BinaryUnmarshaler]()
)

// typeID returns the table index of t, adding it on first use.
func typeID(t reflect.Type) uint32 {
	typeMu.RLock()
	id, ok := typeIDs[t]
	typeMu.RUnlock()
	if ok {
		return id
	}
	typeMu.Lock()
	defer typeMu.Unlock()
	if id, ok := typeIDs[t]; ok {
		return id
	}
	id = uint32(len(typeByID))
	typeByID = append(typeByID, t)
	typeIDs[t] = id
	return id
}

func typeOf(id uint32) (reflect.Type, error) {
	typeMu.RLock()
	defer typeMu.RUnlock()
	if int(id) >= len(typeByID) {
		return nil, fmt.Errorf("codec: unknown type id %d (the stream was written by another process)", id)
	}
	return typeByID[id], nil
}

// Encoder writes values to a stream. It buffers: call Flush when done.
type Encoder struct {
	w   *bufio.Writer
	buf [binary.MaxVarintLen64]byte
}

// NewEncoder returns an Encoder writing to w.
func NewEncoder(w io.Writer) *Encoder {
	if bw, ok := w.(*bufio.Writer); ok {
		return &Encoder{w: bw}
	}
	return &Encoder{w: bufio.NewWriterSize(w, 64<<10)}
}

// Flush writes any buffered data to the underlying writer.
func (e *Encoder) Flush() error { return e.w.Flush() }

// Encode writes one value.
func (e *Encoder) Encode(v any) error {
	switch x := v.(type) {
	case nil:
		return e.w.WriteByte(tagNil)
	case bool:
		if x {
			return e.w.WriteByte(tagTrue)
		}
		return e.w.WriteByte(tagFalse)
	case int:
		e.w.WriteByte(tagInt)
		e.varint(int64(x))
		return nil
	case int64:
		e.w.WriteByte(tagInt64)
		e.varint(x)
		return nil
	case float64:
		e.w.WriteByte(tagFloat64)
		e.uint64(math.Float64bits(x))
		return nil
	case string:
		e.w.WriteByte(tagString)
		e.uvarint(uint64(len(x)))
		_, err := e.w.WriteString(x)
		return err
	case []byte:
		if x == nil {
			break
		}
		e.w.WriteByte(tagBytes)
		e.uvarint(uint64(len(x)))
		_, err := e.w.Write(x)
		return err
	case []any:
		if x == nil {
			break
		}
		e.w.WriteByte(tagAnySlice)
		e.uvarint(uint64(len(x)))
		for _, el := range x {
			if err := e.Encode(el); err != nil {
				return err
			}
		}
		return nil
	}
	rv := reflect.ValueOf(v)
	e.w.WriteByte(tagTyped)
	e.uvarint(uint64(typeID(rv.Type())))
	return e.value(rv)
}

func (e *Encoder) varint(x int64) {
	n := binary.PutVarint(e.buf[:], x)
	e.w.Write(e.buf[:n])
}

func (e *Encoder) uvarint(x uint64) {
	n := binary.PutUvarint(e.buf[:], x)
	e.w.Write(e.buf[:n])
}

func (e *Encoder) uint64(x uint64) {
	binary.LittleEndian.PutUint64(e.buf[:8], x)
	e.w.Write(e.buf[:8])
}

// value writes the payload of v, whose type the reader already knows.
func (e *Encoder) value(v reflect.Value) error {
	t := v.Type()
	if t.Implements(binMarsh) && reflect.PointerTo(t).Implements(binUnmars) {
		b, err := v.Interface().(encoding.BinaryMarshaler).MarshalBinary()
		if err != nil {
			return fmt.Errorf("codec: %v: %w", t, err)
		}
		e.uvarint(uint64(len(b)))
		_, err = e.w.Write(b)
		return err
	}
	switch t.Kind() {
	case reflect.Bool:
		if v.Bool() {
			return e.w.WriteByte(1)
		}
		return e.w.WriteByte(0)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		e.varint(v.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		e.uvarint(v.Uint())
	case reflect.Float32, reflect.Float64:
		e.uint64(math.Float64bits(v.Float()))
	case reflect.Complex64, reflect.Complex128:
		c := v.Complex()
		e.uint64(math.Float64bits(real(c)))
		e.uint64(math.Float64bits(imag(c)))
	case reflect.String:
		s := v.String()
		e.uvarint(uint64(len(s)))
		e.w.WriteString(s)
	case reflect.Slice:
		if v.IsNil() {
			e.uvarint(0)
			return nil
		}
		e.uvarint(uint64(v.Len()) + 1)
		if t.Elem().Kind() == reflect.Uint8 {
			_, err := e.w.Write(v.Bytes())
			return err
		}
		for i := 0; i < v.Len(); i++ {
			if err := e.value(v.Index(i)); err != nil {
				return err
			}
		}
	case reflect.Array:
		for i := 0; i < v.Len(); i++ {
			if err := e.value(v.Index(i)); err != nil {
				return err
			}
		}
	case reflect.Struct:
		v = readable(v)
		for i := 0; i < v.NumField(); i++ {
			if err := e.value(field(v, i)); err != nil {
				return err
			}
		}
	case reflect.Map:
		if v.IsNil() {
			e.uvarint(0)
			return nil
		}
		e.uvarint(uint64(v.Len()) + 1)
		it := v.MapRange()
		for it.Next() {
			if err := e.value(it.Key()); err != nil {
				return err
			}
			if err := e.value(it.Value()); err != nil {
				return err
			}
		}
	case reflect.Pointer:
		if v.IsNil() {
			return e.w.WriteByte(0)
		}
		e.w.WriteByte(1)
		return e.value(v.Elem())
	case reflect.Interface:
		if v.IsNil() {
			return e.Encode(nil)
		}
		return e.Encode(v.Elem().Interface())
	default:
		return &UnsupportedTypeError{Type: t}
	}
	return nil
}

// UnsupportedTypeError reports a value that cannot be encoded, such as a
// channel or a func.
type UnsupportedTypeError struct {
	Type reflect.Type
}

func (e *UnsupportedTypeError) Error() string {
	return fmt.Sprintf("codec: cannot encode a value of type %v (%s values cannot be shuffled, cached on disk or sent to another executor)", e.Type, e.Type.Kind())
}

// Decoder reads values written by an Encoder.
type Decoder struct {
	r *bufio.Reader
}

// NewDecoder returns a Decoder reading from r.
func NewDecoder(r io.Reader) *Decoder {
	if br, ok := r.(*bufio.Reader); ok {
		return &Decoder{r: br}
	}
	return &Decoder{r: bufio.NewReaderSize(r, 64<<10)}
}

// Decode reads the next value. It returns io.EOF at a clean end of stream.
func (d *Decoder) Decode() (any, error) {
	tag, err := d.r.ReadByte()
	if err != nil {
		return nil, err
	}
	v, err := d.tagged(tag)
	if errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	return v, err
}

func (d *Decoder) tagged(tag byte) (any, error) {
	switch tag {
	case tagNil:
		return nil, nil
	case tagFalse:
		return false, nil
	case tagTrue:
		return true, nil
	case tagInt:
		x, err := binary.ReadVarint(d.r)
		return int(x), err
	case tagInt64:
		return binary.ReadVarint(d.r)
	case tagFloat64:
		x, err := d.uint64()
		return math.Float64frombits(x), err
	case tagString:
		b, err := d.bytes()
		return string(b), err
	case tagBytes:
		return d.bytes()
	case tagAnySlice:
		n, err := binary.ReadUvarint(d.r)
		if err != nil {
			return nil, err
		}
		out := make([]any, n)
		for i := range out {
			if out[i], err = d.Decode(); err != nil {
				return nil, err
			}
		}
		return out, nil
	case tagTyped:
		id, err := binary.ReadUvarint(d.r)
		if err != nil {
			return nil, err
		}
		t, err := typeOf(uint32(id))
		if err != nil {
			return nil, err
		}
		p := reflect.New(t).Elem()
		if err := d.value(p); err != nil {
			return nil, err
		}
		return p.Interface(), nil
	}
	return nil, fmt.Errorf("codec: corrupt stream (tag %d)", tag)
}

func (d *Decoder) uint64() (uint64, error) {
	var b [8]byte
	if _, err := io.ReadFull(d.r, b[:]); err != nil {
		return 0, err
	}
	return binary.LittleEndian.Uint64(b[:]), nil
}

func (d *Decoder) bytes() ([]byte, error) {
	n, err := binary.ReadUvarint(d.r)
	if err != nil {
		return nil, err
	}
	b := make([]byte, n)
	_, err = io.ReadFull(d.r, b)
	return b, err
}

// value reads a payload into the settable v.
func (d *Decoder) value(v reflect.Value) error {
	t := v.Type()
	if t.Implements(binMarsh) && reflect.PointerTo(t).Implements(binUnmars) {
		b, err := d.bytes()
		if err != nil {
			return err
		}
		return v.Addr().Interface().(encoding.BinaryUnmarshaler).UnmarshalBinary(b)
	}
	switch t.Kind() {
	case reflect.Bool:
		b, err := d.r.ReadByte()
		v.SetBool(b == 1)
		return err
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		x, err := binary.ReadVarint(d.r)
		v.SetInt(x)
		return err
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		x, err := binary.ReadUvarint(d.r)
		v.SetUint(x)
		return err
	case reflect.Float32, reflect.Float64:
		x, err := d.uint64()
		v.SetFloat(math.Float64frombits(x))
		return err
	case reflect.Complex64, reflect.Complex128:
		re, err := d.uint64()
		if err != nil {
			return err
		}
		im, err := d.uint64()
		v.SetComplex(complex(math.Float64frombits(re), math.Float64frombits(im)))
		return err
	case reflect.String:
		b, err := d.bytes()
		v.SetString(string(b))
		return err
	case reflect.Slice:
		n, err := binary.ReadUvarint(d.r)
		if err != nil || n == 0 {
			return err
		}
		n--
		s := reflect.MakeSlice(t, int(n), int(n))
		if t.Elem().Kind() == reflect.Uint8 {
			if _, err := io.ReadFull(d.r, s.Bytes()); err != nil {
				return err
			}
		} else {
			for i := 0; i < int(n); i++ {
				if err := d.value(s.Index(i)); err != nil {
					return err
				}
			}
		}
		v.Set(s)
	case reflect.Array:
		for i := 0; i < v.Len(); i++ {
			if err := d.value(v.Index(i)); err != nil {
				return err
			}
		}
	case reflect.Struct:
		w := v
		for i := 0; i < w.NumField(); i++ {
			if err := d.value(field(w, i)); err != nil {
				return err
			}
		}
	case reflect.Map:
		n, err := binary.ReadUvarint(d.r)
		if err != nil || n == 0 {
			return err
		}
		m := reflect.MakeMapWithSize(t, int(n-1))
		k, e := reflect.New(t.Key()).Elem(), reflect.New(t.Elem()).Elem()
		for i := 0; i < int(n-1); i++ {
			k.SetZero()
			e.SetZero()
			if err := d.value(k); err != nil {
				return err
			}
			if err := d.value(e); err != nil {
				return err
			}
			m.SetMapIndex(k, e)
		}
		v.Set(m)
	case reflect.Pointer:
		b, err := d.r.ReadByte()
		if err != nil || b == 0 {
			return err
		}
		p := reflect.New(t.Elem())
		if err := d.value(p.Elem()); err != nil {
			return err
		}
		v.Set(p)
	case reflect.Interface:
		x, err := d.Decode()
		if err != nil {
			return err
		}
		if x != nil {
			v.Set(reflect.ValueOf(x))
		}
	default:
		return &UnsupportedTypeError{Type: t}
	}
	return nil
}

// WriteByte writes a raw byte, for framing by the caller.
func (e *Encoder) WriteByte(b byte) error { return e.w.WriteByte(b) }

// ReadByte reads a raw byte written by Encoder.WriteByte.
func (d *Decoder) ReadByte() (byte, error) { return d.r.ReadByte() }
