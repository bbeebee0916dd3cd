package hub

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/rfterm/rfterm/hub/storage"
)

// Several sites in one hub.
//
// Every record of a site lives in that site's own buckets: the business
// rules name buckets as a single-site hub does (tx.Bucket("orders")), and
// the transaction they are handed maps each name to the bucket of the site
// the call acts for. The default site keeps the names of a single-site hub
// ("orders"), so a hub file from before sites, and a hub that never adds
// one, is read and written exactly as it was; site "B" has "site/B/orders".
// Numbering follows: each site has its own change feed, backorder and
// count sequences, because they are sequences of its own buckets. A call
// for site A cannot name a record of site B at all.
//
// The site of a call comes from its context (WithSite). Over HTTP only the
// authenticating edge sets it, from the credential it verified: the site a
// device token was issued at, the site of an integration API key, and a
// lead session is looked up in its device's site. Enrolment finds the site
// of the enrol key it is given. Nothing a client sends names a site. A call
// made in process without one (orderhub's seeding, tests, the demo) acts
// for DefaultSite.
//
// Global buckets (isGlobalBucket) are the few that are not any one site's:
// the site registry and the index from a credential's hash to its site.
// Every other bucket is per site, among them devices and their tokens (a
// device id names a device within its site), users, badges and PINs, lead
// sessions, the meta bucket (the site's name, SSCC company prefix and
// extension, count and cluster policies, event bounds, API key hash), and
// every order, task, pick, carton, count, return and exactly-once record.

// DefaultSite is the id of the hub's default site: the one `orderhub
// --seed` loads and in-process callers act for, kept in the bucket names
// of a single-site hub.
const DefaultSite = "default"

// maxSiteIDLen bounds a site id, which ends up in bucket names and logs.
const maxSiteIDLen = 32

// sitePrefix starts the bucket names of every site but the default.
const sitePrefix = "site/"

// isGlobalBucket reports the buckets that belong to the hub, not to a site:
// the site registry and the credential index. Every other bucket is the
// site's (see the comment above).
func isGlobalBucket(name string) bool {
	switch name {
	case bucketSites, bucketSiteCreds:
		return true
	}
	return false
}

// siteBucket is the stored name of a site's bucket.
func siteBucket(site, name string) string {
	if site == DefaultSite || isGlobalBucket(name) {
		return name
	}
	return sitePrefix + site + "/" + name
}

// validateSiteID checks a site id: 1 to 32 letters, digits, '-' or '_'.
func validateSiteID(id string) error {
	if id == "" || len(id) > maxSiteIDLen {
		return badRequest("site id must be 1 to %d characters, not %q", maxSiteIDLen, id)
	}
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return badRequest("site id %q: only letters, digits, '-' and '_'", id)
		}
	}
	return nil
}

// siteKey is the context key of the site a call acts for.
type siteKey struct{}

// WithSite returns ctx acting for site. The HTTP edge sets it from the
// credential it verified; an in-process caller (orderhub, a test) may set
// it to act for a site other than DefaultSite.
func WithSite(ctx context.Context, site string) context.Context {
	return context.WithValue(ctx, siteKey{}, site)
}

// SiteOf is the site ctx acts for: DefaultSite when none was set.
func SiteOf(ctx context.Context) string {
	if site, ok := ctx.Value(siteKey{}).(string); ok && site != "" {
		return site
	}
	return DefaultSite
}

// ctxSite is the site of ctx, checked: a malformed id fails the call
// rather than reach a bucket name.
func ctxSite(ctx context.Context) (string, error) {
	site := SiteOf(ctx)
	if err := validateSiteID(site); err != nil {
		return "", fmt.Errorf("site of the call: %w", err)
	}
	return site, nil
}

// siteDB is the Store's way to its storage: every transaction it runs is
// scoped to the site of its context. (The ingest writer, whose groups mix
// sites, uses the schemaDB below it and scopes each batch itself.)
type siteDB struct {
	*schemaDB
}

// View runs fn in a read-only transaction of ctx's site.
func (d siteDB) View(ctx context.Context, fn func(storage.Tx) error) error {
	site, err := ctxSite(ctx)
	if err != nil {
		return err
	}
	return d.schemaDB.View(ctx, func(tx storage.Tx) error { return fn(scopeTx(tx, site)) })
}

// Update runs fn in a read-write transaction of ctx's site.
func (d siteDB) Update(ctx context.Context, fn func(storage.Tx) error) error {
	site, err := ctxSite(ctx)
	if err != nil {
		return err
	}
	return d.schemaDB.Update(ctx, func(tx storage.Tx) error { return fn(scopeTx(tx, site)) })
}

// siteTx is a transaction seen by one site: its buckets are the site's
// (and the global ones).
type siteTx struct {
	raw  storage.Tx
	site string
}

// Bucket returns the site's bucket of that name.
func (t siteTx) Bucket(name string) storage.Bucket { return t.raw.Bucket(siteBucket(t.site, name)) }

// Context is the context the transaction was started with.
func (t siteTx) Context() context.Context { return t.raw.Context() }

// scopeTx is tx seen by site (DefaultSite when empty, as SiteOf); the same
// transaction, so what is written through either commits together.
func scopeTx(tx storage.Tx, site string) storage.Tx {
	if st, ok := tx.(siteTx); ok {
		tx = st.raw
	}
	if site == "" {
		site = DefaultSite
	}
	return siteTx{raw: tx, site: site}
}

// txSite is the site tx is scoped to.
func txSite(tx storage.Tx) string {
	if c, ok := tx.(*cacheTx); ok {
		tx = c.Tx
	}
	if st, ok := tx.(siteTx); ok {
		return st.site
	}
	return DefaultSite
}

// siteCaches are an ingest group's views of its transaction: a cacheTx
// (hub/records.go) for each site whose batches it holds, over that site's
// buckets.
type siteCaches struct {
	tx     storage.Tx
	bySite map[string]*cacheTx
}

func newSiteCaches(tx storage.Tx) *siteCaches {
	return &siteCaches{tx: tx, bySite: map[string]*cacheTx{}}
}

// of is site's view.
func (c *siteCaches) of(site string) *cacheTx {
	if site == "" {
		site = DefaultSite
	}
	v := c.bySite[site]
	if v == nil {
		v = newCacheTx(scopeTx(c.tx, site))
		c.bySite[site] = v
	}
	return v
}

// flush writes every site's changed records, site by site in id order.
func (c *siteCaches) flush() error {
	for _, site := range slices.Sorted(maps.Keys(c.bySite)) {
		if err := c.bySite[site].flush(); err != nil {
			return fmt.Errorf("site %s: %w", site, err)
		}
	}
	return nil
}
