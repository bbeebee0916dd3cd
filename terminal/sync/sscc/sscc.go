// Package sscc hands out the device's SSCCs (the 18-digit serial shipping
// container codes on carton labels) from blocks of serial references the hub
// reserved for the device, kept in the device store's bbolt file.
package sscc

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/terminal/sync/internal/kv"
)

// ErrNoSSCC is wrapped when every reserved serial reference is used and no
// new block could be had from the hub.
var ErrNoSSCC = errors.New("no SSCC left")

// bucketSSCC holds the device's SSCC blocks: extension, company prefix and
// big-endian first serial reference -> heldBlock JSON.
var bucketSSCC = []byte("sscc_blocks")

// Store is the device store the allocator keeps its blocks in;
// *outbox.Store is one. The allocator owns its bucket in that file.
type Store interface {
	DB() *bolt.DB
}

// Reserver reserves blocks of SSCC serial references from the hub;
// *api.Client is one.
type Reserver interface {
	ReserveSSCCs(ctx context.Context, n int) (api.SSCCBlock, error)
}

// SSCCConfig tunes SSCCs. Zero fields take the defaults.
type SSCCConfig struct {
	BlockSize int // serial references asked for at a time (default 200)
	// LowWater: when fewer serial references than this are left, the next
	// block is fetched in the background (default BlockSize/4).
	LowWater int
	// Timeout bounds one call to the hub (default 5s); NextSSCC waits this
	// long at most when it has nothing left.
	Timeout time.Duration
}

func (c SSCCConfig) withDefaults() SSCCConfig {
	if c.BlockSize <= 0 {
		c.BlockSize = 200
	}
	if c.LowWater <= 0 {
		c.LowWater = max(c.BlockSize/4, 1)
	}
	if c.Timeout <= 0 {
		c.Timeout = 5 * time.Second
	}
	return c
}

// heldBlock is a block on the device and how much of it is used.
type heldBlock struct {
	api.SSCCBlock
	Used int `json:"used"` // serial references handed out, from First
}

// SSCCs hands out the device's SSCCs (flow.SSCCAllocator) from blocks of
// serial references reserved from the hub and kept in the device store.
// Each serial reference is marked used on disk before its SSCC is
// returned, so none is handed out twice, even across a crash. It is safe
// for concurrent use; Close it before closing the store.
type SSCCs struct {
	db  *bolt.DB
	hub Reserver
	cfg SSCCConfig
	log *slog.Logger

	ctx    context.Context // ends with Close
	cancel context.CancelFunc
	fetch  sync.Mutex // one Refill at a time
	mu     sync.Mutex // guards refilling
	// refilling is set while a background refill runs.
	refilling bool
	wg        sync.WaitGroup
}

// NewSSCCs makes the device's SSCC allocator over store, fetching blocks
// through r.
func NewSSCCs(store Store, r Reserver, cfg SSCCConfig, log *slog.Logger) *SSCCs {
	ctx, cancel := context.WithCancel(context.Background())
	return &SSCCs{db: store.DB(), hub: r, cfg: cfg.withDefaults(), log: log, ctx: ctx, cancel: cancel}
}

// Close stops a background refill and waits for it to end.
func (s *SSCCs) Close() {
	s.mu.Lock()
	s.cancel() // under mu: no refill starts after this
	s.mu.Unlock()
	s.wg.Wait()
}

// NextSSCC returns the next SSCC: 18 digits, check digit included. Below
// the low-water mark it starts fetching the next block in the background.
// With nothing left it asks the hub at once; when that fails too the error
// wraps ErrNoSSCC.
func (s *SSCCs) NextSSCC() (string, error) {
	sscc, left, err := s.take()
	if err == nil && sscc == "" {
		ctx, cancel := context.WithTimeout(s.ctx, s.cfg.Timeout)
		err = s.Refill(ctx)
		cancel()
		if err != nil {
			return "", fmt.Errorf("%w: every reserved SSCC is used and the hub gave no new block: %w", ErrNoSSCC, err)
		}
		sscc, left, err = s.take()
	}
	if err != nil {
		return "", fmt.Errorf("next SSCC: %w", err)
	}
	if sscc == "" {
		return "", fmt.Errorf("%w: the hub's block was used up at once", ErrNoSSCC)
	}
	if left < s.cfg.LowWater {
		s.refillInBackground()
	}
	return sscc, nil
}

