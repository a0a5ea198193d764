package display

import (
	"errors"
	"image"
	"strings"
	"testing"
)

type htmlOnly struct{}

func (htmlOnly) HTML() string { return "<b>bold</b>" }

type richValue struct{}

func (richValue) HTML() string     { return "<p>p</p>" }
func (richValue) Markdown() string { return "*p*" }
func (richValue) SVG() string      { return "<svg></svg>" }
func (richValue) Latex() string    { return "$p$" }
func (richValue) String() string   { return "rich" }

type badPNG struct{}

func (badPNG) PNG() ([]byte, error) { return nil, errors.New("no pixels") }

type texter struct{}

func (texter) Text() string { return "my text" }

// stringerTable is a Tabular whose String names its schema, as a
// DataFrame's does.
type stringerTable struct{ t *Table }

func (s stringerTable) Columns() []string                    { return s.t.Columns() }
func (s stringerTable) Rows(n int) ([][]string, bool, error) { return s.t.Rows(n) }
func (stringerTable) String() string                         { return "[key: int]" }

type displayer struct{ err error }

func (d displayer) Display() (Data, error) { return Markdown("**d**"), d.err }

type panicky struct{}

func (panicky) HTML() string { panic("oops") }

type plainStringer struct{}

func (plainStringer) String() string { return "plain" }

func TestRender(t *testing.T) {
	tests := []struct {
		name  string
		v     any
		ok    bool
		mimes []string
		text  string
	}{
		{"nil", nil, false, nil, ""},
		{"int", 3, false, nil, ""},
		{"stringer alone", plainStringer{}, false, nil, ""},
		{"nil *Data", (*Data)(nil), false, nil, ""},
		{"data", Text("t"), true, []string{MIMEText}, "t"},
		{"data without text", Data{MIME: map[string]any{MIMEHTML: "x"}}, true, []string{MIMEHTML, MIMEText}, "<display.Data>"},
		{"image", image.NewGray(image.Rect(0, 0, 2, 2)), true, []string{MIMEPNG, MIMEText}, "<PNG image 2x2>"},
		{"html method", htmlOnly{}, true, []string{MIMEHTML, MIMEText}, "bold"},
		{"many methods and stringer", richValue{}, true, []string{MIMEHTML, MIMEMarkdown, MIMESVG, MIMELatex, MIMEText}, "rich"},
		{"failing png", badPNG{}, true, []string{MIMEHTML, MIMEText}, "display: cannot render display.badPNG: PNG: no pixels"},
		{"texter", texter{}, true, []string{MIMEText}, "my text"},
		{"table", tbl([]string{"a"}, []string{"1"}), true, []string{MIMEHTML, MIMEText}, "+---+\n|  a|\n+---+\n|  1|\n+---+\n"},
		{"tabular keeps its text table over String", stringerTable{tbl([]string{"a"}, []string{"1"})}, true,
			[]string{MIMEHTML, MIMEText}, "+---+\n|  a|\n+---+\n|  1|\n+---+\n"},
		{"failing tabular", takeN{err: errors.New("job failed")}, true, []string{MIMEHTML, MIMEText},
			"display: cannot render display.takeN: job failed"},
		{"panicking method", panicky{}, true, []string{MIMEHTML, MIMEText}, "display: cannot render display.panicky: panic: oops"},
		{"displayer", displayer{}, true, []string{MIMEMarkdown, MIMEText}, "**d**"},
		{"failing displayer", displayer{err: errors.New("x")}, true, []string{MIMEHTML, MIMEText}, "display: cannot render display.displayer: x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, ok := Render(tt.v)
			if ok != tt.ok {
				t.Fatalf("ok = %v, want %v", ok, tt.ok)
			}
			if len(d.MIME) != len(tt.mimes) {
				t.Errorf("mimes = %v, want %v", keys(d.MIME), tt.mimes)
			}
			for _, m := range tt.mimes {
				if _, ok := d.MIME[m]; !ok {
					t.Errorf("missing %s in %v", m, keys(d.MIME))
				}
			}
			if d.String() != tt.text {
				t.Errorf("text = %q, want %q", d.String(), tt.text)
			}
		})
	}
}

func TestRenderErrorIsEscaped(t *testing.T) {
	d, _ := Render(displayer{err: errors.New("<script>")})
	if h := d.MIME[MIMEHTML].(string); strings.Contains(h, "<script>") {
		t.Errorf("unescaped error html: %s", h)
	}
}

func keys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
