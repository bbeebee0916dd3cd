package hub

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/barcode"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/hub/storage"
)

// SSCC blocks: ranges of serial references under the site's GS1 company
// prefix, each reserved for one device and recorded forever, so SSCCs are
// unique even when devices make them offline. And the check that a carton's
// SSCC came from its device's blocks and is used once.

// validateSSCCConfig checks the site's company prefix and extension digit;
// a site may have neither (then it reserves no blocks).
func validateSSCCConfig(site domain.Site) error {
	p, e := site.GS1CompanyPrefix, site.SSCCExtension
	if p == "" && e == "" {
		return nil
	}
	if len(p) < 7 || len(p) > 10 || !allDigits(p) {
		return fmt.Errorf("gs1_company_prefix %q is not 7 to 10 digits", p)
	}
	if len(e) != 1 || !allDigits(e) {
		return fmt.Errorf("sscc_extension %q is not one digit", e)
	}
	return nil
}

func allDigits(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}

// seedSSCCConfig stores the site's company prefix and extension digit.
func seedSSCCConfig(meta storage.Bucket, site domain.Site) error {
	if site.GS1CompanyPrefix == "" {
		return nil
	}
	if err := meta.Put([]byte(metaGS1Prefix), []byte(site.GS1CompanyPrefix)); err != nil {
		return err
	}
	return meta.Put([]byte(metaSSCCExt), []byte(site.SSCCExtension))
}

// ssccConfig is the site's SSCC make-up.
type ssccConfig struct {
	prefix, extension string
}

func loadSSCCConfig(tx storage.Tx) (ssccConfig, error) {
	meta := tx.Bucket(bucketMeta)
	prefix, err := meta.Get([]byte(metaGS1Prefix))
	if err != nil {
		return ssccConfig{}, err
	}
	ext, err := meta.Get([]byte(metaSSCCExt))
	if err != nil {
		return ssccConfig{}, err
	}
	c := ssccConfig{prefix: string(prefix), extension: string(ext)}
	if c.prefix == "" || c.extension == "" {
		return c, conflict(api.CodeNotConfigured,
			"the site has no GS1 company prefix and SSCC extension digit: set gs1_company_prefix and sscc_extension in the site file")
	}
	return c, nil
}

// lastSerial is the highest serial reference the prefix leaves room for.
func (c ssccConfig) lastSerial() uint64 {
	n := uint64(1)
	for range 16 - len(c.prefix) {
		n *= 10
	}
	return n - 1
}

// ReserveSSCCs reserves up to n (at most api.MaxSSCCBlock) serial
// references for deviceID, after every block reserved before. The block and
// the counter are written in one transaction, so no two blocks overlap.
func (s *Store) ReserveSSCCs(ctx context.Context, deviceID string, n int, now time.Time) (api.SSCCBlock, error) {
	if n < 1 {
		return api.SSCCBlock{}, badRequest("count must be at least 1, not %d", n)
	}
	n = min(n, api.MaxSSCCBlock)
	var rec api.SSCCReservation
	err := s.db.Update(ctx, func(tx storage.Tx) error {
		cfg, err := loadSSCCConfig(tx)
		if err != nil {
			return err
		}
		meta := tx.Bucket(bucketMeta)
		next := uint64(1)
		raw, err := meta.Get([]byte(metaSSCCNext))
		if err != nil {
			return err
		}
		if len(raw) == 8 {
			next = binary.BigEndian.Uint64(raw)
		}
		last := cfg.lastSerial()
		if next > last {
			return conflict(api.CodeSSCCExhausted,
				"every serial reference under company prefix %s is reserved; the site needs another prefix", cfg.prefix)
		}
		count := min(uint64(n), last-next+1)
		rec = api.SSCCReservation{
			SSCCBlock: api.SSCCBlock{Extension: cfg.extension, CompanyPrefix: cfg.prefix, First: next, Count: int(count)},
			DeviceID:  deviceID, ReservedAt: now.UTC(),
		}
		if err := putJSON(tx.Bucket(bucketSSCCBlocks), string(serialKey(next)), rec); err != nil {
			return err
		}
		return meta.Put([]byte(metaSSCCNext), serialKey(next+count))
	})
	return rec.SSCCBlock, err
}

// SSCCBlocks lists every block reserved, oldest first.
func (s *Store) SSCCBlocks(ctx context.Context) ([]api.SSCCReservation, error) {
	return viewAll[api.SSCCReservation](ctx, s, bucketSSCCBlocks, nil)
}

func serialKey(serial uint64) []byte { return binary.BigEndian.AppendUint64(nil, serial) }

// SSCC use states.
const (
	ssccPacked  = "packed"  // on a closed carton of an order being packed
	ssccShipped = "shipped" // on a carton that left
	ssccVoid    = "void"    // its carton was unpacked: never used again
)

// ssccUse is what an SSCC was given to.
type ssccUse struct {
	OrderID  string `json:"order_id"`
	DeviceID string `json:"device_id"`
	State    string `json:"state"`
}

// checkSSCC makes sure sscc is well formed and inside a block reserved by
// deviceID, and returns what it was used for before, if anything. It writes
// nothing.
func checkSSCC(tx storage.Tx, deviceID, sscc string) (use ssccUse, used bool, err error) {
	if len(sscc) != 18 || !allDigits(sscc) || !barcode.ValidCheckDigit(sscc) {
		return use, false, reject(api.CodeSSCCInvalid, "SSCC %q is not 18 digits with a valid check digit", sscc)
	}
	cfg, err := loadSSCCConfig(tx)
	if err != nil {
		return use, false, err // a domain *Error: the event is rejected with not_configured
	}
	if !strings.HasPrefix(sscc[1:], cfg.prefix) {
		return use, false, reject(api.CodeSSCCInvalid, "SSCC %s is not under the site's company prefix %s", sscc, cfg.prefix)
	}
	serial, err := strconv.ParseUint(sscc[1+len(cfg.prefix):17], 10, 64)
	if err != nil {
		return use, false, reject(api.CodeSSCCInvalid, "SSCC %s: serial reference: %v", sscc, err)
	}
	block, ok, err := blockOf(tx, serial)
	if err != nil {
		return use, false, err
	}
	if !ok || block.DeviceID != deviceID || block.Extension != sscc[:1] || block.CompanyPrefix != cfg.prefix {
		return use, false, reject(api.CodeSSCCInvalid, "SSCC %s is not in a block reserved by device %s", sscc, deviceID)
	}
	use, used, err = getJSON[ssccUse](tx.Bucket(bucketSSCCs), sscc)
	return use, used, err
}

// blockOf finds the block holding a serial reference: the last block that
// starts at or before it, if it reaches that far.
func blockOf(tx storage.Tx, serial uint64) (api.SSCCReservation, bool, error) {
	var b api.SSCCReservation
	k, v, err := tx.Bucket(bucketSSCCBlocks).Last(serialKey(serial + 1))
	if err != nil || k == nil {
		return b, false, err
	}
	if err := json.Unmarshal(v, &b); err != nil {
		return b, false, fmt.Errorf("decode SSCC block %x: %w", k, err)
	}
	return b, serial >= b.First && serial-b.First < uint64(b.Count), nil
}

// markSSCC records what an SSCC is used for now.
func markSSCC(tx storage.Tx, sscc string, use ssccUse) error {
	return putJSON(tx.Bucket(bucketSSCCs), sscc, use)
}
