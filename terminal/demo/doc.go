// Package demo runs the order hub inside the terminal's own process, on a
// loopback port, seeded with the demo site; it can be stopped and started
// again on the same address to show offline work. `rfterm demo` and the
// end-to-end tests run on it, so what a newcomer sees is what is tested.
package demo
