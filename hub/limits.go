package hub

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/hub/storage"
)

// Bounds on what a device may send: checked when an event is taken, before
// any of its quantities is added to anything.
const (
	// DefaultMaxEventQty is the largest quantity (picked, short, qty) one
	// event may carry when the site sets no max_event_qty.
	DefaultMaxEventQty = 100_000
	// MaxFieldBytes bounds every text field of an event (ids, totes, lots,
	// serials, reasons, barcodes): far below bbolt's key limit, far above
	// any real barcode.
	MaxFieldBytes = 512
	// MaxSeq bounds resume_from, so the hub's sequence arithmetic never
	// wraps (2^53: exact in every JSON reader).
	MaxSeq = 1 << 53
)

const metaMaxEventQty = "max_event_qty"

// quantityFields are the payload keys holding quantities, in every event type.
var quantityFields = []string{"qty", "picked", "short"}

// maxEventQty is the site's bound on one quantity of an event.
func maxEventQty(tx storage.Tx) (int64, error) {
	raw, err := tx.Bucket(bucketMeta).Get([]byte(metaMaxEventQty))
	if err != nil || len(raw) != 8 {
		return DefaultMaxEventQty, err
	}
	return int64(binary.BigEndian.Uint64(raw)), nil
}

// seedTrustLimits stores the site's quantity bound.
func seedTrustLimits(meta storage.Bucket, site domain.Site) error {
	if site.MaxEventQty <= 0 {
		return nil
	}
	return meta.Put([]byte(metaMaxEventQty), binary.BigEndian.AppendUint64(nil, uint64(site.MaxEventQty)))
}

// checkEventBounds refuses an event whose text fields are too long or whose
// quantities are beyond the site's bound, wherever they sit in its payload.
// limit is the site's bound on one quantity. It runs before the payload is
// decoded for its effect.
func checkEventBounds(ev domain.Event, limit int64) error {
	if len(ev.UserID) > MaxFieldBytes || len(ev.Type) > MaxFieldBytes {
		return reject(api.CodeBadRequest, "user_id or type is over %d bytes", MaxFieldBytes)
	}
	if len(ev.Payload) == 0 {
		return nil
	}
	if !json.Valid(ev.Payload) {
		var v json.RawMessage
		return reject(api.CodeBadRequest, "%s payload: %v", ev.Type, json.Unmarshal(ev.Payload, &v))
	}
	return scanBounds(ev.Type, ev.Payload, limit)
}

// scanBounds walks a valid JSON payload once, without decoding it: every
// string (key or value) within MaxFieldBytes, every number under a
// quantity key (in an object, not in an array) within limit.
func scanBounds(t domain.EventType, p []byte, limit int64) error {
	type frame struct{ obj, wantKey bool }
	var stack []frame
	key := "" // the key of the value read next
	valueDone := func() {
		if n := len(stack); n > 0 && stack[n-1].obj {
			stack[n-1].wantKey = true
		}
		key = ""
	}
	for i := 0; i < len(p); {
		switch c := p[i]; {
		case c == '{' || c == '[':
			stack, key = append(stack, frame{obj: c == '{', wantKey: c == '{'}), ""
			i++
		case c == '}' || c == ']':
			stack = stack[:len(stack)-1]
			valueDone()
			i++
		case c == '"':
			end, s, err := jsonString(p, i)
			if err != nil {
				return reject(api.CodeBadRequest, "%s payload: %v", t, err)
			}
			i = end
			if len(s) > MaxFieldBytes {
				return reject(api.CodeBadRequest, "%s: a text field (%q) is %d bytes long; at most %d", t, key, len(s), MaxFieldBytes)
			}
			if n := len(stack); n > 0 && stack[n-1].wantKey {
				stack[n-1].wantKey, key = false, s
				continue
			}
			valueDone()
		case c == '-' || (c >= '0' && c <= '9'):
			j := i
			for j < len(p) && strings.IndexByte("+-.0123456789eE", p[j]) >= 0 {
				j++
			}
			if isQuantityField(key) {
				if err := checkQuantity(t, key, json.Number(p[i:j]), limit); err != nil {
					return err
				}
			}
			valueDone()
			i = j
		case c == 't' || c == 'f' || c == 'n':
			for i < len(p) && p[i] >= 'a' && p[i] <= 'z' {
				i++
			}
			valueDone()
		default: // white space, ':' and ','
			i++
		}
	}
	return nil
}

// jsonString reads the JSON string starting at p[i] (a quote): it returns
// the index past it and its value as encoding/json decodes it (escapes
// undone, invalid UTF-8 replaced).
func jsonString(p []byte, i int) (int, string, error) {
	escaped := false
	for j := i + 1; j < len(p); j++ {
		switch p[j] {
		case '\\':
			escaped = true
			j++
		case '"':
			if !escaped && utf8.Valid(p[i+1:j]) {
				return j + 1, string(p[i+1 : j]), nil
			}
			var s string
			err := json.Unmarshal(p[i:j+1], &s)
			return j + 1, s, err
		}
	}
	return len(p), "", io.ErrUnexpectedEOF
}

