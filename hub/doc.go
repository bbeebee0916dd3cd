// Package hub is the reference central order hub: the site's master data,
// orders, pick tasks and delivered device events, with every business rule
// over them, and the HTTP/JSON server that devices talk to (the contract is
// api/openapi.json).
//
// The rules run over a storage.DB (package storage): ordered buckets in
// transactions. Open keeps them in one bbolt file (package boltstore); New
// takes any backend. Every record, index and rule is written here once.
//
// Events are applied exactly once per (device, event id): the record that an
// event was seen is written in the same transaction as its effect and is
// kept forever, so a device that was offline for days can resend safely.
package hub
