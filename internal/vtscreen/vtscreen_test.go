package vtscreen

import "testing"

func TestAddressingErasingAndSplitSequences(t *testing.T) {
	s := New(10, 3)
	out := "\x1b[H\x1b[Jhello\x1b[2;3Hab\x1b[3;1Hxyz\x07\x1b[1;3H\x1b[K"
	for i := 0; i < len(out); i++ { // one byte at a time
		s.Write([]byte{out[i]})
	}
	if got, want := s.Text(), "he\n  ab\nxyz"; got != want {
		t.Fatalf("screen %q, want %q", got, want)
	}
	if s.Bells() != 1 {
		t.Fatalf("bells %d", s.Bells())
	}
	s.Write([]byte("\x1b[38;5;1m\x1b(B\x1b[2J\x1b[1;1H€ok"))
	if got := s.Text(); got != "€ok\n\n" {
		t.Fatalf("screen %q", got)
	}
}
