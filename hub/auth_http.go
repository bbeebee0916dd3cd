package hub

import (
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/rfterm/rfterm/api"
)

// authenticate finds who makes the request, and the site it acts for, and
// checks the route takes that kind of caller (see accessOf). The site is
// the credential's, never one the request names: the site of the API key,
// or the one the device token was issued at; a lead session counts only in
// its device's site.
func (e *endpoint) authenticate(r *http.Request, c *caller) error {
	allowed := accessOf(e.route.Route)
	c.addr = remoteHost(r)
	if allowed == byAnyone {
		return nil
	}
	token := bearerToken(r)
	cred, known, err := e.store.Identify(r.Context(), token)
	isKey := known && cred.DeviceID == ""
	switch {
	case err != nil:
		return err
	case isKey && allowed&byIntegration != 0:
		c.kind, c.site = byIntegration, cred.Site
		return nil
	case isKey:
		return forbidden("the API key is for admin calls and reads: %s needs a device token", e.route.OperationID)
	case allowed&byAnyone != 0:
		return nil // enrolment: a device token, even a stale one, counts for nothing here
	case token == "":
		return unauthorized(api.CodeUnauthorized, "no credentials: send Authorization: Bearer TOKEN")
	case !known:
		return notEnrolled()
	}
	id, site := cred.DeviceID, cred.Site
	c.deviceID, c.site, c.kind = id, site, byDevice
	ls := r.Header.Get(LeadSessionHeader)
	if ls == "" && e.store.opts.unverifiedLeads && allowed&byLead != 0 {
		c.kind = byLead // WithUnverifiedLeads: the lead the call names, checked by the store
		return nil
	}
	if ls != "" || allowed&byDevice == 0 && allowed&byLead != 0 {
		lead, err := e.store.LeadOf(WithSite(r.Context(), site), id, ls, time.Now())
		switch {
		case err == nil:
			c.kind, c.lead = byLead, lead
		case allowed&byDevice == 0:
			return err
		} // a stale lead session on a device call: the device's call
	}
	if allowed&c.kind == 0 {
		return forbidden("a device may not %s: it is an admin call, for the integration API key", e.route.OperationID)
	}
	return nil
}

// siteDevice names the calling device across sites, for rate limits: a
// device id names a device within its site only.
func (c caller) siteDevice() string {
	if c.site == "" || c.site == DefaultSite {
		return c.deviceID
	}
	return c.site + "/" + c.deviceID
}

func remoteHost(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// Failed attempts allowed per window before enrolment, badge login and lead
// login are refused (429) for the device id or address that made them.
const (
	MaxFailuresPerDevice  = 5
	MaxFailuresPerAddress = 20
	FailureWindow         = time.Minute
	maxLimiterKeys        = 100_000
)

// limiter counts failed attempts per key (a device id or an address) in
// fixed windows. It lives in the handler, one per hub.
type limiter struct {
	mu    sync.Mutex
	fails map[string]*failWindow
}

type failWindow struct {
	start time.Time
	n     int
}

func newLimiter() *limiter { return &limiter{fails: map[string]*failWindow{}} }

// limitKeys are the keys of an attempt: its device id and its address.
func limitKeys(device, addr string) map[string]int {
	keys := map[string]int{"addr " + addr: MaxFailuresPerAddress}
	if device != "" {
		keys["device "+device] = MaxFailuresPerDevice
	}
	return keys
}

// check refuses an attempt whose device or address failed too often lately.
func (l *limiter) check(now time.Time, keys map[string]int) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	for k, max := range keys {
		w := l.fails[k]
		if w != nil && now.Sub(w.start) < FailureWindow && w.n >= max {
			wait := FailureWindow - now.Sub(w.start)
			return &api.Error{Status: http.StatusTooManyRequests, Code: api.CodeTooManyAttempts,
				Message:    "too many failed attempts from this device or address; wait " + strconv.Itoa(int(wait.Seconds())+1) + " s",
				RetryAfter: wait}
		}
	}
	return nil
}

// fail counts a failed attempt.
func (l *limiter) fail(now time.Time, keys map[string]int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.fails) > maxLimiterKeys {
		for k, w := range l.fails {
			if now.Sub(w.start) >= FailureWindow {
				delete(l.fails, k)
			}
		}
	}
	for k := range keys {
		w := l.fails[k]
		if w == nil || now.Sub(w.start) >= FailureWindow {
			w = &failWindow{start: now}
			l.fails[k] = w
		}
		w.n++
	}
}

// limited runs attempt unless its keys are over the limit, and counts it
// when it fails with a 4xx of the caller's making.
func (l *limiter) limited(keys map[string]int, attempt func() (any, error)) (any, error) {
	if err := l.check(time.Now(), keys); err != nil {
		return nil, err
	}
	out, err := attempt()
	if e := APIError(err); e != nil && e.Status >= 400 && e.Status < 500 {
		l.fail(time.Now(), keys)
	}
	return out, err
}
