// Package serialport holds the serial plumbing shared by devices on a serial
// line (barcode scanners, scales): line settings (baud, data bits, parity,
// stop bits) checked and turned into a go.bug.st/serial mode, and
// KeepConnected, which opens a device, uses it until it fails and reopens it
// with backoff, reporting each change of connection once.
package serialport
