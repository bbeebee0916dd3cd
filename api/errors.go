package api

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Error is a non-2xx answer from the hub that carried a JSON ErrorBody.
// The hub also uses it to say which status and code a failure maps to.
type Error struct {
	Status  int    // HTTP status
	Code    string // one of the Code constants
	Message string // for people
	// RetryAfter is how long the hub asked the caller to wait before trying
	// again (the Retry-After header of a 429 or 503), or 0.
	RetryAfter time.Duration
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

// RetryAfter is the wait the hub asked for with err (see Error.RetryAfter), or 0.
func RetryAfter(err error) time.Duration {
	var e *Error
	if errors.As(err, &e) {
		return e.RetryAfter
	}
	return 0
}

// parseRetryAfter reads a Retry-After header: delay-seconds or an HTTP date
// (RFC 9110 section 10.2.3). Anything else, or a time in the past, is 0.
func parseRetryAfter(h string, now time.Time) time.Duration {
	h = strings.TrimSpace(h)
	if h == "" {
		return 0
	}
	if secs, err := strconv.ParseInt(h, 10, 64); err == nil {
		if secs <= 0 {
			return 0
		}
		return time.Duration(min(secs, int64(24*time.Hour/time.Second))) * time.Second
	}
	if at, err := http.ParseTime(h); err == nil && at.After(now) {
		return at.Sub(now)
	}
	return 0
}

// Unanswered reports whether err means the hub gave no answer of its own:
// the network is down, the call timed out, or something in between (a proxy,
// a captive portal) answered instead. An *Error is an answer from the hub,
// even a 5xx one.
func Unanswered(err error) bool {
	var e *Error
	return Retryable(err) && !errors.As(err, &e)
}
