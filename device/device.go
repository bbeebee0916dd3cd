package device

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/offline"
)

// Device is a terminal's store, its hub client and its sender.
type Device struct {
	Store  *offline.Store
	Client *api.Client
	Sender *offline.Sender
}

// Open opens the device store at path and enrols the device with the
// hub the first time (later starts reuse the saved token and need no hub).
// Run the sender with go d.Sender.Run(ctx).
func Open(ctx context.Context, path, deviceID, hubURL, enrollKey string, cfg offline.SenderConfig, log *slog.Logger) (*Device, error) {
	store, err := offline.Open(path, deviceID, offline.Options{})
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
	client := api.NewClient(hubURL, nil)
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
	client = client.WithToken(token)
	return &Device{Store: store, Client: client, Sender: offline.NewSender(store, client, cfg, log)}, nil
}

// Close closes the store. Stop the sender first (cancel its context).
func (d *Device) Close() error { return d.Store.Close() }
