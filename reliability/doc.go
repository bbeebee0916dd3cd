// Package reliability holds the end-to-end proofs of offline sync: a device
// killed with SIGKILL at random moments, devices syncing through a
// fault-injecting network, and business conflicts met after working offline.
// Each test has a short form, run by `make test`, and a long form, run by
// `make reliability` (RFTERM_RELIABILITY=long).
package reliability
