"""Jupyter's conformance suite (jupyter_kernel_test) against gospark-kernel.

Run by TestConformance with JUPYTER_PATH pointing at a kernelspec named
"gospark"; every sample the suite supports is configured.
"""

import unittest

import jupyter_kernel_test as jkt


class GosparkKernelTests(jkt.KernelTests):
    kernel_name = "gospark"

    language_name = "go"
    file_extension = ".go"

    code_hello_world = 'fmt.Println("hello, world")'

    code_stderr = 'fmt.Fprintln(os.Stderr, "to stderr")'

    # Matches replace the text between cursor_start and cursor_end: after a
    # selector, the name after the dot.
    completion_samples = [
        {"text": "strings.ToUpp", "matches": {"ToUpper", "ToUpperSpecial"}},
        {"text": "sc.Paralleli", "matches": {"ParallelismConfigured", "Parallelize"}},
        {"text": "fmt.Sprin", "matches": {"Sprint", "Sprintf", "Sprintln"}},
    ]

    complete_code_samples = [
        "x := 1",
        'fmt.Println("hello")',
        "func add(a, b int) int { return a + b }",
        "for i := 0; i < 3; i++ {\n    fmt.Println(i)\n}",
        "",
    ]
    incomplete_code_samples = [
        "func add(a, b int) int {",
        "for i := 0; i < 3; i++ {",
        "xs := []int{1, 2,",
        "s := `raw string",
        "x := 1 +",
    ]
    invalid_code_samples = [
        "x := := 3",
        "}",
        "y := (1 + 2))",
        's := "unterminated',
    ]

    code_generate_error = 'panic("boom")'

    code_execute_result = [
        {"code": "1 + 2", "result": "3"},
        {"code": "x := 6\nx * 7", "result": "42"},
        {"code": 'strings.Repeat("ab", 2)', "result": '"abab"'},
        {"code": "sc.Parallelize([]int{1, 2, 3, 4}).Count()", "result": "4"},
    ]

    code_display_data = [
        {"code": 'Display(display.HTML("<b>gospark</b>"))', "mime": "text/html"},
        {"code": 'Display(display.Markdown("# gospark"))', "mime": "text/markdown"},
        {"code": "p, _ := display.Bar([]string{\"a\", \"b\"}, []int{3, 5})\nDisplay(p)", "mime": "image/png"},
    ]

    supported_history_operations = ("tail", "range", "search")
    code_history_pattern = "1 + ?"

    code_inspect_sample = "strings.ToUpper"

    code_clear_output = "Display(display.ClearOutput(false))"


if __name__ == "__main__":
    unittest.main()
