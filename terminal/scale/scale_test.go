//go:build !windows

package scale

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/terminal/scale/fakescale"
	"github.com/rfterm/rfterm/terminal/scanner"
	"github.com/rfterm/rfterm/terminal/serialport"
)

// waitTimeout bounds every wait in these tests.
const waitTimeout = 5 * time.Second

// rig is a scale under test on a real pty, with the fake scale on the master.
type rig struct {
	scale *Scale
	fake  *fakescale.Scale
}

// ptyPair opens a real pseudo-terminal; the scale opens the slave by path.
func ptyPair(t testing.TB) (master *os.File, path string) {
	t.Helper()
	m, s, err := fakescale.OpenPTY()
	require.NoError(t, err)
	t.Cleanup(func() { _ = m.Close(); _ = s.Close() })
	return m, s.Name()
}

// runScale runs a scale until the test ends; its status changes go to the channel.
func runScale(t testing.TB, cfg Config) (*Scale, chan scanner.Status) {
	t.Helper()
	sc, err := Open(cfg, nil)
	require.NoError(t, err)
	status := make(chan scanner.Status, 16)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { sc.Run(ctx, func(s scanner.Status) { status <- s }); close(done) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(waitTimeout):
			t.Error("scale did not stop")
		}
	})
	return sc, status
}

// startScale runs a scale on a new pty and waits until it is connected.
func startScale(t testing.TB, cfg Config) *rig {
	t.Helper()
	m, path := ptyPair(t)
	cfg.Port = path
	sc, status := runScale(t, cfg)
	r := &rig{scale: sc, fake: fakescale.New(m)}
	require.True(t, nextStatus(t, status).Connected)
	return r
}

func nextStatus(t testing.TB, status chan scanner.Status) scanner.Status {
	t.Helper()
	select {
	case s := <-status:
		return s
	case <-time.After(waitTimeout):
		t.Fatal("no status")
	}
	return scanner.Status{}
}

