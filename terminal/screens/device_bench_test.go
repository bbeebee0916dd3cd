//go:build !windows

package screens

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/creack/pty"
	"github.com/gdamore/tcell/v2"
	"github.com/gdamore/tcell/v2/terminfo"
	"golang.org/x/sys/unix"

	"github.com/rfterm/rfterm/demodata"
	"github.com/rfterm/rfterm/internal/vtscreen"
	"github.com/rfterm/rfterm/terminal/scanner"
	"github.com/rfterm/rfterm/terminal/session"
)

// glass reads what a program writes to a pseudo-terminal onto a screen
// model, and waits for what it shows.
type glass struct {
	b      testing.TB
	chunks chan []byte
	scr    *vtscreen.Screen
}

func newGlass(b testing.TB, r io.Reader) *glass {
	g := &glass{b: b, chunks: make(chan []byte, 256), scr: vtscreen.New(20, 16)}
	go func() {
		defer close(g.chunks)
		for {
			buf := make([]byte, 4096)
			n, err := r.Read(buf)
			if n > 0 {
				g.chunks <- buf[:n]
			}
			if err != nil {
				return
			}
		}
	}()
	return g
}

// wait reads until the screen shows want (and not gone, when given).
func (g *glass) wait(want, gone string) {
	deadline := time.NewTimer(10 * time.Second)
	defer deadline.Stop()
	for t := g.scr.Text(); !strings.Contains(t, want) || gone != "" && strings.Contains(t, gone); t = g.scr.Text() {
		select {
		case c, ok := <-g.chunks:
			if !ok {
				g.b.Fatalf("the terminal closed; it shows:\n%s", t)
			}
			g.scr.Write(c)
		case <-deadline.C:
			g.b.Fatalf("the screen never showed %q; it shows:\n%s", want, t)
		}
	}
}

// devicePty is a pseudo-terminal of 20×16 as a gun's screen: the master
// (the glass and the keyboard) and the slave's path (the program's tty).
func devicePty(b testing.TB) (*os.File, string) {
	ptmx, tty, err := pty.Open()
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { ptmx.Close(); tty.Close() })
	if err := pty.Setsize(ptmx, &pty.Winsize{Cols: 20, Rows: 16}); err != nil {
		b.Fatal(err)
	}
	return ptmx, tty.Name()
}

// deviceTerminal runs the terminal as `rfterm run` does, on a vt220
// terminfo screen on a pseudo-terminal, with the keyboard wedge in the key
// path, at the login screen (a scan that is no badge is refused there
// with no hub and no disk: the scan → screen path alone). It returns the
// session and the pty's master.
func deviceTerminal(b *testing.B) (*session.Session, *os.File) {
	ptmx, path := devicePty(b)
	dev, err := tcell.NewDevTtyFromDev(path)
	if err != nil {
		b.Fatal(err)
	}
	ti, err := terminfo.LookupTerminfo("vt220")
	if err != nil {
		b.Fatal(err)
	}
	scr, err := tcell.NewTerminfoScreenFromTtyTerminfo(dev, ti)
	if err != nil {
		b.Fatal(err)
	}
	rules, err := demodata.Rules()
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	sess := session.New(ctx, session.Config{Rules: rules}, nil, nil, idleSync{})
	term := NewTerminal(sess, scr)
	wedge, err := scanner.NewWedge(scanner.WedgeConfig{}, testLogger(b))
	if err != nil {
		b.Fatal(err)
	}
	term.UseWedge(wedge)
	wedgeDone, termDone := make(chan struct{}), make(chan struct{})
	go func() { defer close(wedgeDone); _ = wedge.Run(ctx, sess) }()
	go func() { defer close(termDone); _ = term.Run(ctx) }()
	b.Cleanup(func() { cancel(); <-termDone; <-wedgeDone; sess.Close() })
	return sess, ptmx
}

// percentiles reports the p50 and p99 of lat in microseconds.
func percentiles(b *testing.B, lat []time.Duration) {
	slices.Sort(lat)
	at := func(p int) float64 { return float64(lat[min(len(lat)-1, len(lat)*p/100)].Microseconds()) }
	b.ReportMetric(at(50), "p50-µs")
	b.ReportMetric(at(99), "p99-µs")
	b.ReportMetric(0, "ns/op") // the percentiles are the figures
}

