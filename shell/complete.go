package shell

// Complete returns the completions of the identifier or selector that ends
// at byte offset cursor of code: matches replace code[start:end].
func (s *Session) Complete(code string, cursor int) (matches []string, start, end int) {
	return nil, cursor, cursor
}
