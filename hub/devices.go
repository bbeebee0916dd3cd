package hub

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/hub/storage"
)

// deviceRecord is what the hub keeps about an enrolled device. The token
// itself is never stored, only its SHA-256.
type deviceRecord struct {
	ID           string    `json:"id"`
	TokenHash    string    `json:"token_hash"`
	RegisteredAt time.Time `json:"registered_at"`
	// LastSeq is the sequence number of the last event taken from the
	// device, in order; the hub expects LastSeq+1 next. Registering again
	// starts a new sequence (a device whose store was lost begins at 1).
	LastSeq uint64 `json:"last_seq"`
}

// maxDeviceIDLen bounds device ids, which end up in keys and logs.
const maxDeviceIDLen = 128

// Register enrols a new device with a site's enrol key and issues its
// token: the device belongs to the site whose key it gave (whatever site
// ctx names). An id enrolled at that site already is refused (409
// device_enrolled): enrolling it again takes the API key (ReplaceDevice)
// or a revoke first.
func (s *Store) Register(ctx context.Context, req api.RegisterRequest) (api.RegisterResponse, error) {
	return s.register(ctx, req, false)
}

// ReplaceDevice enrols a device at the site of ctx whether or not its id
// is enrolled there already (the integration's call, its API key checked):
// a new token replaces the old one, which stops working, and the device
// starts a new sequence.
func (s *Store) ReplaceDevice(ctx context.Context, req api.RegisterRequest) (api.RegisterResponse, error) {
	return s.register(ctx, req, true)
}

func (s *Store) register(ctx context.Context, req api.RegisterRequest, replace bool) (api.RegisterResponse, error) {
	id := strings.TrimSpace(req.DeviceID)
	if id == "" || len(id) > maxDeviceIDLen {
		return api.RegisterResponse{}, badRequest("device_id must be 1 to %d characters", maxDeviceIDLen)
	}
	token, err := newToken()
	if err != nil {
		return api.RegisterResponse{}, err
	}
	err = s.db.Update(ctx, func(tx storage.Tx) error {
		if !replace {
			site, err := enrolSite(tx, req.EnrollKey) // hub/site_registry.go
			if err != nil {
				return err
			}
			tx = scopeTx(tx, site)
		}
		devices, tokens := tx.Bucket(bucketDevices), tx.Bucket(bucketTokens)
		rec, ok, err := getJSON[deviceRecord](devices, id)
		if err != nil {
			return err
		}
		if ok && !replace {
			return conflict(api.CodeDeviceEnrolled, "device %q is enrolled already: enrolling it again takes the integration API key, or a revoke first", id)
		}
		if ok {
			if err := tokens.Delete([]byte(rec.TokenHash)); err != nil {
				return err
			}
			if err := deleteCred(tx, credDevice, rec.TokenHash); err != nil {
				return err
			}
		}
		rec.ID, rec.TokenHash, rec.RegisteredAt, rec.LastSeq = id, hashToken(token), time.Now().UTC(), 0
		if err := tokens.Put([]byte(rec.TokenHash), []byte(id)); err != nil {
			return err
		}
		if err := putCred(tx, credDevice, rec.TokenHash); err != nil {
			return err
		}
		return putJSON(devices, id, rec)
	})
	if err != nil {
		return api.RegisterResponse{}, err
	}
	return api.RegisterResponse{DeviceID: id, Token: token}, nil
}

// Credential is what a bearer token proves: a device of a site, or a
// site's integration API key (DeviceID empty).
type Credential struct {
	Site     string
	DeviceID string
}

// Identify returns what a bearer token proves, whatever site ctx names;
// known is false for a token that is neither a device token nor an API
// key (never issued, revoked, or replaced). It reads in one transaction:
// the credential index names the token's site, and the site's own records
// confirm it.
func (s *Store) Identify(ctx context.Context, token string) (cred Credential, known bool, err error) {
	if token == "" {
		return Credential{}, false, nil
	}
	err = s.db.View(ctx, func(tx storage.Tx) error {
		cred, known, err = identify(tx, hashToken(token)) // hub/site_registry.go
		return err
	})
	return cred, known, err
}

func newToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
