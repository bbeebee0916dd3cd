// Package offline is the device's durable store and its sync engine: the
// outbox of confirmed events, the state of the work in progress, and the
// cached users that let a gun keep working when the network is gone. A step's
// state and its outgoing event are written in one bbolt transaction; one
// Sender drains the outbox to the hub in order. (The product brief calls this
// part sync/; it is named offline so it doesn't shadow the standard library.)
package outbox
