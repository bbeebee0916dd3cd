package device

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/terminal/sync/outbox"
	"github.com/rfterm/rfterm/terminal/sync/puller"
	"github.com/rfterm/rfterm/terminal/sync/sender"
)

// Store is the device's bbolt file as a session sees it: the outbox store
// (work, outbox, needs-attention list, users) with the puller's work cache
// (cached tasks and their notices) in the same file.
type Store struct {
	*outbox.Store
	*puller.Cache
}

// ErrEnrolledAlready is wrapped by Open when the hub answers that the device
// id is enrolled already while this store holds no token for it (409
// device_enrolled): the error says what to do.
var ErrEnrolledAlready = errors.New("device id enrolled already")

// Device is a terminal's store, its hub client, its sender and its puller.
type Device struct {
	Store  *Store
	Client *api.Client
	Sender *sender.Sender
	// Hub is the client as the session should see it: every task claimed is
	// cached in the store for offline work, and followed by the Puller.
	Hub    *puller.WorkCache
	Puller *puller.Puller
	// Recovered, when the store was found damaged at start and replaced,
	// says what was recovered and what was lost (RecoveredNotice), for the
	// session's Config.Recovered; "" otherwise.
	Recovered string
}

// Open opens the device store at path and enrols the device with the
// hub the first time (later starts reuse the saved token and need no hub).
// A damaged store is replaced by a new one (logged with what it held), which
// enrols again. Run the sender and the puller with go d.Sender.Run(ctx) and
// go d.Puller.Run(ctx).
//
// The hub is reached as transport says (at most one: a CA file for an
// https:// hub, or plain HTTP allowed off loopback); http:// off loopback is
// refused without it.
func Open(ctx context.Context, path, deviceID, hubURL, enrollKey string, cfg sender.SenderConfig, log *slog.Logger, transport ...api.TransportConfig) (*Device, error) {
	var tc api.TransportConfig
	if len(transport) > 0 {
		tc = transport[0]
	}
	client, err := api.NewClientFor(hubURL, tc)
	if err != nil {
		return nil, err
	}
	store, err := outbox.Open(path, deviceID, outbox.Options{})
	if err != nil {
		return nil, err
	}
	if store.StartCheck() == outbox.CheckedQuick {
		// A large store closed cleanly was checked quickly: the whole check
		// runs while the device works (start-up does not grow with the file).
		go func() {
			if err := store.CheckInBackground(); err != nil {
				log.Error("sync: device store damaged; it is checked whole and moved aside at the next start", "err", err)
			}
		}()
	}
	recovered := ""
	if rec, ok := store.Recovered(); ok {
		log.Error("sync: device store replaced", "report", rec.String(), "moved_to", rec.MovedTo, "unsent", rec.Unsent)
		recovered = RecoveredNotice(rec)
	}
	token, err := store.Token()
	if err != nil {
		store.Close()
		return nil, err
	}
	if token == "" {
		// The key goes as the bearer too: the integration API key in
		// enroll_key enrols an id the hub holds already (taking it over);
		// the site's enrol key counts for nothing there.
		resp, err := client.WithToken(enrollKey).Register(ctx, api.RegisterRequest{DeviceID: deviceID, EnrollKey: enrollKey})
		if err != nil {
			store.Close()
			var apiErr *api.Error
			if errors.As(err, &apiErr) && apiErr.Code == api.CodeDeviceEnrolled {
				return nil, fmt.Errorf("%w: the hub %s has device %s enrolled, and this store (%s) holds no token for it: the store was lost or replaced, "+
					"or another device uses the id. Ask the lead to revoke %s at the hub with the integration API key "+
					"(curl -X DELETE -H 'Authorization: Bearer API_KEY' %s/v1/devices/%s) and start again, "+
					"or start once with the API key as enroll_key to enrol this device under the id: %w",
					ErrEnrolledAlready, hubURL, deviceID, path, deviceID, strings.TrimRight(hubURL, "/"), deviceID, err)
			}
			return nil, fmt.Errorf("enrol device %s with %s: %w", deviceID, hubURL, err)
		}
		token = resp.Token
		if err := store.SetToken(token); err != nil {
			store.Close()
			return nil, err
		}
	}
	cache, err := puller.NewCache(store)
	if err != nil {
		store.Close()
		return nil, err
	}
	client = client.WithToken(token)
	d := &Device{Store: &Store{Store: store, Cache: cache}, Client: client, Sender: sender.NewSender(store, client, cfg, log),
		Hub: puller.NewWorkCache(client, cache), Puller: puller.NewPuller(cache, client, puller.PullerConfig{Dock: client}, log), Recovered: recovered}
	d.Sender.OnChange(d.kickPullerWhenBackOnline())
	return d, nil
}

// kickPullerWhenBackOnline makes the puller catch up as soon as the sender
// finds the hub again.
func (d *Device) kickPullerWhenBackOnline() func() {
	var mu sync.Mutex
	online := false
	return func() {
		now := d.Sender.Status().Online
		mu.Lock()
		back := now && !online
		online = now
		mu.Unlock()
		if back {
			d.Puller.Kick()
		}
	}
}

// Close closes the store. Stop the sender first (cancel its context).
func (d *Device) Close() error { return d.Store.Close() }
