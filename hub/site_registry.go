package hub

import (
	"cmp"
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/hub/storage"
)

// The global buckets (see isGlobalBucket): the site registry and the index
// that finds the site of a credential.
const (
	bucketSites     = "sites"      // site id -> siteRecord
	bucketSiteCreds = "site_creds" // credKey(kind, hex SHA-256 of the secret) -> site id
)

// Kinds of credential in the index. A device token's entry is written at
// enrolment and removed when the token is replaced or revoked; a token
// without one (issued before sites) is the default site's.
const (
	credEnrol  = "enrol"  // a site's enrol key
	credAPI    = "api"    // a site's integration API key
	credDevice = "device" // a device token
)

// SiteInfo describes a site of the hub; it holds no secret.
type SiteInfo struct {
	ID               string    `json:"id"`
	Name             string    `json:"name"`
	GS1CompanyPrefix string    `json:"gs1_company_prefix,omitempty"`
	SSCCExtension    string    `json:"sscc_extension,omitempty"`
	AddedAt          time.Time `json:"added_at"`
}

// siteRecord is a site in the registry.
type siteRecord struct {
	SiteInfo
	EnrollKeyHash string `json:"enroll_key_sha256"`
}

// credKey is the index key of a credential.
func credKey(kind, hash string) []byte { return []byte(kind + ":" + hash) }

// credSite is the site whose credential of that kind has that hash; ok is
// false when no site's has.
func credSite(tx storage.Tx, kind, hash string) (site string, ok bool, err error) {
	v, err := tx.Bucket(bucketSiteCreds).Get(credKey(kind, hash))
	if err != nil || v == nil {
		return "", false, err
	}
	return string(v), true, nil
}

// putCred records that the credential of that kind and hash is tx's site's.
func putCred(tx storage.Tx, kind, hash string) error {
	return tx.Bucket(bucketSiteCreds).Put(credKey(kind, hash), []byte(txSite(tx)))
}

// deleteCred forgets a credential.
func deleteCred(tx storage.Tx, kind, hash string) error {
	return tx.Bucket(bucketSiteCreds).Delete(credKey(kind, hash))
}

// enrolSite is the site whose enrol key key is. A key no site has is a 401;
// so is an empty one.
func enrolSite(tx storage.Tx, key string) (string, error) {
	wrong := unauthorized(api.CodeUnauthorized, "enroll key is wrong")
	if key == "" {
		return "", wrong
	}
	site, ok, err := credSite(tx, credEnrol, hashToken(key))
	if err != nil || ok {
		return site, err
	}
	// A default site seeded before sites keeps its key in its meta bucket
	// until a site is added (adoptDefault).
	plain, err := scopeTx(tx, DefaultSite).Bucket(bucketMeta).Get([]byte(metaEnrollKey))
	if err != nil {
		return "", err
	}
	if plain != nil && subtle.ConstantTimeCompare(plain, []byte(key)) == 1 {
		return DefaultSite, nil
	}
	return "", wrong
}

// identify finds what the token with that hash proves: a device token of
// the site the index names, found in that site's tokens; or a site's API
// key. A device token or API key of a default site seeded before sites is
// not in the index, and is looked for in the default site's records.
func identify(tx storage.Tx, hash string) (Credential, bool, error) {
	site, ok, err := credSite(tx, credDevice, hash)
	if err != nil {
		return Credential{}, false, err
	}
	if ok {
		id, err := scopeTx(tx, site).Bucket(bucketTokens).Get([]byte(hash))
		return Credential{Site: site, DeviceID: string(id)}, id != nil, err
	}
	if site, ok, err = credSite(tx, credAPI, hash); err != nil || ok {
		return Credential{Site: site}, ok, err
	}
	def := scopeTx(tx, DefaultSite)
	want, err := def.Bucket(bucketMeta).Get([]byte(metaAPIKey))
	if err != nil {
		return Credential{}, false, err
	}
	if want != nil && subtle.ConstantTimeCompare(want, []byte(hash)) == 1 {
		return Credential{Site: DefaultSite}, true, nil
	}
	id, err := def.Bucket(bucketTokens).Get([]byte(hash))
	return Credential{Site: DefaultSite, DeviceID: string(id)}, id != nil, err
}

// siteIDs lists the sites of db: the default site and those in the
// registry.
func siteIDs(ctx context.Context, db storage.DB) ([]string, error) {
	ids := []string{DefaultSite}
	err := db.View(ctx, func(tx storage.Tx) error {
		ids = ids[:1]
		return tx.Bucket(bucketSites).Scan(nil, nil, func(k, _ []byte) error {
			if string(k) != DefaultSite {
				ids = append(ids, string(k))
			}
			return nil
		})
	})
	return ids, err
}

