package hub

import (
	"context"
	"sort"
	"strings"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/barcode"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/hub/storage"
)

// Login returns the user behind a badge; an unknown badge is an *Error with
// code unknown_badge.
func (s *Store) Login(ctx context.Context, badge string) (domain.User, error) {
	var u domain.User
	err := s.db.View(ctx, func(tx storage.Tx) error {
		id, err := tx.Bucket(bucketBadges).Get([]byte(strings.TrimSpace(badge)))
		if err != nil {
			return err
		}
		if id == nil {
			return newError(KindNotFound, api.CodeUnknownBadge, "badge %q is not known", badge)
		}
		u, err = mustGet[domain.User](tx.Bucket(bucketUsers), "user", string(id))
		return err
	})
	return u, err
}

// Item finds an item by SKU, by GTIN (8, 12, 13 or 14 digits, compared as
// GTIN-14) or by one of its extra barcodes.
func (s *Store) Item(ctx context.Context, key string) (domain.Item, error) {
	var it domain.Item
	err := s.db.View(ctx, func(tx storage.Tx) error {
		var err error
		it, err = lookupItem(tx, key)
		return err
	})
	return it, err
}

func lookupItem(tx storage.Tx, key string) (domain.Item, error) {
	key = strings.TrimSpace(key)
	items := tx.Bucket(bucketItems)
	if it, ok, err := getJSON[domain.Item](items, key); ok || err != nil {
		return it, err
	}
	k := key
	if g, ok := barcode.NormalizeGTIN(key); ok {
		k = g
	}
	sku, err := tx.Bucket(bucketItemKeys).Get([]byte(k))
	if err != nil {
		return domain.Item{}, err
	}
	if sku != nil {
		return mustGet[domain.Item](items, "item", string(sku))
	}
	return domain.Item{}, notFound("no item has SKU, GTIN or barcode %q", key)
}

// Locations lists every location in walk order.
func (s *Store) Locations(ctx context.Context) ([]domain.Location, error) {
	var out []domain.Location
	err := s.db.View(ctx, func(tx storage.Tx) error {
		var err error
		out, err = listJSON[domain.Location](tx.Bucket(bucketLocations), nil)
		return err
	})
	sort.SliceStable(out, func(i, j int) bool { return out[i].Sequence < out[j].Sequence })
	return out, err
}

// Location returns one location.
func (s *Store) Location(ctx context.Context, code string) (domain.Location, error) {
	return viewOne[domain.Location](ctx, s, bucketLocations, "location", code)
}

// Orders lists every live order, by id (archived ones are read by id).
func (s *Store) Orders(ctx context.Context) ([]domain.Order, error) {
	return viewAll[domain.Order](ctx, s, bucketOrders, nil)
}

// Order returns one order, live or archived.
func (s *Store) Order(ctx context.Context, id string) (domain.Order, error) {
	return viewAnywhere(ctx, s, "order", id, orderAnywhere)
}

// viewAnywhere reads one record, live or archived, with get.
func viewAnywhere[T any](ctx context.Context, s *Store, what, id string, get func(storage.Tx, string) (T, bool, error)) (T, error) {
	var v T
	err := s.db.View(ctx, func(tx storage.Tx) error {
		var ok bool
		var err error
		v, ok, err = get(tx, id)
		if err == nil && !ok {
			err = notFound("%s %q not found", what, id)
		}
		return err
	})
	return v, err
}

// Tasks lists every live pick task, by id (archived ones are read by id).
func (s *Store) Tasks(ctx context.Context) ([]domain.Task, error) {
	return viewAll[domain.Task](ctx, s, bucketTasks, nil)
}

// Task returns one pick task, live or archived.
func (s *Store) Task(ctx context.Context, id string) (domain.Task, error) {
	return viewAnywhere(ctx, s, "task", id, taskAnywhere)
}

// Backorders lists the live backorders in the order they were recorded; a
// non-empty orderID lists that order's, live or archived.
func (s *Store) Backorders(ctx context.Context, orderID string) ([]domain.Backorder, error) {
	if orderID == "" {
		return viewAll[domain.Backorder](ctx, s, bucketBackorders, nil)
	}
	var out []domain.Backorder
	err := s.db.View(ctx, func(tx storage.Tx) error {
		rec, ok, err := archived(tx, orderID)
		if ok && err == nil {
			out = append([]domain.Backorder{}, rec.Backorders...)
			return nil
		}
		if err == nil {
			out, err = orderBackorders(tx, orderID)
		}
		return err
	})
	return out, err
}

func viewOne[T any](ctx context.Context, s *Store, bucket, what, key string) (T, error) {
	var v T
	err := s.db.View(ctx, func(tx storage.Tx) error {
		var err error
		v, err = mustGet[T](tx.Bucket(bucket), what, key)
		return err
	})
	return v, err
}

func viewAll[T any](ctx context.Context, s *Store, bucket string, keep func(T) bool) ([]T, error) {
	var out []T
	err := s.db.View(ctx, func(tx storage.Tx) error {
		var err error
		out, err = listJSON(tx.Bucket(bucket), keep)
		return err
	})
	return out, err
}
