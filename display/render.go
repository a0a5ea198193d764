package display

import (
	"fmt"
	"image"
)

// Displayer is implemented by values that build their whole bundle
// themselves, like IPython's _repr_mimebundle_. Render prefers it over every
// other interface.
type Displayer interface {
	Display() (Data, error)
}

// HTMLer is implemented by values that render themselves as an HTML
// fragment.
type HTMLer interface {
	HTML() string
}

// Markdowner is implemented by values that render themselves as Markdown.
type Markdowner interface {
	Markdown() string
}

// Latexer is implemented by values that render themselves as LaTeX.
type Latexer interface {
	Latex() string
}

// SVGer is implemented by values that render themselves as an SVG document.
type SVGer interface {
	SVG() string
}

// PNGer is implemented by values that render themselves as a PNG image.
type PNGer interface {
	PNG() ([]byte, error)
}

// JPEGer is implemented by values that render themselves as a JPEG image.
type JPEGer interface {
	JPEG() ([]byte, error)
}

// Texter is implemented by values that supply their own plain-text form.
// Render uses it as the text/plain fallback of a richer bundle, and alone it
// makes a text-only bundle.
type Texter interface {
	Text() string
}

// Render picks a rich bundle for an arbitrary value, such as the last
// expression of a notebook cell. It reports false when v has no rich form,
// in which case the caller prints v its own way (fmt, say).
//
// The choice, first match wins:
//   - a Data or *Data is returned as is;
//   - a Displayer supplies its bundle;
//   - an image.Image becomes a PNG;
//   - a value with any of HTML, Markdown, Latex, SVG, PNG or JPEG methods
//     gets all of those forms in one bundle, so the frontend can choose;
//   - a Tabular becomes an HTML table plus a Spark text table of its first
//     DefaultRows rows;
//   - a Texter alone becomes a text bundle.
//
// A Data or a Displayer's bundle keeps its own text/plain entry. Otherwise
// the fallback is Text() when v is a Texter; for images and method-rendered
// values it is String() when v is a fmt.Stringer; else it is the text of the
// richest form chosen, so a Tabular keeps its text table even when its
// String() method only names its schema.
//
// When a renderer fails or panics, Render reports true with a bundle that
// shows the error, because a notebook shows such failures where the value
// would be.
func Render(v any) (d Data, ok bool) {
	defer func() {
		if r := recover(); r != nil {
			d, ok = errorData(fmt.Sprintf("%T", v), fmt.Errorf("panic: %v", r)), true
		}
	}()
	switch x := v.(type) {
	case nil:
		return Data{}, false
	case Data:
		return ensureText(x, v), true
	case *Data:
		if x == nil {
			return Data{}, false
		}
		return ensureText(*x, v), true
	case Displayer:
		d, err := x.Display()
		if err != nil {
			return errorData(fmt.Sprintf("%T", v), err), true
		}
		return ensureText(d, v), true
	case image.Image:
		d, err := Image(x)
		if err != nil {
			return errorData(fmt.Sprintf("%T", v), err), true
		}
		return fallback(d, v, true), true
	}
	if d, ok, err := renderMethods(v); err != nil {
		return errorData(fmt.Sprintf("%T", v), err), true
	} else if ok {
		return fallback(d, v, true), true
	}
	if t, ok := v.(Tabular); ok {
		d, err := TableData(t, DefaultRows, DefaultTruncate)
		if err != nil {
			return errorData(fmt.Sprintf("%T", v), err), true
		}
		return fallback(d, v, false), true
	}
	if t, ok := v.(Texter); ok {
		return Text(t.Text()), true
	}
	return Data{}, false
}

// renderMethods merges the bundles of every rendering method v has. The
// later, simpler forms are merged first so that richer forms' text
// fallbacks win.
func renderMethods(v any) (Data, bool, error) {
	var parts []Data
	if x, ok := v.(JPEGer); ok {
		b, err := x.JPEG()
		if err != nil {
			return Data{}, false, fmt.Errorf("JPEG: %w", err)
		}
		parts = append(parts, JPEG(b))
	}
	if x, ok := v.(PNGer); ok {
		b, err := x.PNG()
		if err != nil {
			return Data{}, false, fmt.Errorf("PNG: %w", err)
		}
		parts = append(parts, PNG(b))
	}
	if x, ok := v.(SVGer); ok {
		parts = append(parts, SVG(x.SVG()))
	}
	if x, ok := v.(Latexer); ok {
		parts = append(parts, Latex(x.Latex()))
	}
	if x, ok := v.(Markdowner); ok {
		parts = append(parts, Markdown(x.Markdown()))
	}
	if x, ok := v.(HTMLer); ok {
		parts = append(parts, HTML(x.HTML()))
	}
	if len(parts) == 0 {
		return Data{}, false, nil
	}
	return Merge(parts...), true, nil
}

// fallback decides a bundle's text/plain entry from v's own text form:
// Text() for a Texter, and String() for a fmt.Stringer when stringer is
// true. It always leaves a text/plain entry in place.
func fallback(d Data, v any, stringer bool) Data {
	if t, ok := v.(Texter); ok {
		return d.WithText(t.Text())
	}
	if s, ok := v.(fmt.Stringer); ok && stringer {
		return d.WithText(s.String())
	}
	if _, ok := d.MIME[MIMEText]; !ok {
		return d.WithText(fmt.Sprintf("<%T>", v))
	}
	return d
}

// ensureText makes sure d has a text/plain entry, without overriding one.
func ensureText(d Data, v any) Data {
	if _, ok := d.MIME[MIMEText]; !ok {
		return d.WithText(fmt.Sprintf("<%T>", v))
	}
	return d
}
