// Package hub is the reference central order hub: a bbolt-backed store of the
// site's master data, orders, pick tasks and delivered device events, and the
// HTTP/JSON server that devices talk to (the contract is api/openapi.json).
//
// Events are applied exactly once per (device, event id): the record that an
// event was seen is written in the same bbolt transaction as its effect and is
// kept forever, so a device that was offline for days can resend safely.
package hub
