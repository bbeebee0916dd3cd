package telnet

import (
	"bytes"
	"context"
	"net"
	"testing"
	"time"
)

// pair is a telnet Conn on a real loopback socket, and the client's end.
func pair(t *testing.T) (*Conn, net.Conn) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	client, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	server, err := ln.Accept()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Close(); server.Close() })
	return NewConn(server), client
}

// readUntil reads from c until got contains want, or fails at the deadline.
func readUntil(t *testing.T, c net.Conn, want []byte) []byte {
	t.Helper()
	var got []byte
	buf := make([]byte, 256)
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	for !bytes.Contains(got, want) {
		n, err := c.Read(buf)
		got = append(got, buf[:n]...)
		if err != nil {
			t.Fatalf("read %q waiting for %q: %v", got, want, err)
		}
	}
	return got
}

func TestNegotiateTermAndSize(t *testing.T) {
	srv, cl := pair(t)
	done := make(chan error, 1)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	go func() { done <- srv.Negotiate(ctx) }()
	offer := readUntil(t, cl, []byte{IAC, DO, OptNAWS})
	if !bytes.Contains(offer, []byte{IAC, WILL, OptEcho}) || !bytes.Contains(offer, []byte{IAC, DO, OptTermType}) {
		t.Fatalf("offer %v lacks WILL ECHO or DO TERMINAL-TYPE", offer)
	}
	// The client agrees, typing ahead in the middle of it, its NAWS split across writes.
	cl.Write([]byte{IAC, WILL, OptTermType, IAC, WILL, OptNAWS, IAC, SB, OptNAWS, 0, 40})
	readUntil(t, cl, []byte{IAC, SB, OptTermType, TermTypeSEND, IAC, SE})
	cl.Write([]byte{0, 8, IAC, SE, 'g', 'u', 'n'})
	cl.Write([]byte{IAC, SB, OptTermType, TermTypeIS, 'V', 'T', '2', '2', '0', IAC, SE, '\r', 0})
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if w, h := srv.Size(); w != 40 || h != 8 {
		t.Fatalf("size %d×%d, want 40×8", w, h)
	}
	if srv.Term() != "VT220" {
		t.Fatalf("term %q", srv.Term())
	}
	buf := make([]byte, 16)
	n, err := srv.Read(buf)
	if err != nil || string(buf[:n]) != "gun\r" {
		t.Fatalf("read %q %v, want the typed-ahead data", buf[:n], err)
	}
	resized := make(chan [2]int, 1)
	srv.OnResize(func(w, h int) { resized <- [2]int{w, h} })
	go srv.Read(buf)
	cl.Write([]byte{IAC, SB, OptNAWS, 0, 20, 0, 16, IAC, SE})
	select {
	case got := <-resized:
		if got != [2]int{20, 16} {
			t.Fatalf("resized to %v", got)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no resize")
	}
}

func TestNegotiateGivesUpOnASilentClient(t *testing.T) {
	srv, _ := pair(t)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if err := srv.Negotiate(ctx); err != nil {
		t.Fatal(err)
	}
	if srv.Term() != "" {
		t.Fatalf("term %q from a silent client", srv.Term())
	}
}

func TestRefusesUnknownOptionsAndEscapesOutput(t *testing.T) {
	srv, cl := pair(t)
	go srv.Read(make([]byte, 8))
	cl.Write([]byte{IAC, DO, 42, IAC, WILL, 43})
	got := readUntil(t, cl, []byte{IAC, DONT, 43})
	if !bytes.Contains(got, []byte{IAC, WONT, 42}) {
		t.Fatalf("got %v, want WONT 42", got)
	}
	if _, err := srv.Write([]byte{'a', IAC, 'b'}); err != nil {
		t.Fatal(err)
	}
	if got := readUntil(t, cl, []byte{'b'}); !bytes.Contains(got, []byte{'a', IAC, IAC, 'b'}) {
		t.Fatalf("got %v", got)
	}
}