func ctxFor(t testing.TB, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

func TestSICSStable(t *testing.T) {
	r := startScale(t, Config{})
	r.fake.Reply("S", "S S      0.525 kg")
	w, err := r.scale.Stable(ctxFor(t, waitTimeout))
	require.NoError(t, err)
	assert.Equal(t, int64(525_000), w.Milligrams)
	assert.Equal(t, "0.525 kg", w.String())
	assert.True(t, w.Stable)
	assert.False(t, w.At.IsZero())
	assert.Equal(t, []string{"S"}, r.fake.Commands())
}

func TestSICSUnstableThenStable(t *testing.T) {
	r := startScale(t, Config{Retry: scanner.Duration(time.Millisecond)})
	r.fake.Reply("S", "S D      0.610 kg", "S D      0.540 kg", "S S      0.525 kg")
	w, err := r.scale.Stable(ctxFor(t, waitTimeout))
	require.NoError(t, err)
	assert.Equal(t, int64(525_000), w.Milligrams)
	assert.Equal(t, []string{"S", "S", "S"}, r.fake.Commands(), "asked again while it moved")
}

func TestSICSNeverSettles(t *testing.T) {
	r := startScale(t, Config{Retry: scanner.Duration(time.Millisecond)})
	r.fake.Reply("S", "S D      0.610 kg")
	_, err := r.scale.Stable(ctxFor(t, 300*time.Millisecond))
	require.ErrorIs(t, err, ErrUnstable)
	assert.Contains(t, err.Error(), "0.610 kg", "names the last reading")
}

func TestSICSErrorReplies(t *testing.T) {
	cases := map[string]error{
		"S I": ErrNotExecutable, "S +": ErrOverload, "S -": ErrUnderload,
		"ES": ErrSyntax, "ET": ErrTransmission, "EL": ErrLogical,
	}
	r := startScale(t, Config{})
	for reply, want := range cases {
		r.fake.Reply("S", reply)
		_, err := r.scale.Stable(ctxFor(t, waitTimeout))
		assert.ErrorIs(t, err, want, reply)
	}
}

func TestSICSImmediateZeroTare(t *testing.T) {
	r := startScale(t, Config{})
	r.fake.Reply("SI", "S D      0.530 kg")
	w, err := r.scale.Immediate(ctxFor(t, waitTimeout))
	require.NoError(t, err)
	assert.False(t, w.Stable)
	assert.Equal(t, int64(530_000), w.Milligrams)

	r.fake.Reply("Z", "Z A", "Z I", "Z +")
	require.NoError(t, r.scale.Zero(ctxFor(t, waitTimeout)))
	assert.ErrorIs(t, r.scale.Zero(ctxFor(t, waitTimeout)), ErrNotExecutable)
	assert.ErrorIs(t, r.scale.Zero(ctxFor(t, waitTimeout)), ErrOverload)

	r.fake.Reply("T", "T S      0.120 kg", "T I")
	tare, err := r.scale.Tare(ctxFor(t, waitTimeout))
	require.NoError(t, err)
	assert.Equal(t, 120, tare.Grams())
	_, err = r.scale.Tare(ctxFor(t, waitTimeout))
	assert.ErrorIs(t, err, ErrNotExecutable)
}

func TestSICSNoAnswer(t *testing.T) {
	r := startScale(t, Config{ReplyTimeout: scanner.Duration(100 * time.Millisecond)})
	_, err := r.scale.Stable(ctxFor(t, waitTimeout))
	require.ErrorIs(t, err, ErrNoAnswer)
	assert.Contains(t, err.Error(), "100ms")
}

func TestSICSGarbageAndStaleLines(t *testing.T) {
	r := startScale(t, Config{ReplyTimeout: scanner.Duration(300 * time.Millisecond)})
	// line noise and a reply to another command come before the answer
	r.fake.Reply("S", "\x00\xfe#garbage\nZ A\nS S      1.000 kg")
	w, err := r.scale.Stable(ctxFor(t, waitTimeout))
	require.NoError(t, err)
	assert.Equal(t, 1000, w.Grams())

	r.fake.Reply("S", "S S 0.5 stone")
	_, err = r.scale.Stable(ctxFor(t, waitTimeout))
	require.ErrorIs(t, err, ErrNoAnswer)
	assert.ErrorIs(t, err, ErrBadReply, "says what it got instead")

	// a reply nobody waited for is not taken as the next answer
	require.NoError(t, r.fake.Send("S S      9.999 kg"))
	require.Eventually(t, func() bool { return len(r.scale.lines) == 1 }, waitTimeout, time.Millisecond)
	r.fake.Reply("S", "S S      2.000 kg")
	w, err = r.scale.Stable(ctxFor(t, waitTimeout))
	require.NoError(t, err)
	assert.Equal(t, 2000, w.Grams())
}

func TestSICSDisconnectAndReconnect(t *testing.T) {
	link := filepath.Join(t.TempDir(), "usb-Mettler_Toledo-if00") // like /dev/serial/by-id/…
	m1, p1 := ptyPair(t)
	require.NoError(t, os.Symlink(p1, link))
	sc, status := runScale(t, Config{Port: link})
	next := func() scanner.Status { return nextStatus(t, status) }
	require.True(t, next().Connected)
	fake := fakescale.New(m1)
	fake.Reply("S", "S S      0.525 kg")
	_, err := sc.Stable(ctxFor(t, waitTimeout))
	require.NoError(t, err)

	require.NoError(t, m1.Close()) // unplugged
	st := next()
	assert.False(t, st.Connected)
	assert.Contains(t, st.Reason, "scale disconnected")
	_, err = sc.Stable(ctxFor(t, 100*time.Millisecond))
	assert.ErrorIs(t, err, ErrNotConnected, "no port: says so")

	m2, p2 := ptyPair(t) // plugged in again, as a new tty
	require.NoError(t, os.Remove(link))
	require.NoError(t, os.Symlink(p2, link))
	for st = next(); !st.Connected; st = next() {
	}
	fake2 := fakescale.New(m2)
	fake2.Reply("S", "S S      0.700 kg")
	w, err := sc.Stable(ctxFor(t, waitTimeout))
	require.NoError(t, err)
	assert.Equal(t, 700, w.Grams())
}

func TestSICSWaitsForTheScaleToConnect(t *testing.T) {
	link := filepath.Join(t.TempDir(), "scale")
	sc, status := runScale(t, Config{Port: link})
	result := make(chan error, 1)
	go func() { _, err := sc.Stable(ctxFor(t, waitTimeout)); result <- err }()
	assert.False(t, nextStatus(t, status).Connected, "nothing there yet")
	m, p := ptyPair(t)
	fakescale.New(m).Reply("S", "S S      0.100 kg")
	require.NoError(t, os.Symlink(p, link))
	select {
	case err := <-result:
		assert.NoError(t, err, "the request went out once the port opened")
	case <-time.After(waitTimeout):
		t.Fatal("Stable did not return")
	}
}

func TestContinuous(t *testing.T) {
	r := startScale(t, Config{Protocol: ProtocolContinuous, ReplyTimeout: scanner.Duration(time.Second)})
	got := make(chan Weight, 1)
	errs := make(chan error, 1)
	go func() {
		w, err := r.scale.Stable(ctxFor(t, waitTimeout))
		errs <- err
		got <- w
	}()
	// the scale streams whether asked or not; send until the call has drained
	require.Eventually(t, func() bool {
		_ = r.fake.Send("US,GS,+0001.240kg", "garbage", "ST,GS,   1.234kg")
		select {
		case err := <-errs:
			require.NoError(t, err)
			return true
		default:
			return false
		}
	}, waitTimeout, 20*time.Millisecond)
	w := <-got
	assert.Equal(t, int64(1_234_000), w.Milligrams)
	assert.True(t, w.Stable)

	assert.ErrorIs(t, r.scale.Zero(ctxFor(t, waitTimeout)), ErrUnsupported)
	_, err := r.scale.Tare(ctxFor(t, waitTimeout))
	assert.ErrorIs(t, err, ErrUnsupported)
	assert.Empty(t, r.fake.Commands(), "nothing is sent to a continuous scale")
}

func TestContinuousOverloadAndSilence(t *testing.T) {
	r := startScale(t, Config{Protocol: ProtocolContinuous, ReplyTimeout: scanner.Duration(200 * time.Millisecond)})
	_, err := r.scale.Immediate(ctxFor(t, waitTimeout))
	assert.ErrorIs(t, err, ErrNoAnswer, "a silent scale")

	errs := make(chan error, 1)
	go func() { _, err := r.scale.Stable(ctxFor(t, waitTimeout)); errs <- err }()
	require.Eventually(t, func() bool {
		_ = r.fake.Send("OL,GS,+9999.99kg")
		select {
		case err := <-errs:
			assert.ErrorIs(t, err, ErrOverload)
			return true
		default:
			return false
		}
	}, waitTimeout, 20*time.Millisecond)
}

func TestOpenRefusesBadConfig(t *testing.T) {
	for _, cfg := range []Config{
		{},
		{Port: "/dev/x", Protocol: "modbus"},
		{Port: "/dev/x", Line: serialport.Line{DataBits: 9}},
	} {
		_, err := Open(cfg, nil)
		assert.Error(t, err, "%+v", cfg)
	}
}
