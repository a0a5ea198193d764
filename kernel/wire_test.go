package kernel

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"
)

func TestCodecRoundTrip(t *testing.T) {
	c := NewCodec("secret")
	o := origin{session: "s", username: "u"}
	m, err := o.newMessage("execute_request", nil, map[string]any{"code": "1 + 1"})
	if err != nil {
		t.Fatal(err)
	}
	m.Identities = [][]byte{[]byte("client-id")}
	frames, err := c.Encode(m)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(frames[1], delimiter) || len(frames[2]) != 64 {
		t.Fatalf("frames %q", frames)
	}
	got, err := NewCodec("secret").Decode(frames)
	if err != nil {
		t.Fatal(err)
	}
	if got.Header != m.Header || string(got.Identities[0]) != "client-id" || string(got.Content) != `{"code":"1 + 1"}` {
		t.Errorf("decoded %+v", got)
	}

	// The same frames again are a replay.
	dec := NewCodec("secret")
	if _, err := dec.Decode(frames); err != nil {
		t.Fatal(err)
	}
	if _, err := dec.Decode(frames); !errors.Is(err, ErrDuplicateSignature) {
		t.Errorf("replay: %v", err)
	}

	// A change to any signed frame, or another key, fails.
	for i := 2; i < 7; i++ {
		bad := append([][]byte(nil), frames...)
		bad[i] = append(append([]byte(nil), bad[i]...), ' ')
		if _, err := NewCodec("secret").Decode(bad); !errors.Is(err, ErrBadSignature) {
			t.Errorf("frame %d changed: %v", i, err)
		}
	}
	if _, err := NewCodec("other").Decode(frames); !errors.Is(err, ErrBadSignature) {
		t.Errorf("other key: %v", err)
	}

	// Without a key nothing is signed and anything goes.
	frames, _ = NewCodec("").Encode(m)
	if len(frames[2]) != 0 {
		t.Errorf("unsigned signature frame %q", frames[2])
	}
	if _, err := NewCodec("").Decode(frames); err != nil {
		t.Error(err)
	}
}

func TestReplyEchoesParentHeader(t *testing.T) {
	raw := json.RawMessage(`{"msg_id":"m1","session":"s","username":"u","date":"2026-01-01T00:00:00Z","msg_type":"execute_request","version":"5.3","subshell_id":null}`)
	req := &Message{RawHeader: raw}
	m, err := origin{session: "k"}.newMessage("execute_reply", req, map[string]any{})
	if err != nil {
		t.Fatal(err)
	}
	if string(m.ParentHeader) != string(raw) || m.ParentID() != "m1" || m.Header.Version != "5.3" {
		t.Errorf("parent %s, header %+v", m.ParentHeader, m.Header)
	}
}

func TestDecodeRejectsMalformed(t *testing.T) {
	c := NewCodec("")
	for _, frames := range [][][]byte{
		{[]byte("id"), []byte("no delimiter")},
		{delimiter, []byte(""), []byte("{}")},
		{delimiter, []byte(""), []byte("not json"), []byte("{}"), []byte("{}"), []byte("{}")},
	} {
		if _, err := c.Decode(frames); err == nil {
			t.Errorf("Decode(%q) succeeded", frames)
		}
	}
}

func TestOffsets(t *testing.T) {
	s := "aé€😀b" // 1, 2, 3, 4 and 1 bytes
	for _, tc := range []struct{ runes, bytes int }{{0, 0}, {1, 1}, {2, 3}, {3, 6}, {4, 10}, {5, 11}, {9, 11}} {
		if got := byteOffset(s, tc.runes); got != tc.bytes {
			t.Errorf("byteOffset(%d) = %d, want %d", tc.runes, got, tc.bytes)
		}
		if tc.runes <= 5 {
			if got := runeOffset(s, tc.bytes); got != tc.runes {
				t.Errorf("runeOffset(%d) = %d, want %d", tc.bytes, got, tc.runes)
			}
		}
	}
}

func TestIncompleteSuffix(t *testing.T) {
	euro := []byte("€") // 3 bytes
	for _, tc := range []struct {
		b    []byte
		want int
	}{{[]byte("abc"), 0}, {euro, 0}, {euro[:1], 1}, {euro[:2], 2}, {append([]byte("x"), euro[:2]...), 2}, {nil, 0}} {
		if got := incompleteSuffix(tc.b); got != tc.want {
			t.Errorf("incompleteSuffix(%q) = %d, want %d", tc.b, got, tc.want)
		}
	}
}
