// Package session is the model of one terminal session: who is logged in,
// which workflow runs, and the status line. It takes inputs from a screen (or
// a scanner), runs the workflow, saves the state and the events in one
// transaction before anything shows as confirmed, and tells its listener when
// the view changed. Many sessions can share one store and one sender: a
// hosted edge server runs one per RF gun.
package session
