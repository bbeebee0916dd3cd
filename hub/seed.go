package hub

import (
	"context"
	"fmt"
	"sort"

	"github.com/rfterm/rfterm/barcode"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/hub/storage"
)

// TaskIDPrefix starts every pick task id: the task of order "SO-10001" is
// "T-SO-10001". The dash keeps task ids apart from tote barcodes (T + 5 digits).
const TaskIDPrefix = "T-"

// Seed loads a site into an empty database: master data, orders, and one open
// pick task per order. On a database that already holds a site it does nothing.
// It seeds the site of ctx (see WithSite; AddSite adds a site), the default
// site unless ctx names another.
func (s *Store) Seed(ctx context.Context, site domain.Site) error {
	if err := validateSite(site); err != nil {
		return fmt.Errorf("seed %q: %w", site.Name, err)
	}
	if err := validateInventory(site); err != nil {
		return fmt.Errorf("seed %q: %w", site.Name, err)
	}
	if err := validateTrust(site); err != nil {
		return fmt.Errorf("seed %q: %w", site.Name, err)
	}
	if err := validateLots(site); err != nil {
		return err
	}
	if err := validateCustoms(site); err != nil {
		return fmt.Errorf("seed %q: %w", site.Name, err)
	}
	if err := validateDock(site); err != nil { // hub/dock.go
		return fmt.Errorf("seed %q: %w", site.Name, err)
	}
	return s.db.Update(ctx, func(tx storage.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if seeded, err := meta.Get([]byte(metaSeeded)); seeded != nil || err != nil {
			return err
		}
		if err := seedSite(tx, site); err != nil {
			return fmt.Errorf("seed %q: %w", site.Name, err)
		}
		if err := seedInventory(tx, site); err != nil {
			return fmt.Errorf("seed %q: %w", site.Name, err)
		}
		if err := seedLots(tx, site); err != nil {
			return fmt.Errorf("seed %q: %w", site.Name, err)
		}
		if err := seedDock(tx, site); err != nil {
			return fmt.Errorf("seed %q: %w", site.Name, err)
		}
		if err := registerSite(tx, site); err != nil { // hub/site_registry.go
			return fmt.Errorf("seed %q: %w", site.Name, err)
		}
		if err := meta.Put([]byte(metaSiteName), []byte(site.Name)); err != nil {
			return err
		}
		if err := seedSSCCConfig(meta, site); err != nil {
			return err
		}
		if err := seedClusterPolicy(meta, site); err != nil {
			return err
		}
		if err := seedArchiveAfter(meta, site); err != nil {
			return err
		}
		if err := s.seedTrust(tx, site); err != nil {
			return err
		}
		return meta.Put([]byte(metaSeeded), []byte("1"))
	})
}

