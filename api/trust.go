package api

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"time"

	"github.com/rfterm/rfterm/domain"
)

// Error codes of authorization (see the README's authorization table).
const (
	// CodeDeviceNotEnrolled: the device token is not known to the hub (never
	// enrolled, revoked, or the id was enrolled again elsewhere). Final: the
	// device must be enrolled again; retrying never helps.
	CodeDeviceNotEnrolled = "device_not_enrolled"
	// CodeDeviceEnrolled: enrolling an id that is enrolled already needs the
	// integration API key (or a revoke first).
	CodeDeviceEnrolled = "device_enrolled"
	// CodeLeadSessionRequired: a lead call without a valid lead session of
	// this device: ask the lead for badge and PIN (LeadLogin).
	CodeLeadSessionRequired = "lead_session_required"
	// CodeBadPIN: the badge or PIN of a lead login is wrong.
	CodeBadPIN = "bad_pin"
	// CodeTooManyAttempts: too many failed enrolments or logins from this
	// device or address; Error.RetryAfter says how long to wait.
	CodeTooManyAttempts = "too_many_attempts"
)

// LeadSessionHeader carries a lead session token on lead calls, next to the
// device token in Authorization.
const LeadSessionHeader = "X-Lead-Session"

// LeadSessionRequest opens a lead session: the lead's badge and PIN.
type LeadSessionRequest struct {
	Badge string `json:"badge"`
	PIN   string `json:"pin"`
}

// LeadSessionResponse is a lead session: its token (sent as
// X-Lead-Session), the lead, and when it ends.
type LeadSessionResponse struct {
	Token   string      `json:"token"`
	User    domain.User `json:"user"`
	Expires time.Time   `json:"expires"`
}

// ErrNotEnrolled matches (errors.Is) an answer saying the device is not
// enrolled: show "device not enrolled", not OFFLINE, and do not retry.
var ErrNotEnrolled = errors.New("device not enrolled")

// Is makes errors.Is(err, ErrNotEnrolled) true for a device_not_enrolled answer.
func (e *Error) Is(target error) bool {
	return target == ErrNotEnrolled && e.Code == CodeDeviceNotEnrolled
}

// NeedsLeadSession reports whether err asks for a lead session (badge and PIN).
func NeedsLeadSession(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Code == CodeLeadSessionRequired
}

// LeadLogin opens a lead session at this device with the lead's badge and
// PIN. Pass the token to WithLeadSession for the lead's calls.
func (c *Client) LeadLogin(ctx context.Context, badge, pin string) (LeadSessionResponse, error) {
	var out LeadSessionResponse
	return out, c.do(ctx, http.MethodPost, "/v1/lead/sessions", LeadSessionRequest{Badge: badge, PIN: pin}, &out)
}

// WithLeadSession returns a copy of the client that also sends a lead
// session token (from LeadLogin) on every call; "" sends none.
func (c *Client) WithLeadSession(token string) *Client {
	cp := *c
	cp.leadSession = token
	return &cp
}

// RevokeDevice forgets an enrolled device (an integration call, with the
// API key as the client's token): its token stops working at once.
func (c *Client) RevokeDevice(ctx context.Context, deviceID string) error {
	var out struct {
		DeviceID string `json:"device_id"`
	}
	return c.do(ctx, http.MethodDelete, "/v1/devices/"+url.PathEscape(deviceID), nil, &out)
}
