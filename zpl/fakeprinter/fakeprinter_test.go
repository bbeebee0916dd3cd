package fakeprinter_test

import (
	"bufio"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/zpl/fakeprinter"
	"github.com/rfterm/rfterm/zpl/printer"
)

func TestFakeActsOnTildeCommandsAtOnceAndKeepsFormats(t *testing.T) {
	fp := fakeprinter.New(fakeprinter.Options{})
	require.NoError(t, fp.Listen(t.Context(), "127.0.0.1:0"))
	defer fp.Close()
	fp.SetFaults(fakeprinter.Faults{Paused: true})
	c, err := net.Dial("tcp", fp.Addr())
	require.NoError(t, err)
	defer c.Close()
	r := bufio.NewReader(c)
	// A format split across writes, with ~HS in the middle of it.
	_, err = c.Write([]byte("^XA^FO1,1^FDone^FS"))
	require.NoError(t, err)
	_, err = c.Write([]byte("~HS"))
	require.NoError(t, err)
	s := readStatus(t, c, r)
	assert.True(t, s.Paused)
	assert.Equal(t, 0, s.FormatsInBuffer)
	_, err = c.Write([]byte("^XZ\r\n^xa^FDtwo^FS^xz~HS"))
	require.NoError(t, err)
	s = readStatus(t, c, r)
	assert.Equal(t, 2, s.FormatsInBuffer, "formats wait while paused")
	got := fp.Formats()
	require.Len(t, got, 2)
	assert.Equal(t, "^XA^FO1,1^FDone^FS^XZ", string(got[0].ZPL))
	assert.Equal(t, "^xa^FDtwo^FS^xz", string(got[1].ZPL))
	fp.SetFaults(fakeprinter.Faults{})
	_, err = c.Write([]byte("~HS"))
	require.NoError(t, err)
	assert.Equal(t, 0, readStatus(t, c, r).FormatsInBuffer, "printed once resumed")
}

func readStatus(t *testing.T, c net.Conn, r *bufio.Reader) printer.Status {
	t.Helper()
	require.NoError(t, c.SetReadDeadline(time.Now().Add(5*time.Second)))
	var raw []byte
	for range 3 {
		b, err := r.ReadBytes(0x03)
		require.NoError(t, err)
		raw = append(raw, b...)
	}
	s, err := printer.ParseHostStatus(raw)
	require.NoError(t, err)
	return s
}

func TestCloseEndsAnOpenConnection(t *testing.T) {
	fp := fakeprinter.New(fakeprinter.Options{})
	require.NoError(t, fp.Listen(t.Context(), "127.0.0.1:0"))
	c, err := net.Dial("tcp", fp.Addr())
	require.NoError(t, err)
	defer c.Close()
	_, err = c.Write([]byte("^XA"))
	require.NoError(t, err)
	require.Eventually(t, func() bool { return fp.Received() == 3 }, 5*time.Second, time.Millisecond)
	require.NoError(t, fp.Close(), "returns although the client keeps the connection open")
	require.NoError(t, c.SetReadDeadline(time.Now().Add(5*time.Second)))
	_, err = c.Read(make([]byte, 1))
	assert.Error(t, err, "the fake closed its end")
}

// TestDropGoesToTheFirstConnectionThatGetsThatFar: a status check (3 bytes)
// does not use up a drop armed at 20 bytes; the job after it is cut.
func TestDropGoesToTheFirstConnectionThatGetsThatFar(t *testing.T) {
	fp := fakeprinter.New(fakeprinter.Options{})
	require.NoError(t, fp.Listen(t.Context(), "127.0.0.1:0"))
	defer fp.Close()
	fp.DropAfter(20)

	status, err := net.Dial("tcp", fp.Addr())
	require.NoError(t, err)
	_, err = status.Write([]byte("~HS"))
	require.NoError(t, err)
	readStatus(t, status, bufio.NewReader(status))
	status.Close()

	job, err := net.Dial("tcp", fp.Addr())
	require.NoError(t, err)
	defer job.Close()
	_, err = job.Write([]byte("^XA^FO1,1^FDa long enough label^FS^XZ"))
	require.NoError(t, err)
	require.NoError(t, job.SetReadDeadline(time.Now().Add(5*time.Second)))
	_, err = job.Read(make([]byte, 1))
	require.Error(t, err, "the job's connection is reset")
	assert.Empty(t, fp.Formats(), "the cut format is not kept")
}
