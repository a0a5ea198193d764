package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// notebooksDir holds the example notebooks.
const notebooksDir = "../../notebooks"

// notebookChecks are what each example notebook's outputs must show once
// executed: for each, a MIME type (or "stream") and a text it contains,
// in a cell whose source contains the given snippet.
var notebookChecks = map[string][]struct{ cell, mime, text string }{
	"01-word-count.ipynb": {
		{"lines.Count()", "text/plain", "9"},
		{"counts.Count()", "text/plain", "58"},
		{"Take(5)", "text/html", "<td>the</td>"},
		{"Take(5)", "text/html", "<td>14</td>"},
		{"Take(5)", "text/plain", "{the 14}"},
		{"ToDebugString", "stream", "ShuffledRDD"},
		{`big["times"]`, "text/plain", "4000"},
	},
	"02-dataframe-exploration.ipynb": {
		{"weather.Count()", "text/plain", "1460"},
		// PrintSchema is compiled code writing to os.Stdout.
		{"weather.PrintSchema()", "stream", "temp_c: double (nullable = true)"},
		{"weather", "text/html", "<td>Bergen</td>"},
		{"weather", "text/plain", "only showing top 20 rows"},
		{"Describe", "text/html", "<td>stddev</td>"},
		{"perStation :=", "text/html", "<td>Madrid</td>"},
		{"perStation :=", "text/plain", "|   Madrid| 365|       14.8|"},
		{"spark.SQL", "text/plain", "|    7|       25.0|"},
		{"Madrid: mean temperature", "image/png", ""},
		{"Rainy days", "image/png", ""},
	},
	"03-plots.ipynb": {
		{"sums.Stats()", "stream", "mean"},
		{"sums.Stats()", "image/png", ""},
		{"Estimates of π", "image/png", ""},
		{"Word lengths", "image/png", ""},
		{"display.Image(img)", "image/png", ""},
		{"display.HTML", "text/html", "<b>gospark</b>"},
		{"display.HTML", "text/markdown", "collect, then draw"},
	},
}

// notebook is the part of the .ipynb format the tests read.
type notebook struct {
	Cells []struct {
		CellType       string            `json:"cell_type"`
		Source         any               `json:"source"`
		Outputs        []json.RawMessage `json:"outputs"`
		ExecutionCount *int              `json:"execution_count"`
	} `json:"cells"`
	Metadata struct {
		Kernelspec struct {
			Name     string `json:"name"`
			Language string `json:"language"`
		} `json:"kernelspec"`
	} `json:"metadata"`
}

// TestNotebooksAreClean checks the example notebooks as committed: outputs
// cleared, the gospark kernelspec, and a check for each in this file.
func TestNotebooksAreClean(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join(notebooksDir, "*.ipynb"))
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) < 3 {
		t.Fatalf("%d notebooks in %s, want at least 3", len(paths), notebooksDir)
	}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var nb notebook
		if err := json.Unmarshal(b, &nb); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if nb.Metadata.Kernelspec.Name != "gospark" || nb.Metadata.Kernelspec.Language != "go" {
			t.Errorf("%s: kernelspec %+v", p, nb.Metadata.Kernelspec)
		}
		for i, c := range nb.Cells {
			if c.CellType == "code" && (len(c.Outputs) > 0 || c.ExecutionCount != nil) {
				t.Errorf("%s: cell %d has outputs: clear them before committing", p, i)
			}
		}
		if _, ok := notebookChecks[filepath.Base(p)]; !ok {
			t.Errorf("%s has no checks in notebookChecks", p)
		}
	}
}

// executedCell is a code cell as run_notebooks.py reports it.
type executedCell struct {
	Source  string `json:"source"`
	Outputs []struct {
		OutputType string         `json:"output_type"`
		Name       string         `json:"name"`
		Text       string         `json:"text"`
		Data       map[string]any `json:"data"`
		Ename      string         `json:"ename"`
	} `json:"outputs"`
}

// TestNotebooks executes every example notebook headless with nbclient,
// as `jupyter nbconvert --execute` does, and checks its outputs.
func TestNotebooks(t *testing.T) {
	requirePython(t, "jupyter_client", "nbclient", "nbformat")
	env := jupyterEnv(t)
	paths, _ := filepath.Glob(filepath.Join(notebooksDir, "*.ipynb"))
	var abs []string
	for _, p := range paths {
		a, err := filepath.Abs(p)
		if err != nil {
			t.Fatal(err)
		}
		abs = append(abs, a)
	}
	script, _ := filepath.Abs("testdata/run_notebooks.py")
	out, _ := runPython(t, env, "", 10*time.Minute, "", append([]string{script}, abs...)...)
	var report []struct {
		Notebook string         `json:"notebook"`
		Cells    []executedCell `json:"cells"`
	}
	if err := json.Unmarshal([]byte(out), &report); err != nil {
		t.Fatalf("reading the report: %v\n%s", err, out)
	}
	for _, nb := range report {
		name := filepath.Base(nb.Notebook)
		for _, c := range nb.Cells {
			for _, o := range c.Outputs {
				if o.OutputType == "error" {
					t.Errorf("%s: cell %.40q failed: %s", name, c.Source, o.Ename)
				}
			}
		}
		for _, chk := range notebookChecks[name] {
			if !notebookShows(nb.Cells, chk.cell, chk.mime, chk.text) {
				t.Errorf("%s: no %s output containing %q in the cell with %q", name, chk.mime, chk.text, chk.cell)
			}
		}
	}
}

func notebookShows(cells []executedCell, snippet, mime, text string) bool {
	for _, c := range cells {
		if !strings.Contains(c.Source, snippet) {
			continue
		}
		for _, o := range c.Outputs {
			if mime == "stream" {
				if strings.Contains(o.Text, text) {
					return true
				}
				continue
			}
			if s, ok := o.Data[mime].(string); ok && strings.Contains(s, text) {
				return true
			}
		}
	}
	return false
}

// TestNbconvert executes a notebook with `jupyter nbconvert --execute`.
func TestNbconvert(t *testing.T) {
	requirePython(t, "jupyter_client", "nbconvert", "nbclient")
	env := jupyterEnv(t)
	src, _ := filepath.Abs(filepath.Join(notebooksDir, "01-word-count.ipynb"))
	outDir := t.TempDir()
	runPython(t, env, "", 5*time.Minute, "", "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute",
		"--ExecutePreprocessor.kernel_name=gospark", "--output-dir", outDir, src)
	b, err := os.ReadFile(filepath.Join(outDir, "01-word-count.ipynb"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"output_type": "execute_result"`) || !strings.Contains(string(b), "4000") {
		t.Errorf("the executed notebook lacks its results:\n%.2000s", b)
	}
}
