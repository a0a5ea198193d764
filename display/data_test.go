package display

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"reflect"
	"strings"
	"testing"
)

func pngBytes(t *testing.T, w, h int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewRGBA(image.Rect(0, 0, w, h))); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestConstructors(t *testing.T) {
	pngData := pngBytes(t, 3, 2)
	var jpg bytes.Buffer
	if err := jpeg.Encode(&jpg, image.NewGray(image.Rect(0, 0, 5, 4)), nil); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		d    Data
		mime string
		data any
		text string
		meta map[string]any
	}{
		{"text", Text("hi"), MIMEText, "hi", "hi", nil},
		{"html", HTML("<b>a &amp; b</b>"), MIMEHTML, "<b>a &amp; b</b>", "a & b", nil},
		{"markdown", Markdown("# T"), MIMEMarkdown, "# T", "# T", nil},
		{"latex", Latex("$x^2$"), MIMELatex, "$x^2$", "$x^2$", nil},
		{"svg", SVG("<svg/>"), MIMESVG, "<svg/>", "<SVG image>", nil},
		{"png", PNG(pngData), MIMEPNG, base64.StdEncoding.EncodeToString(pngData), "<PNG image 3x2>",
			map[string]any{MIMEPNG: map[string]any{"width": 3, "height": 2}}},
		{"png undecodable", PNG([]byte("nope")), MIMEPNG, base64.StdEncoding.EncodeToString([]byte("nope")), "<PNG image>", nil},
		{"jpeg", JPEG(jpg.Bytes()), MIMEJPEG, base64.StdEncoding.EncodeToString(jpg.Bytes()), "<JPEG image 5x4>",
			map[string]any{MIMEJPEG: map[string]any{"width": 5, "height": 4}}},
		{"plan", Plan("== Physical Plan ==\n*(1) Filter (a < 3)"), MIMEHTML,
			"<pre>== Physical Plan ==\n*(1) Filter (a &lt; 3)</pre>", "== Physical Plan ==\n*(1) Filter (a < 3)", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.d.MIME[tt.mime]; !reflect.DeepEqual(got, tt.data) {
				t.Errorf("%s = %#v, want %#v", tt.mime, got, tt.data)
			}
			if got := tt.d.String(); got != tt.text {
				t.Errorf("text/plain = %q, want %q", got, tt.text)
			}
			if !reflect.DeepEqual(tt.d.Metadata, tt.meta) {
				t.Errorf("metadata = %#v, want %#v", tt.d.Metadata, tt.meta)
			}
		})
	}
}

func TestImageAndJSON(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 4, 7))
	img.Set(1, 1, color.White)
	d, err := Image(img)
	if err != nil {
		t.Fatal(err)
	}
	if d.String() != "<PNG image 4x7>" {
		t.Errorf("text = %q", d.String())
	}
	if _, err := Image(image.NewRGBA(image.Rect(0, 0, 0, 0))); err == nil {
		t.Error("empty image: no error")
	}

	j, err := JSON(map[string]any{"a": []int{1, 2}})
	if err != nil {
		t.Fatal(err)
	}
	if got := string(j.MIME[MIMEJSON].(json.RawMessage)); got != `{"a":[1,2]}` {
		t.Errorf("json = %s", got)
	}
	if j.String() != "{\n  \"a\": [\n    1,\n    2\n  ]\n}" {
		t.Errorf("json text = %q", j.String())
	}
	if _, err := JSON(make(chan int)); err == nil || !strings.HasPrefix(err.Error(), "display.JSON: ") {
		t.Errorf("channel: error %v", err)
	}
}

func TestMarshalJSON(t *testing.T) {
	tests := []struct {
		name string
		d    Data
		want string
	}{
		{"zero", Data{}, `{"data":{},"metadata":{}}`},
		{"text with id", Text("x").WithID("job-1"), `{"data":{"text/plain":"x"},"metadata":{},"transient":{"display_id":"job-1"}}`},
		{"json embeds raw", must(JSON([]int{1})), `{"data":{"application/json":[1],"text/plain":"[\n  1\n]"},"metadata":{}}`},
	}
	for _, tt := range tests {
		b, err := json.Marshal(tt.d)
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != tt.want {
			t.Errorf("%s: got %s, want %s", tt.name, b, tt.want)
		}
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func TestMergeAndWith(t *testing.T) {
	a := HTML("<i>a</i>").WithID("one")
	b := Text("b").WithID("two")
	m := Merge(a, b)
	if m.ID != "one" || m.String() != "b" || m.MIME[MIMEHTML] != "<i>a</i>" {
		t.Errorf("merge = %#v", m)
	}
	c := a.WithText("changed")
	if a.String() != "a" || c.String() != "changed" {
		t.Errorf("WithText changed its receiver: %q %q", a.String(), c.String())
	}
	if got := (Data{}).WithText("t").String(); got != "t" {
		t.Errorf("WithText on zero Data = %q", got)
	}
}

func TestClearOutput(t *testing.T) {
	for _, wait := range []bool{false, true} {
		clear, w := IsClearOutput(ClearOutput(wait))
		if !clear || w != wait {
			t.Fatalf("ClearOutput(%v) read back as clear=%v wait=%v", wait, clear, w)
		}
	}
	if clear, _ := IsClearOutput(Text("x")); clear {
		t.Fatal("a text bundle reads as clear_output")
	}
}
