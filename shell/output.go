package shell

// The interpreter's os.Stdout and os.Stderr are pipes that the session
// reads and forwards to Options.Stdout and Options.Stderr. Pipes are real
// files, so cells keep Go's types (os.Stdout is an *os.File, and output of
// compiled code handed os.Stdout is captured too); and the session can take
// out of stderr the lines yaegi writes for each interpreted frame a panic
// crosses, which become the cell error's traceback.
