// Package demo wires the parts together without hardware: an embedded order
// hub on a loopback port that can be stopped and restarted, and a device
// (store, hub client, sender) enrolled with it. `rfterm demo` runs on it, and
// so do the end-to-end tests, so what a newcomer sees is what is tested.
package demo
