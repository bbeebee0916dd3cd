package device

import (
	"context"
	"fmt"
	"log/slog"
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

// Device is a terminal's store, its hub client, its sender and its puller.
type Device struct {
	Store  *Store
	Client *api.Client
	Sender *sender.Sender
	// Hub is the client as the session should see it: every task claimed is
	// cached in the store for offline work, and followed by the Puller.
	Hub    *puller.WorkCache
	Puller *puller.Puller
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
	if rec, ok := store.Recovered(); ok {
		log.Error("sync: device store replaced", "report", rec.String(), "moved_to", rec.MovedTo, "unsent", rec.Unsent)
	}
	token, err := store.Token()
	if err != nil {
		store.Close()
		return nil, err
	}
	if token == "" {
		resp, err := client.Register(ctx, api.RegisterRequest{DeviceID: deviceID, EnrollKey: enrollKey})
		if err != nil {
			store.Close()
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
		Hub: puller.NewWorkCache(client, cache), Puller: puller.NewPuller(cache, client, puller.PullerConfig{}, log)}
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
