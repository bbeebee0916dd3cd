// Package flow holds the workflows as pure state machines: each takes one
// input (a scan, typed text or an action key) and returns what happened — the
// events to queue, a problem the worker must acknowledge, or just the next
// prompt. No UI, no network, no disk: the session persists state and events
// in one transaction, and the screens render Prompt.
package flow