// checkQuantity refuses a quantity beyond the site's bound (or beyond int).
func checkQuantity(t domain.EventType, key string, v json.Number, limit int64) error {
	n, err := strconv.ParseInt(v.String(), 10, 64)
	switch {
	case err != nil && strings.ContainsAny(v.String(), ".eE"):
		return nil // not an integer: decoding the payload refuses it
	case err != nil, n > limit, n < -limit:
		return reject(api.CodeBadRequest, "%s: %s %s is beyond the site's limit of %d per event", t, key, v, limit)
	}
	return nil
}

func isQuantityField(key string) bool {
	for _, f := range quantityFields {
		if strings.EqualFold(key, f) {
			return true
		}
	}
	return false
}

// eventDigest is what an event says, apart from its sequence number (a
// device whose store was replaced sends the same event under a new one).
func eventDigest(ev domain.Event) []byte {
	h := sha256.New()
	var payload bytes.Buffer
	if json.Compact(&payload, ev.Payload) != nil {
		payload.Reset()
		payload.Write(ev.Payload)
	}
	for _, part := range [][]byte{[]byte(ev.Type), []byte(ev.UserID), []byte(ev.At.UTC().Format(time.RFC3339Nano)), payload.Bytes()} {
		h.Write(binary.BigEndian.AppendUint64(nil, uint64(len(part))))
		h.Write(part)
	}
	return []byte(hex.EncodeToString(h.Sum(nil)))
}

// conflictResult answers an event id reused for other contents: rejected,
// and the outcome recorded for the first contents stays as it was.
func conflictResult(ev domain.Event) api.EventResult {
	return api.EventResult{ID: ev.ID, Seq: ev.Seq, Status: api.StatusRejected, Code: api.CodeEventConflict,
		Message: fmt.Sprintf("event id %s was used before for other contents; these were not applied", ev.ID)}
}

// checkResumeFrom bounds resume_from, so moving the expected sequence never wraps.
func checkResumeFrom(req api.IngestRequest) error {
	if req.ResumeFrom > MaxSeq {
		return badRequest("resume_from %d is beyond %d", req.ResumeFrom, uint64(MaxSeq))
	}
	return nil
}

// decodeIngest reads an IngestRequest from r as a stream: events are
// decoded one at a time and the count limit is enforced before the next
// is read, so a body of tiny events cannot make the hub allocate for all
// of them. Keys match case-insensitively, as encoding/json's do.
func decodeIngest(r io.Reader) (api.IngestRequest, error) {
	var req api.IngestRequest
	dec := json.NewDecoder(r)
	if err := expectDelim(dec, '{'); err != nil {
		return req, err
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return req, fmt.Errorf("not valid JSON: %w", err)
		}
		key, _ := tok.(string)
		switch {
		case strings.EqualFold(key, "events"):
			if req.Events, err = decodeEvents(dec); err != nil {
				return req, err
			}
		case strings.EqualFold(key, "device_id"):
			err = dec.Decode(&req.DeviceID)
		case strings.EqualFold(key, "resume_from"):
			err = dec.Decode(&req.ResumeFrom)
		default:
			var skip json.RawMessage
			err = dec.Decode(&skip)
		}
		if err != nil {
			return req, fmt.Errorf("not valid JSON: %w", err)
		}
	}
	if err := expectDelim(dec, '}'); err != nil {
		return req, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return req, errors.New("data after the JSON value")
	}
	return req, nil
}

// errTooManyEvents is a batch over MaxBatchEvents, found while reading it.
var errTooManyEvents = fmt.Errorf("more than %d events in one batch", MaxBatchEvents)

// decodeEvents reads the events array (or null) one event at a time.
func decodeEvents(dec *json.Decoder) ([]domain.Event, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, fmt.Errorf("not valid JSON: %w", err)
	}
	if tok == nil {
		return nil, nil
	}
	if tok != json.Delim('[') {
		return nil, fmt.Errorf("events must be an array, not %v", tok)
	}
	evs := []domain.Event{}
	for dec.More() {
		if len(evs) == MaxBatchEvents {
			return nil, errTooManyEvents
		}
		var ev domain.Event
		if err := dec.Decode(&ev); err != nil {
			return nil, fmt.Errorf("event %d: %w", len(evs), err)
		}
		evs = append(evs, ev)
	}
	_, err = dec.Token() // ']'
	return evs, err
}

func expectDelim(dec *json.Decoder, want json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return fmt.Errorf("not valid JSON: %w", err)
	}
	if tok != want {
		return fmt.Errorf("expected %v, not %v", want, tok)
	}
	return nil
}

// seedTrust writes the trust part of a seed: the quantity bound, the API
// key's hash and the PINs' hashes.
func (s *Store) seedTrust(tx storage.Tx, site domain.Site) error {
	if err := seedTrustLimits(tx.Bucket(bucketMeta), site); err != nil {
		return err
	}
	return s.seedSecrets(tx, site)
}
