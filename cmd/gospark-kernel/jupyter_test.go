package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"gospark/kernel"
)

// The tests in this file drive the kernel with Jupyter's own clients, from
// Debian's packages. They need /usr/bin/python3 (never a pyenv python,
// which lacks the packages) with the modules they import; without them
// they skip, saying what to install. CI installs them (.ci/run).

const python = "/usr/bin/python3"

// debianPackages names the package that provides each module.
var debianPackages = map[string]string{
	"jupyter_client":      "python3-jupyter-client",
	"jupyter_kernel_test": "python3-jupyter-kernel-test",
	"pytest":              "python3-pytest",
	"nbclient":            "python3-nbclient",
	"nbformat":            "python3-nbformat",
	"jupyter_console":     "jupyter-console",
	"nbconvert":           "jupyter-nbconvert",
}

// requirePython skips the test unless /usr/bin/python3 imports modules.
func requirePython(t *testing.T, modules ...string) {
	t.Helper()
	if testing.Short() {
		t.Skip("skipped in -short mode: drives real Jupyter clients")
	}
	if _, err := os.Stat(python); err != nil {
		t.Skipf("%s is missing: this test drives real Jupyter clients", python)
	}
	for _, m := range modules {
		if out, err := exec.Command(python, "-c", "import "+m).CombinedOutput(); err != nil {
			t.Skipf("%s cannot import %s (apt-get install %s): %s", python, m, debianPackages[m], lastLine(string(out)))
		}
	}
}

func lastLine(s string) string {
	s = strings.TrimSpace(s)
	return s[strings.LastIndexByte(s, '\n')+1:]
}

// jupyterEnv installs a kernelspec named gospark that runs this test
// binary as the kernel, in a fresh JUPYTER_PATH, and returns the
// environment for Jupyter's clients: nothing is read from or written to
// the user's own Jupyter directories.
func jupyterEnv(t *testing.T) []string {
	t.Helper()
	dir := t.TempDir()
	bin, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	spec := kernel.NewSpec(bin, "--master", "local[2]")
	spec.Env = map[string]string{
		asKernel:                 "1",
		"GOSPARK_KERNEL_HISTORY": filepath.Join(dir, "history.jsonl"),
	}
	if _, err := kernel.Install(filepath.Join(dir, "share", "jupyter", "kernels"), spec); err != nil {
		t.Fatal(err)
	}
	runtime := filepath.Join(dir, "runtime")
	return append(os.Environ(),
		"JUPYTER_PATH="+filepath.Join(dir, "share", "jupyter"),
		"JUPYTER_DATA_DIR="+filepath.Join(dir, "data"),
		"JUPYTER_RUNTIME_DIR="+runtime,
		"JUPYTER_CONFIG_DIR="+filepath.Join(dir, "config"),
		"IPYTHONDIR="+filepath.Join(dir, "ipython"),
		"PYDEVD_DISABLE_FILE_VALIDATION=1",
		"PYTHONDONTWRITEBYTECODE=1",
		"JUPYTER_PLATFORM_DIRS=1",
		"HOME="+dir,
	)
}

// runPython runs /usr/bin/python3 with args, failing the test on a
// non-zero exit; it returns stdout and stderr.
// It runs in dir, or in a fresh directory when dir is "".
func runPython(t *testing.T, env []string, dir string, timeout time.Duration, stdin string, args ...string) (string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, python, args...)
	cmd.Env = env
	cmd.Dir = dir
	if dir == "" {
		cmd.Dir = t.TempDir()
	}
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if err != nil {
		t.Fatalf("%s %s: %v\nstdout:\n%s\nstderr:\n%s", python, strings.Join(args, " "), err, out.String(), errb.String())
	}
	return out.String(), errb.String()
}

// TestConformance runs Jupyter's conformance suite, jupyter_kernel_test,
// with every sample it supports configured (testdata/test_gospark_kernel.py);
// only test_pager, for IPython's pager, has no sample.
func TestConformance(t *testing.T) {
	requirePython(t, "jupyter_client", "jupyter_kernel_test", "pytest")
	env := jupyterEnv(t)
	const suite = "test_gospark_kernel.py"
	out, _ := runPython(t, env, "testdata", 5*time.Minute, "", "-m", "pytest", "-q", "-rA", "-p", "no:cacheprovider", suite)
	t.Logf("jupyter_kernel_test: %s", lastLine(out))
	for _, name := range []string{"kernel_info", "execute_stdout", "execute_stderr", "completion", "is_complete",
		"error", "execute_result", "display_data", "history", "inspect", "clear_output"} {
		if !strings.Contains(out, "PASSED "+suite+"::GosparkKernelTests::test_"+name+"\n") {
			t.Errorf("test_%s did not pass:\n%s", name, out)
		}
	}
	if !regexp.MustCompile(`\b11 passed, 1 skipped\b`).MatchString(out) {
		t.Errorf("want 11 passed and 1 skipped (test_pager):\n%s", out)
	}
}
