package hub

import (
	"cmp"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/hub/storage"
	"golang.org/x/crypto/bcrypt"
)

// Who may call what: see the authorization table in the README. A device
// token proves the device; a lead session (badge + PIN, through a device)
// proves a lead at that device; the integration API key proves the host
// system. Nobody may act as someone else by naming a user id.

// access is the set of kinds of caller a route accepts.
type access uint8

const (
	byAnyone      access = 1 << iota // no credential (healthz; enrolment with the enrol key)
	byDevice                         // a device token
	byLead                           // a device token and a lead session of that device
	byIntegration                    // the API key
)

// accessOf is each route's policy. A route not listed (a new one) takes a
// device token, and for reads the API key too.
func accessOf(r Route) access {
	switch r.OperationID {
	case "health":
		return byAnyone
	case "registerDevice":
		return byAnyone | byIntegration // an existing device id needs the API key
	case "cancelOrder", "setOrderPriority", "reassignTask", "revokeDevice":
		return byIntegration
	case "setItemClass", "kpis", "createLoad", "listExceptions":
		return byLead | byIntegration
	case "createCountTasks", "listAdjustments", "decideAdjustment", "countAudit", "countKPIs":
		return byLead
	case "login", "createLeadSession", "claimTask", "claimCluster", "ingestEvents", "reserveSSCCBlock", "claimCountTask":
		return byDevice | byLead
	}
	if r.Method == http.MethodGet {
		return byDevice | byLead | byIntegration
	}
	return byDevice | byLead
}

// LeadSessionHeader carries a lead session token, next to the device token.
const LeadSessionHeader = api.LeadSessionHeader

// LeadSessionTTL is how long a lead session lasts: about a shift.
const LeadSessionTTL = 8 * time.Hour

// Buckets of authorization.
const (
	bucketPINs         = "pins"          // user id -> bcrypt hash of the PIN
	bucketLeadSessions = "lead_sessions" // hex SHA-256 of a session token -> leadSession
	bucketHolders      = "holders"       // task or count task id -> the device it was claimed through
)

const metaAPIKey = "api_key_sha256"

// leadSession is a lead's proof of badge and PIN at one device.
type leadSession struct {
	UserID   string    `json:"user_id"`
	DeviceID string    `json:"device_id"`
	Expires  time.Time `json:"expires"`
}

// seedSecrets stores the API key's hash and each PIN's bcrypt hash.
func (s *Store) seedSecrets(tx storage.Tx, site domain.Site) error {
	if site.APIKey != "" {
		if err := tx.Bucket(bucketMeta).Put([]byte(metaAPIKey), []byte(hashToken(site.APIKey))); err != nil {
			return err
		}
	}
	for user, pin := range site.PINs {
		h, err := bcrypt.GenerateFromPassword([]byte(pin), s.opts.pinCost)
		if err != nil {
			return err
		}
		if err := tx.Bucket(bucketPINs).Put([]byte(user), h); err != nil {
			return err
		}
	}
	return nil
}

// validateTrust checks the trust part of a seed.
func validateTrust(site domain.Site) error {
	users := map[string]bool{}
	for _, u := range site.Users {
		users[u.ID] = true
	}
	for user, pin := range site.PINs {
		if !users[user] || len(pin) < 4 || len(pin) > 64 {
			return badRequest("pins: user %q must exist and the PIN be 4 to 64 characters", user)
		}
	}
	if site.APIKey != "" && len(site.APIKey) < 16 {
		return badRequest("api_key must be at least 16 characters")
	}
	if site.MaxEventQty < 0 {
		return badRequest("max_event_qty must not be negative")
	}
	return nil
}

// WithPINCost sets the bcrypt cost PINs are hashed with at seed (default
// bcrypt.DefaultCost). Tests use bcrypt.MinCost.
func WithPINCost(cost int) Option {
	return func(o *options) { o.pinCost = cost }
}

// WithUnverifiedLeads makes the hub take a lead call without a lead session
// from any enrolled device, for the lead the call names: the behaviour
// before lead sessions, which lets any device act as a lead. It is for the
// embedded demo hub only, until the terminal asks the lead for the PIN;
// orderhub never sets it.
func WithUnverifiedLeads() Option {
	return func(o *options) { o.unverifiedLeads = true }
}

