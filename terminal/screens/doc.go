// Package screens is the text UI: tview views that render a session's View
// and forward keys and scans to it. They decide nothing: which input is
// valid, what it means and what comes next is the session's and the
// workflow's business. One key-action table drives key dispatch, the hint
// bar and the help line together.
package screens
