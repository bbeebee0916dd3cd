package hub

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
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

// Register enrols a new device with the site's enrol key and issues its
// token. An id enrolled already is refused (409 device_enrolled): enrolling
// it again takes the API key (ReplaceDevice) or a revoke first.
func (s *Store) Register(ctx context.Context, req api.RegisterRequest) (api.RegisterResponse, error) {
	return s.register(ctx, req, false)
}

// ReplaceDevice enrols a device whether or not its id is enrolled already
// (the integration's call, its API key checked): a new token replaces the
// old one, which stops working, and the device starts a new sequence.
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
		key, err := tx.Bucket(bucketMeta).Get([]byte(metaEnrollKey))
		if err != nil {
			return err
		}
		if !replace && (key == nil || subtle.ConstantTimeCompare(key, []byte(req.EnrollKey)) != 1) {
			return unauthorized(api.CodeUnauthorized, "enroll key is wrong")
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
		}
		rec.ID, rec.TokenHash, rec.RegisteredAt, rec.LastSeq = id, hashToken(token), time.Now().UTC(), 0
		if err := tokens.Put([]byte(rec.TokenHash), []byte(id)); err != nil {
			return err
		}
		return putJSON(devices, id, rec)
	})
	if err != nil {
		return api.RegisterResponse{}, err
	}
	return api.RegisterResponse{DeviceID: id, Token: token}, nil
}

// Authenticate returns the device a token belongs to; an unknown token is an
// *Error with code unauthorized.
func (s *Store) Authenticate(ctx context.Context, token string) (deviceID string, err error) {
	err = s.db.View(ctx, func(tx storage.Tx) error {
		id, err := tx.Bucket(bucketTokens).Get([]byte(hashToken(token)))
		if err != nil {
			return err
		}
		if token == "" {
			return unauthorized(api.CodeUnauthorized, "device token is missing")
		}
		if id == nil {
			return notEnrolled()
		}
		deviceID = string(id)
		return nil
	})
	return deviceID, err
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
