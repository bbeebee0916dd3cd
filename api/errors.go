package api

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
)

// Error is a non-2xx answer from the hub that carried a JSON ErrorBody.
// The hub also uses it to say which status and code a failure maps to.
type Error struct {
	Status  int    // HTTP status
	Code    string // one of the Code constants
	Message string // for people
}

// Error implements error.
func (e *Error) Error() string {
	return fmt.Sprintf("hub: %d %s: %s", e.Status, e.Code, e.Message)
}

// ErrBadResponse is wrapped when a response body is not the JSON expected:
// garbage, an HTML page from a proxy, a truncated body.
var ErrBadResponse = errors.New("bad response from hub")

// Retryable reports whether a failed call may succeed if made again later:
// transport errors, timeouts, unreadable responses, and HTTP 408, 429 and 5xx.
// Other 4xx answers are final, and so is a cancelled context.
func Retryable(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) {
		return false
	}
	var e *Error
	if errors.As(err, &e) {
		return retryableStatus(e.Status)
	}
	if errors.Is(err, ErrBadResponse) || errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var ne net.Error
	return errors.As(err, &ne) || errors.As(err, new(*transportError))
}

func retryableStatus(status int) bool {
	return status == http.StatusRequestTimeout || status == http.StatusTooManyRequests || status >= 500
}

// transportError marks a failure to get any response at all (connection
// refused, reset, DNS), which net.Error does not always cover.
type transportError struct {
	op  string
	err error
}

func (e *transportError) Error() string { return e.op + ": " + e.err.Error() }
func (e *transportError) Unwrap() error { return e.err }
