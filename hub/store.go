package hub

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/rfterm/rfterm/api"
	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
	"golang.org/x/crypto/bcrypt"
)

// Bucket names. Keys are the natural ids (SKU, location code, order id, ...).
var (
	bucketMeta       = []byte("meta")       // metaSeeded, metaEnrollKey, metaSiteName
	bucketItems      = []byte("items")      // SKU -> domain.Item
	bucketItemKeys   = []byte("item_keys")  // GTIN-14 or extra barcode -> SKU
	bucketLocations  = []byte("locations")  // code -> domain.Location
	bucketUsers      = []byte("users")      // user id -> domain.User
	bucketBadges     = []byte("badges")     // badge -> user id
	bucketOrders     = []byte("orders")     // order id -> domain.Order
	bucketTasks      = []byte("tasks")      // task id -> domain.Task
	bucketCartons    = []byte("cartons")    // carton code -> domain.CartonType
	bucketStock      = []byte("stock")      // SKU -> location code
	bucketDevices    = []byte("devices")    // device id -> deviceRecord
	bucketTokens     = []byte("tokens")     // hex SHA-256 of a token -> device id
	bucketEvents     = []byte("events")     // eventKey(device, event id) -> api.EventResult
	bucketBackorders = []byte("backorders") // big-endian sequence -> domain.Backorder
	bucketSeqLog     = []byte("seq_log")    // seqLogKey(device, seq) -> event id, in the order taken
	bucketChanges    = []byte("changes")    // big-endian sequence -> api.Change
)

// Buckets of the pack station's side.
var (
	bucketPicks      = []byte("picks")       // order id -> []domain.PickLine, one merged record per line
	bucketTotes      = []byte("totes")       // tote -> toteRecord: the order last picked into it
	bucketShipments  = []byte("shipments")   // order id -> domain.Shipment
	bucketSSCCBlocks = []byte("sscc_blocks") // big-endian first serial reference -> api.SSCCReservation
	bucketSSCCs      = []byte("ssccs")       // SSCC -> ssccUse: every SSCC a carton was given
)

var allBuckets = append(append([][]byte{
	bucketMeta, bucketItems, bucketItemKeys, bucketLocations, bucketUsers, bucketBadges,
	bucketOrders, bucketTasks, bucketCartons, bucketStock, bucketDevices, bucketTokens,
	bucketEvents, bucketBackorders, bucketSeqLog, bucketChanges,
	bucketPicks, bucketTotes, bucketShipments, bucketSSCCBlocks, bucketSSCCs,
}, inventoryBuckets...), append(trustBuckets, lotBuckets...)...)

var (
	metaSeeded    = []byte("seeded")
	metaEnrollKey = []byte("enroll_key")
	metaSiteName  = []byte("site_name")
	metaGS1Prefix = []byte("gs1_company_prefix")
	metaSSCCExt   = []byte("sscc_extension")
	metaSSCCNext  = []byte("sscc_next") // big-endian: the next serial reference to reserve
)

// Store is the hub's database. It is safe for concurrent use.
type Store struct {
	db      *bolt.DB
	group   *groupCommit // the ingest writer
	pinCost int          // bcrypt cost of PINs hashed at seed
	// unverifiedLeads: lead calls need no lead session (WithUnverifiedLeads).
	unverifiedLeads bool
}

// Option configures Open.
type Option func(*options)

type options struct {
	timeout         time.Duration
	pinCost         int
	unverifiedLeads bool
}

// WithOpenTimeout sets how long Open waits for the file lock held by another
// process (default 2s).
func WithOpenTimeout(d time.Duration) Option {
	return func(o *options) { o.timeout = d }
}

// Open opens (creating if needed) the hub database at path.
func Open(path string, opts ...Option) (*Store, error) {
	o := options{timeout: 2 * time.Second, pinCost: bcrypt.DefaultCost}
	for _, f := range opts {
		f(&o)
	}
	if err := refuseEmptyFile(path); err != nil {
		return nil, err
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: o.timeout})
	if errors.Is(err, berrors.ErrTimeout) {
		return nil, fmt.Errorf("open hub database: another process has %s open", path)
	}
	if err != nil {
		return nil, fmt.Errorf("open hub database %s: %w", path, err)
	}
	err = quickCheck(db)
	if err != nil {
		db.Close()
		return nil, damagedAdvice(path, err)
	}
	err = safeUpdate(db, "open", func(tx *bolt.Tx) error {
		for _, b := range allBuckets {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return fmt.Errorf("bucket %s: %w", b, err)
			}
		}
		return nil
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open hub database %s: %w", path, err)
	}
	return &Store{db: db, group: startGroupCommit(db), pinCost: o.pinCost, unverifiedLeads: o.unverifiedLeads}, nil
}

// Close stops the ingest writer and closes the database.
func (s *Store) Close() error {
	s.group.stop()
	return s.db.Close()
}

// Seeded reports whether the database holds a site.
func (s *Store) Seeded() (bool, error) {
	var ok bool
	err := s.db.View(func(tx *bolt.Tx) error {
		ok = tx.Bucket(bucketMeta).Get(metaSeeded) != nil
		return nil
	})
	return ok, err
}

// apiError is a failure with its HTTP status and machine code.
func apiError(status int, code, format string, args ...any) error {
	return &api.Error{Status: status, Code: code, Message: fmt.Sprintf(format, args...)}
}

func notFound(format string, args ...any) error {
	return apiError(http.StatusNotFound, api.CodeNotFound, format, args...)
}

// getJSON decodes the value at key; ok is false when there is none.
func getJSON[T any](b *bolt.Bucket, key string) (v T, ok bool, err error) {
	raw := b.Get([]byte(key))
	if raw == nil {
		return v, false, nil
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		return v, false, fmt.Errorf("decode %q: %w", key, err)
	}
	return v, true, nil
}

// mustGet is getJSON for records that must exist; a missing one is a not_found error.
func mustGet[T any](b *bolt.Bucket, what, key string) (T, error) {
	v, ok, err := getJSON[T](b, key)
	if err == nil && !ok {
		err = notFound("%s %q not found", what, key)
	}
	return v, err
}

func putJSON(b *bolt.Bucket, key string, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %s: %w", key, err)
	}
	return b.Put([]byte(key), raw)
}

// listJSON decodes every value of a bucket, in key order, keeping those keep accepts.
func listJSON[T any](b *bolt.Bucket, keep func(T) bool) ([]T, error) {
	out := []T{}
	err := b.ForEach(func(k, raw []byte) error {
		var v T
		if err := json.Unmarshal(raw, &v); err != nil {
			return fmt.Errorf("decode %s: %w", k, err)
		}
		if keep == nil || keep(v) {
			out = append(out, v)
		}
		return nil
	})
	return out, err
}
