// Package display renders gospark values for people: Spark-style text tables
// for the terminal, Jupyter MIME bundles (HTML tables, images, plots) for
// notebooks, console and notebook progress bars, and query plans.
//
// The package imports nothing from gospark's engine, shell or kernel.
// Those packages meet it through small interfaces that they satisfy
// structurally: Tabular for anything with rows, Clock for time, and the
// renderer interfaces (HTMLer, PNGer, Displayer, ...) for values that know
// how to draw themselves.
package display

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"maps"
	"strings"
)

// The MIME types this package puts in bundles.
const (
	// MIMEText is plain text, the fallback every bundle has.
	MIMEText = "text/plain"
	// MIMEHTML is an HTML fragment.
	MIMEHTML = "text/html"
	// MIMEMarkdown is Markdown source.
	MIMEMarkdown = "text/markdown"
	// MIMELatex is LaTeX source.
	MIMELatex = "text/latex"
	// MIMESVG is an SVG document.
	MIMESVG = "image/svg+xml"
	// MIMEPNG is a PNG image, base64-encoded in a bundle.
	MIMEPNG = "image/png"
	// MIMEJPEG is a JPEG image, base64-encoded in a bundle.
	MIMEJPEG = "image/jpeg"
	// MIMEJSON is a JSON value, held as a json.RawMessage in a bundle.
	MIMEJSON = "application/json"
)

// Data is one rich display: a Jupyter MIME bundle with its metadata and an
// optional display ID.
//
// MIME maps a MIME type to its content in the form Jupyter's wire protocol
// wants it: a string for text types and SVG, a base64 string for PNG and
// JPEG, and a json.RawMessage for application/json. Every Data made by this
// package has a text/plain entry, so a terminal can always print it.
// Metadata holds per-MIME metadata such as an image's width and height. ID,
// when set, is the display_id a kernel sends in transient.display_id so it
// can later replace the output with update_display_data.
//
// The maps of a Data may be shared with the Data it was derived from; treat
// them as read-only and use the With methods or Merge to derive new bundles.
type Data struct {
	// MIME maps MIME types to content.
	MIME map[string]any
	// Metadata maps MIME types (or other keys) to metadata.
	Metadata map[string]any
	// ID is the display_id, or "" for none.
	ID string
}

// MarshalJSON encodes d as the content of a Jupyter display_data message:
// {"data": ..., "metadata": ..., "transient": {"display_id": ...}}, where
// transient is left out when d has no ID and nil maps encode as {}.
func (d Data) MarshalJSON() ([]byte, error) {
	type transient struct {
		DisplayID string `json:"display_id"`
	}
	msg := struct {
		Data      map[string]any `json:"data"`
		Metadata  map[string]any `json:"metadata"`
		Transient *transient     `json:"transient,omitempty"`
	}{Data: d.MIME, Metadata: d.Metadata}
	if msg.Data == nil {
		msg.Data = map[string]any{}
	}
	if msg.Metadata == nil {
		msg.Metadata = map[string]any{}
	}
	if d.ID != "" {
		msg.Transient = &transient{DisplayID: d.ID}
	}
	return json.Marshal(msg)
}

// String returns the bundle's text/plain content, so a Data prints sensibly
// in a terminal.
func (d Data) String() string {
	s, _ := d.MIME[MIMEText].(string)
	return s
}

// WithID returns a copy of d whose display ID is id.
func (d Data) WithID(id string) Data {
	d.ID = id
	return d
}

// WithText returns a copy of d whose text/plain fallback is s.
func (d Data) WithText(s string) Data {
	d.MIME = maps.Clone(d.MIME)
	if d.MIME == nil {
		d.MIME = map[string]any{}
	}
	d.MIME[MIMEText] = s
	return d
}

// Merge combines bundles into one. Entries of later bundles win over
// earlier ones for the same MIME type or metadata key, and the result keeps
// the first non-empty display ID.
func Merge(ds ...Data) Data {
	out := Data{MIME: map[string]any{}, Metadata: map[string]any{}}
	for _, d := range ds {
		maps.Copy(out.MIME, d.MIME)
		maps.Copy(out.Metadata, d.Metadata)
		if out.ID == "" {
			out.ID = d.ID
		}
	}
	return out
}