// validateSite checks what the store relies on, so a bad seed file gets a clear
// message instead of a half-usable hub.
func validateSite(site domain.Site) error {
	if site.EnrollKey == "" {
		return fmt.Errorf("enroll_key is empty")
	}
	if err := validateSSCCConfig(site); err != nil {
		return err
	}
	if site.ArchiveAfterDays < 0 {
		return fmt.Errorf("archive_after_days %d is negative", site.ArchiveAfterDays)
	}
	if site.Cluster != nil {
		if err := site.Cluster.Validate(); err != nil {
			return err
		}
	}
	items := map[string]bool{}
	keys := map[string]string{}
	for _, it := range site.Items {
		if it.SKU == "" || items[it.SKU] {
			return fmt.Errorf("item SKU %q is empty or repeated", it.SKU)
		}
		items[it.SKU] = true
		gtin, ok := barcode.NormalizeGTIN(it.GTIN)
		if !ok || gtin != it.GTIN {
			return fmt.Errorf("item %s: GTIN %q is not 14 digits with a valid check digit", it.SKU, it.GTIN)
		}
		for _, k := range append([]string{it.GTIN}, it.Barcodes...) {
			if other, dup := keys[k]; dup && other != it.SKU {
				return fmt.Errorf("barcode %s is on both %s and %s", k, other, it.SKU)
			}
			keys[k] = it.SKU
		}
	}
	locs := map[string]bool{}
	for _, l := range site.Locations {
		if l.Code == "" || locs[l.Code] {
			return fmt.Errorf("location code %q is empty or repeated", l.Code)
		}
		locs[l.Code] = true
	}
	held := map[string]string{}
	for sku, loc := range site.Stock {
		if !items[sku] {
			return fmt.Errorf("stock: unknown item %s", sku)
		}
		if !locs[loc] {
			return fmt.Errorf("stock: %s at unknown location %s", sku, loc)
		}
		if other, dup := held[loc]; dup {
			return fmt.Errorf("stock: location %s holds both %s and %s", loc, other, sku)
		}
		held[loc] = sku
	}
	badges := map[string]bool{}
	users := map[string]bool{}
	for _, u := range site.Users {
		if u.ID == "" || users[u.ID] || u.Badge == "" || badges[u.Badge] {
			return fmt.Errorf("user %q (badge %q): id and badge must be set and unique", u.ID, u.Badge)
		}
		users[u.ID], badges[u.Badge] = true, true
	}
	orders := map[string]bool{}
	for _, o := range site.Orders {
		if o.ID == "" || orders[o.ID] {
			return fmt.Errorf("order id %q is empty or repeated", o.ID)
		}
		orders[o.ID] = true
		lines := map[int]bool{}
		for _, l := range o.Lines {
			switch {
			case lines[l.Line]:
				return fmt.Errorf("order %s: line %d repeated", o.ID, l.Line)
			case !items[l.SKU]:
				return fmt.Errorf("order %s line %d: unknown item %s", o.ID, l.Line, l.SKU)
			case site.Stock[l.SKU] == "":
				return fmt.Errorf("order %s line %d: %s has no pick location", o.ID, l.Line, l.SKU)
			case l.Qty <= 0:
				return fmt.Errorf("order %s line %d: quantity %d", o.ID, l.Line, l.Qty)
			}
			lines[l.Line] = true
		}
	}
	return nil
}

func seedSite(tx storage.Tx, site domain.Site) error {
	for _, it := range site.Items {
		if err := putJSON(tx.Bucket(bucketItems), it.SKU, it); err != nil {
			return err
		}
		for _, k := range append([]string{it.GTIN}, it.Barcodes...) {
			if err := tx.Bucket(bucketItemKeys).Put([]byte(k), []byte(it.SKU)); err != nil {
				return err
			}
		}
	}
	seq := map[string]int{}
	for _, l := range site.Locations {
		seq[l.Code] = l.Sequence
		if err := putJSON(tx.Bucket(bucketLocations), l.Code, l); err != nil {
			return err
		}
	}
	for sku, loc := range site.Stock {
		if err := tx.Bucket(bucketStock).Put([]byte(sku), []byte(loc)); err != nil {
			return err
		}
	}
	for _, u := range site.Users {
		if err := putJSON(tx.Bucket(bucketUsers), u.ID, u); err != nil {
			return err
		}
		if err := tx.Bucket(bucketBadges).Put([]byte(u.Badge), []byte(u.ID)); err != nil {
			return err
		}
	}
	for _, c := range site.CartonTypes {
		if err := putJSON(tx.Bucket(bucketCartons), c.Code, c); err != nil {
			return err
		}
	}
	for _, o := range site.Orders {
		if o.Status == "" {
			o.Status = domain.OrderOpen
		}
		if o.Lines == nil {
			o.Lines = []domain.OrderLine{} // the contract has arrays, never null
		}
		if err := saveOrder(tx, o); err != nil {
			return err
		}
		task := taskForOrder(o, site.Stock, seq)
		if err := saveTask(tx, task); err != nil {
			return err
		}
	}
	return nil
}

// taskForOrder makes the pick task of an order: its lines in walk order.
func taskForOrder(o domain.Order, stock map[string]string, seq map[string]int) domain.Task {
	t := domain.Task{ID: TaskIDPrefix + o.ID, OrderID: o.ID, Status: domain.TaskOpen, Lines: []domain.TaskLine{}}
	if o.Status == domain.OrderCancelled {
		t.Status = domain.TaskCancelled
	}
	for _, l := range o.Lines {
		t.Lines = append(t.Lines, domain.TaskLine{Line: l.Line, SKU: l.SKU, Location: stock[l.SKU], Qty: l.Qty})
	}
	sort.SliceStable(t.Lines, func(i, j int) bool {
		a, b := t.Lines[i], t.Lines[j]
		if seq[a.Location] != seq[b.Location] {
			return seq[a.Location] < seq[b.Location]
		}
		return a.Line < b.Line
	})
	return t
}