// fixedSiteDB is a storage.DB whose transactions see one site.
type fixedSiteDB struct {
	storage.DB
	site string
}

// View runs fn in a read-only transaction of d's site.
func (d fixedSiteDB) View(ctx context.Context, fn func(storage.Tx) error) error {
	return d.DB.View(ctx, func(tx storage.Tx) error { return fn(scopeTx(tx, d.site)) })
}

// Update runs fn in a read-write transaction of d's site.
func (d fixedSiteDB) Update(ctx context.Context, fn func(storage.Tx) error) error {
	return d.DB.Update(ctx, func(tx storage.Tx) error { return fn(scopeTx(tx, d.site)) })
}

// upgradeSites brings every site of db up to this hub's schema (see
// schema.go): each site's records carry the schema version they were
// written at.
func upgradeSites(ctx context.Context, db storage.DB) error {
	ids, err := siteIDs(ctx, db)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if err := upgradeSchema(ctx, fixedSiteDB{DB: db, site: id}); err != nil {
			return fmt.Errorf("site %s: %w", id, err)
		}
	}
	return nil
}

// maintainSites runs Maintain for every site; a site whose pass fails is
// logged, and the others still run.
func (s *Store) maintainSites(ctx context.Context, now time.Time) error {
	ids, err := siteIDs(ctx, s.db)
	if err != nil {
		return err
	}
	var errs []error
	for _, id := range ids {
		if _, err := s.Maintain(WithSite(ctx, id), now); err != nil {
			errs = append(errs, fmt.Errorf("site %s: %w", id, err))
		}
	}
	return errors.Join(errs...)
}

// registerSite enters tx's site, being seeded with site, in the registry:
// its record, and its enrol and API keys in the credential index. A key
// another site has, or SSCCs that could repeat another site's, is a
// conflict.
func registerSite(tx storage.Tx, site domain.Site) error {
	id := txSite(tx)
	sites := tx.Bucket(bucketSites)
	if v, err := sites.Get([]byte(id)); v != nil || err != nil {
		return cmp.Or(err, conflict(api.CodeConflict, "site %s is in the registry already", id))
	}
	rec := siteRecord{
		SiteInfo: SiteInfo{ID: id, Name: site.Name, GS1CompanyPrefix: site.GS1CompanyPrefix,
			SSCCExtension: site.SSCCExtension, AddedAt: time.Now().UTC()},
		EnrollKeyHash: hashToken(site.EnrollKey),
	}
	if err := checkSSCCApart(tx, rec.SiteInfo); err != nil {
		return err
	}
	v, err := schemaVersion(tx)
	if err != nil {
		return err
	}
	if v == 0 { // the site is written by this hub: nothing of it to upgrade
		if err := setSchemaVersion(tx, len(upgrades())); err != nil {
			return err
		}
	}
	keys := map[string]string{credEnrol: site.EnrollKey}
	if site.APIKey != "" {
		keys[credAPI] = site.APIKey
	}
	for kind, key := range keys {
		if err := checkKeyFree(tx, id, key); err != nil {
			return fmt.Errorf("%s key: %w", kind, err)
		}
		if err := putCred(tx, kind, hashToken(key)); err != nil {
			return err
		}
	}
	return putJSON(sites, id, rec)
}

// checkKeyFree refuses a key that is another site's enrol or API key: it
// would not say which site a device or the integration belongs to.
func checkKeyFree(tx storage.Tx, id, key string) error {
	for _, kind := range []string{credEnrol, credAPI} {
		other, ok, err := credSite(tx, kind, hashToken(key))
		if err != nil {
			return err
		}
		if ok && other != id {
			return conflict(api.CodeConflict, "it is site %s's %s key already: every site needs keys of its own", other, kind)
		}
	}
	return nil
}

// checkSSCCApart refuses SSCC settings under which a site could make an
// SSCC another site makes: the same extension digit with a company prefix
// equal to, or a prefix of, another's (GS1 assigns prefixes so that none
// starts another; two sites of one company need their own extension digit).
func checkSSCCApart(tx storage.Tx, s SiteInfo) error {
	if s.GS1CompanyPrefix == "" {
		return nil
	}
	return scanJSON(tx.Bucket(bucketSites), nil, nil, func(_ []byte, o siteRecord) error {
		if o.ID == s.ID || o.GS1CompanyPrefix == "" || o.SSCCExtension != s.SSCCExtension {
			return nil
		}
		if strings.HasPrefix(o.GS1CompanyPrefix, s.GS1CompanyPrefix) || strings.HasPrefix(s.GS1CompanyPrefix, o.GS1CompanyPrefix) {
			return conflict(api.CodeConflict,
				"SSCCs of extension %s under company prefix %s could repeat site %s's (prefix %s): give each site its own sscc_extension",
				s.SSCCExtension, s.GS1CompanyPrefix, o.ID, o.GS1CompanyPrefix)
		}
		return nil
	})
}

