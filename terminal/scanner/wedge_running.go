package scanner

// Running reports whether Run has started taking scans: until it has, every
// key passes through as typing.
func (w *Wedge) Running() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.h != nil
}
