package kernel

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"sync"
)

// delimiter separates the routing identities of a message from its body.
var delimiter = []byte("<IDS|MSG>")

// ErrBadSignature is returned for a message whose HMAC does not verify.
var ErrBadSignature = errors.New("kernel: bad message signature")

// ErrDuplicateSignature is returned for a message that repeats the
// signature of an earlier one: a replay.
var ErrDuplicateSignature = errors.New("kernel: duplicate message signature")

// Codec turns messages into wire frames and back, signing them with
// HMAC-SHA256 under the connection's key. A Codec with an empty key signs
// nothing and accepts anything, as the protocol says.
//
// Decode remembers the last signatures it accepted and refuses a message
// that repeats one, as jupyter_client's Session does. A Codec is safe for
// concurrent use.
type Codec struct {
	key []byte

	mu    sync.Mutex
	seen  map[string]struct{}
	order []string
}

// maxSeen bounds the signatures a Codec remembers.
const maxSeen = 4096

// NewCodec returns a Codec signing with key.
func NewCodec(key string) *Codec {
	return &Codec{key: []byte(key), seen: map[string]struct{}{}}
}

// sign returns the hex HMAC of the four signed frames.
func (s *Codec) sign(header, parent, metadata, content []byte) []byte {
	if len(s.key) == 0 {
		return nil
	}
	var mac hash.Hash = hmac.New(sha256.New, s.key)
	mac.Write(header)
	mac.Write(parent)
	mac.Write(metadata)
	mac.Write(content)
	sum := mac.Sum(nil)
	out := make([]byte, hex.EncodedLen(len(sum)))
	hex.Encode(out, sum)
	return out
}

// verify checks a received signature and records it against replays.
func (s *Codec) verify(sig, header, parent, metadata, content []byte) error {
	if len(s.key) == 0 {
		return nil
	}
	want := s.sign(header, parent, metadata, content)
	if !hmac.Equal(bytes.ToLower(sig), want) {
		return ErrBadSignature
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	k := string(want)
	if _, dup := s.seen[k]; dup {
		return ErrDuplicateSignature
	}
	s.seen[k] = struct{}{}
	s.order = append(s.order, k)
	if len(s.order) > maxSeen {
		delete(s.seen, s.order[0])
		s.order = s.order[1:]
	}
	return nil
}

// Encode turns a message into its wire frames: identities, delimiter,
// signature, header, parent header, metadata, content, buffers.
func (s *Codec) Encode(m *Message) ([][]byte, error) {
	header, err := json.Marshal(m.Header)
	if err != nil {
		return nil, err
	}
	parent, metadata, content := orEmpty(m.ParentHeader), orEmpty(m.Metadata), orEmpty(m.Content)
	frames := make([][]byte, 0, len(m.Identities)+6+len(m.Buffers))
	frames = append(frames, m.Identities...)
	frames = append(frames, delimiter, s.sign(header, parent, metadata, content), header, parent, metadata, content)
	frames = append(frames, m.Buffers...)
	// A zero-length signature frame must still be present.
	for i, f := range frames {
		if f == nil {
			frames[i] = []byte{}
		}
	}
	return frames, nil
}

func orEmpty(b json.RawMessage) []byte {
	if len(b) == 0 {
		return []byte("{}")
	}
	return b
}

// Decode parses wire frames into a message and verifies its signature.
func (s *Codec) Decode(frames [][]byte) (*Message, error) {
	d := -1
	for i, f := range frames {
		if bytes.Equal(f, delimiter) {
			d = i
			break
		}
	}
	if d < 0 {
		return nil, errors.New("kernel: message without the <IDS|MSG> delimiter")
	}
	if len(frames) < d+6 {
		return nil, fmt.Errorf("kernel: message with %d frames after the delimiter, want at least 5", len(frames)-d-1)
	}
	sig, header, parent, metadata, content := frames[d+1], frames[d+2], frames[d+3], frames[d+4], frames[d+5]
	if err := s.verify(sig, header, parent, metadata, content); err != nil {
		return nil, err
	}
	m := &Message{
		Identities:   frames[:d],
		RawHeader:    json.RawMessage(header),
		ParentHeader: json.RawMessage(parent),
		Metadata:     json.RawMessage(metadata),
		Content:      json.RawMessage(content),
		Buffers:      frames[d+6:],
	}
	if err := json.Unmarshal(header, &m.Header); err != nil {
		return nil, fmt.Errorf("kernel: bad message header: %w", err)
	}
	return m, nil
}
