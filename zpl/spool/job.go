package spool

import (
	"fmt"
	"time"
)

// JobID identifies a job; ids grow with each job submitted.
type JobID uint64

// String is the id as operators see it: "J000042".
func (id JobID) String() string { return fmt.Sprintf("J%06d", uint64(id)) }

// State is where a job is.
type State string

// Job states.
const (
	// Queued jobs wait for the printer; they are retried while it is offline,
	// paused or out of paper.
	Queued State = "queued"
	// Sending is a job handed to the printer right now. A job found in this
	// state when the spool opens was cut off by a crash: it becomes Unknown.
	Sending State = "sending"
	// Printed jobs were taken whole by the printer, or confirmed by the operator.
	Printed State = "printed"
	// Unknown jobs may or may not have printed (the connection dropped while
	// sending, the printer went silent after it, the process died). They are
	// never sent again on their own: the operator confirms "it printed" or
	// "reprint".
	Unknown State = "unknown"
	// Cancelled jobs were withdrawn before printing.
	Cancelled State = "cancelled"
)

// done reports whether a job in state s needs nothing more.
func (s State) done() bool { return s == Printed || s == Cancelled }

// Request is a job to print.
type Request struct {
	Name string // what it is, for menus: "SSCC 00106141411234567897"
	ZPL  []byte
}

// Job is a print job as stored.
type Job struct {
	ID        JobID     `json:"id"`
	Name      string    `json:"name"`
	ZPL       []byte    `json:"zpl"`
	State     State     `json:"state"`
	Attempts  int       `json:"attempts"`             // times handed to the printer
	LastError string    `json:"last_error,omitempty"` // why the last attempt failed
	Printer   string    `json:"printer,omitempty"`    // printer of the last attempt
	ReprintOf JobID     `json:"reprint_of,omitempty"` // the job this reprints
	Confirmed bool      `json:"confirmed,omitempty"`  // Printed on the operator's word
	Created   time.Time `json:"created"`
	Updated   time.Time `json:"updated"`
}