func bundle(mime string, content any, text string) Data {
	return Data{MIME: map[string]any{mime: content, MIMEText: text}}
}

// Text returns a bundle holding only the plain text s.
func Text(s string) Data {
	return Data{MIME: map[string]any{MIMEText: s}}
}

// HTML returns a bundle holding the HTML fragment s, with its text content
// (tags removed, entities decoded) as the plain-text fallback.
func HTML(s string) Data {
	return bundle(MIMEHTML, s, htmlToText(s))
}

// Markdown returns a bundle holding the Markdown source s, which is also
// its own plain-text fallback.
func Markdown(s string) Data {
	return bundle(MIMEMarkdown, s, s)
}

// Latex returns a bundle holding the LaTeX source s (math wrapped in $...$
// or $$...$$), which is also its own plain-text fallback.
func Latex(s string) Data {
	return bundle(MIMELatex, s, s)
}

// SVG returns a bundle holding the SVG document s.
func SVG(s string) Data {
	return bundle(MIMESVG, s, "<SVG image>")
}

// PNG returns a bundle holding the PNG-encoded image b. When b's header
// decodes, the bundle's metadata records the image's width and height.
func PNG(b []byte) Data {
	return imageBundle(MIMEPNG, "PNG", b, png.DecodeConfig)
}

// JPEG returns a bundle holding the JPEG-encoded image b. When b's header
// decodes, the bundle's metadata records the image's width and height.
func JPEG(b []byte) Data {
	return imageBundle(MIMEJPEG, "JPEG", b, jpeg.DecodeConfig)
}

func imageBundle(mime, name string, b []byte, decode func(io.Reader) (image.Config, error)) Data {
	d := bundle(mime, base64.StdEncoding.EncodeToString(b), "<"+name+" image>")
	if cfg, err := decode(bytes.NewReader(b)); err == nil {
		d.MIME[MIMEText] = fmt.Sprintf("<%s image %dx%d>", name, cfg.Width, cfg.Height)
		d.Metadata = map[string]any{mime: map[string]any{"width": cfg.Width, "height": cfg.Height}}
	}
	return d
}

// Image returns a bundle holding img encoded as PNG. It fails only when the
// image cannot be encoded, for instance when it is empty.
func Image(img image.Image) (Data, error) {
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return Data{}, fmt.Errorf("display.Image: %w", err)
	}
	return PNG(buf.Bytes()), nil
}

// JSON returns a bundle holding v encoded as JSON, with the indented JSON
// text as the plain-text fallback. It fails when v cannot be encoded.
func JSON(v any) (Data, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return Data{}, fmt.Errorf("display.JSON: %w", err)
	}
	var text bytes.Buffer
	if err := json.Indent(&text, b, "", "  "); err != nil {
		return Data{}, fmt.Errorf("display.JSON: %w", err)
	}
	return bundle(MIMEJSON, json.RawMessage(b), text.String()), nil
}

// Plan returns a bundle showing preformatted text, such as a query plan
// from Explain or an RDD lineage from ToDebugString, as an escaped HTML
// <pre> block with the text itself as the plain-text fallback.
func Plan(text string) Data {
	return bundle(MIMEHTML, "<pre>"+html.EscapeString(text)+"</pre>", text)
}

// errorData is the bundle shown in place of a value whose renderer failed.
func errorData(what string, err error) Data {
	msg := fmt.Sprintf("display: cannot render %s: %v", what, err)
	return bundle(MIMEHTML, `<pre style="color:#b00">`+html.EscapeString(msg)+"</pre>", msg)
}

// htmlToText strips tags from an HTML fragment and decodes its entities. It
// is a fallback for terminals, not an HTML parser: the text inside <script>
// and <style> elements is kept like any other text.
func htmlToText(s string) string {
	var b strings.Builder
	inTag := false
	for _, r := range s {
		switch {
		case r == '<':
			inTag = true
		case r == '>' && inTag:
			inTag = false
		case !inTag:
			b.WriteRune(r)
		}
	}
	return strings.TrimSpace(html.UnescapeString(b.String()))
}
