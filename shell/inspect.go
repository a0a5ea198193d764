package shell

// Inspect returns the documentation of the identifier or selector under
// the cursor (byte offset in code): its signature and doc comment.
func (s *Session) Inspect(code string, cursor int) (doc string, found bool) {
	return "", false
}
