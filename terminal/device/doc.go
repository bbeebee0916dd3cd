// Package device wires a terminal's own parts together: its store, its hub
// client (enrolled once, then by the saved token) and its sender. Both
// `rfterm run` and `rfterm demo` start a device this way.
package device