// BenchmarkScanToScreen is scan → screen on the device: the last byte of a
// scan written (to the serial scanner's pty, or typed into the terminal's
// pty through the keyboard wedge) → the screen update read from the
// terminal's pty, as p50 and p99; against cat echoing the same bytes
// through a pty of the same kind, the floor. Run it alone: it measures
// latency, and other work on the machine is in every figure.
func BenchmarkScanToScreen(b *testing.B) {
	scanLoop := func(b *testing.B, scan func(code string), ptmx *os.File) {
		g := newGlass(b, ptmx)
		g.wait("Scan your badge", "")
		lat := make([]time.Duration, 0, 1024)
		for i := 0; b.Loop(); i++ {
			code := fmt.Sprintf("T%05d", i%100000) // a tote: no badge, refused; never twice alike (debounce)
			scan(code)
			t0 := time.Now()
			g.wait("NOT A BADGE", "")
			lat = append(lat, time.Since(t0))
			if _, err := ptmx.Write([]byte("\r")); err != nil { // Enter acknowledges
				b.Fatal(err)
			}
			g.wait("Scan your badge", "NOT A BADGE")
		}
		percentiles(b, lat)
	}
	b.Run("serial", func(b *testing.B) {
		scanMaster, scanPath := devicePty(b)
		sess, ptmx := deviceTerminal(b)
		serial, err := scanner.NewSerial(scanner.SerialConfig{Port: scanPath, Baud: 9600, Suffix: "CR"}, 0, testLogger(b))
		if err != nil {
			b.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { defer close(done); _ = serial.Run(ctx, sess) }()
		b.Cleanup(func() { cancel(); <-done })
		scanLoop(b, func(code string) {
			if _, err := scanMaster.Write([]byte(code + "\r")); err != nil {
				b.Fatal(err)
			}
		}, ptmx)
	})
	b.Run("wedge", func(b *testing.B) {
		_, ptmx := deviceTerminal(b)
		scanLoop(b, func(code string) {
			if _, err := ptmx.Write([]byte(code + "\r")); err != nil {
				b.Fatal(err)
			}
		}, ptmx)
	})
	b.Run("cat", func(b *testing.B) {
		ptmx, path := devicePty(b)
		tty, err := os.OpenFile(path, os.O_RDWR, 0)
		if err != nil {
			b.Fatal(err)
		}
		defer tty.Close()
		if err := makeRaw(tty); err != nil { // as tcell sets its tty: no echo, no line editing
			b.Fatal(err)
		}
		cat := exec.Command("cat")
		cat.Stdin, cat.Stdout = tty, tty
		if err := cat.Start(); err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { _ = cat.Process.Kill(); _ = cat.Wait() })
		g := newGlass(b, ptmx)
		lat := make([]time.Duration, 0, 1024)
		for i := 0; b.Loop(); i++ {
			code := fmt.Sprintf("T%05d", i%100000)
			g.scr = vtscreen.New(20, 16)
			if _, err := ptmx.Write([]byte(code + "\r")); err != nil {
				b.Fatal(err)
			}
			t0 := time.Now()
			g.wait(code, "")
			lat = append(lat, time.Since(t0))
		}
		percentiles(b, lat)
	})
}

// makeRaw puts a terminal in raw mode, as cfmakeraw(3) does.
func makeRaw(f *os.File) error {
	t, err := unix.IoctlGetTermios(int(f.Fd()), unix.TCGETS)
	if err != nil {
		return err
	}
	t.Iflag &^= unix.IGNBRK | unix.BRKINT | unix.PARMRK | unix.ISTRIP | unix.INLCR | unix.IGNCR | unix.ICRNL | unix.IXON
	t.Oflag &^= unix.OPOST
	t.Lflag &^= unix.ECHO | unix.ECHONL | unix.ICANON | unix.ISIG | unix.IEXTEN
	t.Cflag &^= unix.CSIZE | unix.PARENB
	t.Cflag |= unix.CS8
	t.Cc[unix.VMIN], t.Cc[unix.VTIME] = 1, 0
	return unix.IoctlSetTermios(int(f.Fd()), unix.TCSETS, t)
}