// take marks the next serial reference used, in one transaction, and
// returns its SSCC ("" when none is left) and how many are left after it.
// Used-up blocks are dropped.
func (s *SSCCs) take() (sscc string, left int, err error) {
	err = s.db.Update(func(tx *bolt.Tx) error {
		sscc, left = "", 0
		b, err := tx.CreateBucketIfNotExists(bucketSSCC)
		if err != nil {
			return err
		}
		var spent [][]byte
		err = b.ForEach(func(k, v []byte) error {
			var h heldBlock
			if err := json.Unmarshal(v, &h); err != nil {
				return fmt.Errorf("SSCC block %x: %w", k, err)
			}
			if sscc == "" && h.Used < h.Count {
				if sscc, err = h.SSCC(h.Used); err != nil {
					return err
				}
				h.Used++
				raw, err := json.Marshal(h)
				if err != nil {
					return err
				}
				if err := b.Put(k, raw); err != nil {
					return err
				}
			}
			if h.Used >= h.Count {
				spent = append(spent, k)
			}
			left += h.Count - h.Used
			return nil
		})
		for _, k := range spent {
			if err == nil {
				err = b.Delete(k)
			}
		}
		return err
	})
	return sscc, left, err
}

// Remaining counts the serial references on hand.
func (s *SSCCs) Remaining() (int, error) {
	n := 0
	err := s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketSSCC)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			var h heldBlock
			if err := json.Unmarshal(v, &h); err != nil {
				return fmt.Errorf("SSCC block %x: %w", k, err)
			}
			n += h.Count - h.Used
			return nil
		})
	})
	return n, err
}

// Refill fetches blocks from the hub until at least the low-water mark of
// serial references (and at least one) is on hand; with enough on hand it
// does nothing.
// Run it when the device starts and the hub answers.
func (s *SSCCs) Refill(ctx context.Context) error {
	s.fetch.Lock()
	defer s.fetch.Unlock()
	for {
		left, err := s.Remaining()
		if err != nil || left >= s.cfg.LowWater && left > 0 {
			return err
		}
		b, err := s.hub.ReserveSSCCs(ctx, s.cfg.BlockSize)
		if err != nil {
			return fmt.Errorf("reserve SSCC block: %w", err)
		}
		if err := s.keep(b); err != nil {
			return err
		}
		s.log.Info("SSCC block reserved", "first", b.First, "count", b.Count, "left_before", left)
	}
}

// keep stores a block from the hub. A block already held keeps its use.
func (s *SSCCs) keep(b api.SSCCBlock) error {
	if b.Count < 1 {
		return fmt.Errorf("reserve SSCC block: %w: empty block", api.ErrBadResponse)
	}
	if _, err := b.SSCC(b.Count - 1); err != nil {
		return fmt.Errorf("reserve SSCC block: %w: %w", api.ErrBadResponse, err)
	}
	key := append([]byte(b.Extension+b.CompanyPrefix), kv.SeqKey(b.First)...)
	raw, err := json.Marshal(heldBlock{SSCCBlock: b})
	if err != nil {
		return err
	}
	return s.db.Update(func(tx *bolt.Tx) error {
		bk, err := tx.CreateBucketIfNotExists(bucketSSCC)
		if err != nil || bk.Get(key) != nil {
			return err
		}
		return bk.Put(key, raw)
	})
}

// refillInBackground starts a Refill unless one is running.
func (s *SSCCs) refillInBackground() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.refilling || s.ctx.Err() != nil {
		return
	}
	s.refilling = true
	s.wg.Go(func() {
		defer func() {
			s.mu.Lock()
			s.refilling = false
			s.mu.Unlock()
		}()
		ctx, cancel := context.WithTimeout(s.ctx, s.cfg.Timeout)
		defer cancel()
		if err := s.Refill(ctx); err != nil {
			s.log.Warn("SSCC block refill failed; will try again with the next SSCC", "err", err)
		}
	})
}
