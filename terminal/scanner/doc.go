// Package scanner turns barcode scanner input into scans and tells what they
// mean: scan sources (serial, evdev, keyboard wedge), AIM symbology
// identifiers, and site barcode rules that classify a scan as a badge, LPN
// (tote), location, carton type, GTIN or GS1 data. Workflows ask
// Rules.Classify; they never match barcodes themselves.
//
// # Sources
//
// Open(cfg, log) makes the Source a Config describes ("serial", "evdev" or
// "wedge"). Run(ctx, handler) delivers each scan whole to
// Handler.HandleScan and connection changes to Handler.HandleStatus
// ("scanner disconnected: …" while a serial port or input device is away; it
// is reopened by itself with backoff). Dropped fragments (half a scan when a
// cable is pulled, bytes outside a prefix, an over-long scan, a repeated
// read of one trigger pull) are logged, never delivered.
//
// # Keyboard wedge integration (for the TUI)
//
// A *Wedge (Open with Kind "wedge", or NewWedge) sits in the TUI's key path
// and takes plain values, no tview/tcell types. All calls except Run come
// from the TUI's event goroutine:
//
//  1. go w.Run(ctx, handler): scans go to handler.HandleScan, called from
//     inside Key or Flush, that is on the event goroutine.
//  2. w.SetWake(func() { app.QueueUpdate(func() { replay(w.Flush(time.Now())) }) }):
//     the wedge calls it from a timer when held keys are due (MaxKeyGap
//     after the last key).
//  3. In app.SetInputCapture, for every *tcell.EventKey ev: build
//     scanner.Key{Code, Rune, Alt, At: ev.When(), Event: ev} (KeyEnter for
//     Enter and keypad Enter, KeyTab for Tab, KeyGS for Ctrl+], KeyRune with
//     Alt = ev.Modifiers()&ModAlt for characters, KeyOther for everything
//     else), call out := w.Key(k), replay(out) and return nil.
//
// replay hands each returned Key's Event, in order, to the focused widget:
// app.GetFocus().InputHandler()(k.Event.(*tcell.EventKey), setFocus).
//
// Keys are held at most MaxKeyGap (default 50ms), so slow typing (a
// quantity "12" + Enter) reaches the input field unchanged and in order; a
// burst of at least MinLength characters ending in Enter or Tab becomes one
// scan, and none of its keys reach the widget. Nothing is lost or reordered:
// every key comes back from Key or Flush exactly once unless it went into a
// scan. Before Run (and after it ends) keys pass straight through.
package scanner
