package kernel

import (
	"encoding/json"
	"time"
)

// ProtocolVersion is the version of the Jupyter messaging protocol the
// kernel speaks; every header it sends carries it.
const ProtocolVersion = "5.3"

// Header is a message header.
type Header struct {
	MsgID    string `json:"msg_id"`
	Session  string `json:"session"`
	Username string `json:"username"`
	// Date is when the message was made, in ISO 8601 with a time zone.
	Date    string `json:"date"`
	MsgType string `json:"msg_type"`
	Version string `json:"version"`
}

// Message is one Jupyter message, decoded from or to be encoded into its
// wire frames.
type Message struct {
	// Identities are the ZeroMQ routing frames before the delimiter: the
	// ROUTER sockets send a reply back along them.
	Identities [][]byte
	Header     Header
	// RawHeader is the header exactly as received; a reply echoes it as
	// its parent header, with any fields this kernel does not know.
	RawHeader json.RawMessage
	// ParentHeader is the header of the message this one answers, or {}.
	ParentHeader json.RawMessage
	Metadata     json.RawMessage
	Content      json.RawMessage
	Buffers      [][]byte
}

// dateLayout is how headers write their date: RFC 3339 with microseconds,
// as jupyter_client does.
const dateLayout = "2006-01-02T15:04:05.000000Z07:00"

// origin is the part of every header that stays the same for a kernel.
type origin struct {
	session  string
	username string
}

// newMessage makes a message of type msgType answering parent (which may
// be nil for none), with the given content.
func (o origin) newMessage(msgType string, parent *Message, content any) (*Message, error) {
	c, err := json.Marshal(content)
	if err != nil {
		return nil, err
	}
	m := &Message{
		Header: Header{
			MsgID:    newID(),
			Session:  o.session,
			Username: o.username,
			Date:     time.Now().UTC().Format(dateLayout),
			MsgType:  msgType,
			Version:  ProtocolVersion,
		},
		ParentHeader: json.RawMessage("{}"),
		Metadata:     json.RawMessage("{}"),
		Content:      c,
	}
	if parent != nil {
		m.ParentHeader = parent.RawHeader
		if len(m.ParentHeader) == 0 {
			if b, err := json.Marshal(parent.Header); err == nil {
				m.ParentHeader = b
			}
		}
	}
	return m, nil
}

// decode unmarshals the message's content into v.
func (m *Message) decode(v any) error {
	if len(m.Content) == 0 {
		return nil
	}
	return json.Unmarshal(m.Content, v)
}

// ParentID returns the msg_id of the parent header, or "".
func (m *Message) ParentID() string {
	var h struct {
		MsgID string `json:"msg_id"`
	}
	_ = json.Unmarshal(m.ParentHeader, &h)
	return h.MsgID
}