// StartLeadSession checks a lead's badge and PIN at a device and opens a
// lead session there. A wrong badge or PIN, or a user who is not a lead,
// is an *Error (KindUnauthorized bad_pin, KindForbidden forbidden).
func (s *Store) StartLeadSession(ctx context.Context, deviceID string, req api.LeadSessionRequest, now time.Time) (api.LeadSessionResponse, error) {
	var out api.LeadSessionResponse
	token, err := newToken()
	if err != nil {
		return out, err
	}
	err = s.db.Update(ctx, func(tx storage.Tx) error {
		wrong := unauthorized(api.CodeBadPIN, "badge or PIN is wrong")
		id, err := tx.Bucket(bucketBadges).Get([]byte(strings.TrimSpace(req.Badge)))
		if err != nil || id == nil {
			return cmp.Or(err, wrong)
		}
		hash, err := tx.Bucket(bucketPINs).Get(id)
		if err != nil {
			return err
		}
		if hash == nil || bcrypt.CompareHashAndPassword(hash, []byte(req.PIN)) != nil {
			return wrong
		}
		u, err := requireLead(tx, string(id), "open a lead session")
		if err != nil {
			return err
		}
		expires := now.Add(LeadSessionTTL).UTC()
		out = api.LeadSessionResponse{Token: token, User: u, Expires: expires}
		return putJSON(tx.Bucket(bucketLeadSessions), hashToken(token), leadSession{UserID: u.ID, DeviceID: deviceID, Expires: expires})
	})
	return out, err
}

// LeadOf returns the lead whose session token is held by deviceID; an
// unknown, expired or other device's session is 401 lead_session_required.
func (s *Store) LeadOf(ctx context.Context, deviceID, token string, now time.Time) (string, error) {
	var user string
	err := s.db.View(ctx, func(tx storage.Tx) error {
		raw, err := tx.Bucket(bucketLeadSessions).Get([]byte(hashToken(token)))
		if err != nil {
			return err
		}
		var ls leadSession
		if token == "" || raw == nil || json.Unmarshal(raw, &ls) != nil || ls.DeviceID != deviceID || !now.Before(ls.Expires) {
			return unauthorized(api.CodeLeadSessionRequired, "a lead session is needed: scan the lead's badge and key the PIN")
		}
		user = ls.UserID
		return nil
	})
	return user, err
}

// RevokeDevice forgets a device enrolled at the site of ctx: its token
// stops working at once (the device is told it is not enrolled), and the id
// may be enrolled again with the enrol key.
func (s *Store) RevokeDevice(ctx context.Context, id string) error {
	return s.db.Update(ctx, func(tx storage.Tx) error {
		rec, err := mustGet[deviceRecord](tx.Bucket(bucketDevices), "device", id)
		if err != nil {
			return err
		}
		if err := tx.Bucket(bucketTokens).Delete([]byte(rec.TokenHash)); err != nil {
			return err
		}
		if err := deleteCred(tx, credDevice, rec.TokenHash); err != nil {
			return err
		}
		return tx.Bucket(bucketDevices).Delete([]byte(id))
	})
}

// holdThrough notes the device a task was claimed through: only events from
// that device are taken for it. An empty device (a claim made in-process,
// not over HTTP) holds nothing.
func holdThrough(tx storage.Tx, taskID, deviceID string) error {
	if deviceID == "" {
		return tx.Bucket(bucketHolders).Delete([]byte(taskID))
	}
	return tx.Bucket(bucketHolders).Put([]byte(taskID), []byte(deviceID))
}

// checkHolder refuses an event for a task held through another device (a
// replay of another device's events under this one's id).
func checkHolder(tx storage.Tx, taskID string, ev domain.Event) error {
	holder, err := tx.Bucket(bucketHolders).Get([]byte(taskID))
	if err != nil {
		return err
	}
	if holder != nil && string(holder) != ev.DeviceID {
		return reject(api.CodeTaskNotHeld, "task %s is held through device %s, not %s", taskID, holder, ev.DeviceID)
	}
	return nil
}

// notEnrolled is the answer to a token the hub does not know (never
// enrolled, revoked, or replaced by enrolling the id again).
func notEnrolled() error {
	return unauthorized(api.CodeDeviceNotEnrolled,
		"this device is not enrolled with the hub (revoked, enrolled again elsewhere, or the hub was reset): enrol it again")
}

// actingLead is the lead a lead call acts for: the session's lead. Naming
// another user is forbidden; naming none means the session's. The
// integration acts for whoever it names.
func (c caller) actingLead(named string) (string, error) {
	if c.kind != byLead || c.lead == "" { // the integration, or an unverified lead
		return named, nil
	}
	if named != "" && named != c.lead {
		return "", forbidden("the lead session is %s's, not %s's", c.lead, named)
	}
	return c.lead, nil
}
