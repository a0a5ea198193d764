package shell

// suggest adds a "did you mean" hint to a compile error when a name is
// unknown.
func (s *Session) suggest(ce *CellError, ch *chunk) {}