// adoptDefault enters a default site seeded before sites in the registry:
// its record from its meta bucket, its enrol and API keys in the index,
// and its enrol key, kept in clear until then, removed. tx is the default
// site's. A default site in the registry, or none, is left as it is.
func adoptDefault(tx storage.Tx) error {
	if v, err := tx.Bucket(bucketSites).Get([]byte(DefaultSite)); v != nil || err != nil {
		return err
	}
	meta := tx.Bucket(bucketMeta)
	if seeded, err := meta.Get([]byte(metaSeeded)); seeded == nil || err != nil {
		return err
	}
	vals := map[string]string{}
	for _, k := range []string{metaEnrollKey, metaSiteName, metaGS1Prefix, metaSSCCExt, metaAPIKey} {
		v, err := meta.Get([]byte(k))
		if err != nil {
			return err
		}
		vals[k] = string(v)
	}
	rec := siteRecord{SiteInfo: SiteInfo{ID: DefaultSite, Name: vals[metaSiteName],
		GS1CompanyPrefix: vals[metaGS1Prefix], SSCCExtension: vals[metaSSCCExt], AddedAt: time.Now().UTC()}}
	key := vals[metaEnrollKey]
	if key != "" {
		rec.EnrollKeyHash = hashToken(key)
		if err := putCred(tx, credEnrol, rec.EnrollKeyHash); err != nil {
			return err
		}
	}
	if apiHash := vals[metaAPIKey]; apiHash != "" {
		if err := putCred(tx, credAPI, apiHash); err != nil {
			return err
		}
	}
	if err := meta.Delete([]byte(metaEnrollKey)); err != nil {
		return err
	}
	return putJSON(tx.Bucket(bucketSites), DefaultSite, rec)
}

// AddSite seeds another site into the hub under id, beside the default
// site, which must be seeded first (see Seed): its master data, orders,
// users, keys, SSCC settings and policies, all its own. Its enrol key then
// enrols devices into it, and its API key acts for it alone. A site id
// that exists, keys another site has, or SSCCs that could repeat another
// site's are refused.
func (s *Store) AddSite(ctx context.Context, id string, site domain.Site) error {
	if err := validateSiteID(id); err != nil {
		return err
	}
	if id == DefaultSite {
		return badRequest("site %q is the default site: it is seeded with Seed (orderhub --seed)", id)
	}
	base := WithSite(ctx, DefaultSite)
	if seeded, err := s.Seeded(base); err != nil || !seeded {
		return cmp.Or(err, conflict(api.CodeConflict, "the hub has no default site: seed it first (orderhub --seed)"))
	}
	if err := s.db.Update(base, adoptDefault); err != nil {
		return fmt.Errorf("adopt the default site: %w", err)
	}
	at := WithSite(ctx, id)
	if seeded, err := s.Seeded(at); err != nil || seeded {
		return cmp.Or(err, conflict(api.CodeConflict, "site %s exists already", id))
	}
	return s.Seed(at, site)
}

// Sites lists the hub's sites by id.
func (s *Store) Sites(ctx context.Context) ([]SiteInfo, error) {
	var out []SiteInfo
	err := s.db.View(WithSite(ctx, DefaultSite), func(tx storage.Tx) error {
		out = nil
		recs, err := listJSON[siteRecord](tx.Bucket(bucketSites), nil)
		if err != nil {
			return err
		}
		for _, r := range recs {
			out = append(out, r.SiteInfo)
		}
		if slices.ContainsFunc(out, func(i SiteInfo) bool { return i.ID == DefaultSite }) {
			return nil
		}
		// A default site seeded before sites is not in the registry.
		meta := tx.Bucket(bucketMeta)
		seeded, err := meta.Get([]byte(metaSeeded))
		if err != nil || seeded == nil {
			return err
		}
		name, err := meta.Get([]byte(metaSiteName))
		out = append(out, SiteInfo{ID: DefaultSite, Name: string(name)})
		slices.SortFunc(out, func(a, b SiteInfo) int { return strings.Compare(a.ID, b.ID) })
		return err
	})
	return out, err
}
