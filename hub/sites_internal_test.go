package hub

import (
	"context"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/bcrypt"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/demodata"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/hub/backend/backendtest"
	"github.com/rfterm/rfterm/hub/storage"
)

func TestSiteBucketNames(t *testing.T) {
	assert.Equal(t, "orders", siteBucket(DefaultSite, bucketOrders))
	assert.Equal(t, "site/B/orders", siteBucket("B", bucketOrders))
	assert.Equal(t, "site/B/devices", siteBucket("B", bucketDevices))
	assert.Equal(t, "sites", siteBucket("B", bucketSites))
	assert.Equal(t, "site_creds", siteBucket("B", bucketSiteCreds))
	tx := scopeTx(scopeTx(nil, "B"), "")
	assert.Equal(t, DefaultSite, txSite(tx), "an empty site is the default; scoping again replaces the site")
}

// openSites is a hub on the store under test (see package backendtest)
// with the demo site as its default site and, when b is set, b as site "B".
func openSites(t *testing.T, b *domain.Site) (*Store, domain.Site) {
	t.Helper()
	s := New(backendtest.Open(t, backendtest.NewDatabase(t)), WithPINCost(bcrypt.MinCost), WithMaintainEvery(0))
	t.Cleanup(func() { s.Close() })
	site, err := demodata.Site()
	require.NoError(t, err)
	require.NoError(t, s.Seed(t.Context(), site))
	if b != nil {
		require.NoError(t, s.AddSite(t.Context(), "B", *b))
	}
	return s, site
}

func otherSite(t *testing.T) domain.Site {
	t.Helper()
	b, err := demodata.Site()
	require.NoError(t, err)
	b.EnrollKey, b.APIKey, b.SSCCExtension = "site-b-enroll-key", "site-b-api-key-not-secret", "2"
	return b
}

// TestAGroupWritesEachBatchInItsSite: one group transaction holding
// batches of two sites' devices writes each in its own site's buckets.
func TestAGroupWritesEachBatchInItsSite(t *testing.T) {
	b := otherSite(t)
	s, a := openSites(t, &b)
	ctxB := WithSite(t.Context(), "B")
	_, err := s.Register(t.Context(), api.RegisterRequest{DeviceID: "gun-01", EnrollKey: a.EnrollKey})
	require.NoError(t, err)
	_, err = s.Register(t.Context(), api.RegisterRequest{DeviceID: "gun-01", EnrollKey: b.EnrollKey})
	require.NoError(t, err)
	claimA, err := s.ClaimThrough(t.Context(), "gun-01", "u1001")
	require.NoError(t, err)
	claimB, err := s.ClaimThrough(ctxB, "gun-01", "u1002")
	require.NoError(t, err)
	start := func(task, user string) domain.Event {
		e, err := domain.NewDraft(domain.EventTaskStarted, time.Now(), user, domain.TaskStarted{TaskID: task, Tote: "T00001"}).Seal("gun-01", 1, "e1")
		require.NoError(t, err)
		return e
	}
	_, outs := s.group.write([]ingestJob{
		{site: DefaultSite, device: "gun-01", req: api.IngestRequest{DeviceID: "gun-01", Events: []domain.Event{start(claimA.Task.ID, "u1001")}}},
		{site: "B", device: "gun-01", req: api.IngestRequest{DeviceID: "gun-01", Events: []domain.Event{start(claimB.Task.ID, "u1002")}}},
	}, false)
	for _, o := range outs {
		require.NoError(t, o.err)
		assert.Equal(t, api.StatusApplied, o.resp.Results[0].Status, o.resp.Results[0].Message)
	}
	taskA, err := s.Task(t.Context(), claimA.Task.ID)
	require.NoError(t, err)
	taskB, err := s.Task(ctxB, claimB.Task.ID)
	require.NoError(t, err)
	assert.Equal(t, domain.TaskInProgress, taskA.Status)
	assert.Equal(t, domain.TaskInProgress, taskB.Status)
	assert.Equal(t, claimA.Task.ID, claimB.Task.ID, "the same task id, one at each site")
	assert.NotEqual(t, claimA.Task.UserID, claimB.Task.UserID)
}

// TestAMalformedSiteFailsTheCall: a context naming a site id that could
// not be a bucket name reaches no bucket.
func TestAMalformedSiteFailsTheCall(t *testing.T) {
	s, _ := openSites(t, nil)
	_, err := s.Orders(WithSite(t.Context(), "../meta"))
	require.Error(t, err)
	_, err = s.Ingest(WithSite(t.Context(), "a/b"), "gun-01", api.IngestRequest{DeviceID: "gun-01"})
	require.Error(t, err)
}

// makeLegacy turns the hub's default site into one seeded before sites:
// not in the registry, its enrol key in clear in its meta bucket, nothing
// of it in the credential index.
func makeLegacy(t *testing.T, s *Store, site domain.Site) {
	t.Helper()
	require.NoError(t, s.db.Update(t.Context(), func(tx storage.Tx) error {
		if err := tx.Bucket(bucketSites).Delete([]byte(DefaultSite)); err != nil {
			return err
		}
		var keys [][]byte
		if err := tx.Bucket(bucketSiteCreds).Scan(nil, nil, func(k, _ []byte) error {
			keys = append(keys, append([]byte(nil), k...))
			return nil
		}); err != nil {
			return err
		}
		for _, k := range keys {
			if err := tx.Bucket(bucketSiteCreds).Delete(k); err != nil {
				return err
			}
		}
		return tx.Bucket(bucketMeta).Put([]byte(metaEnrollKey), []byte(site.EnrollKey))
	}))
}

// TestADefaultSiteSeededBeforeSites: a hub file from before sites works as
// it did (its enrol key, API key and device tokens), and adding a site
// enters its default site in the registry and hashes its enrol key.
func TestADefaultSiteSeededBeforeSites(t *testing.T) {
	s, a := openSites(t, nil)
	old, err := s.Register(t.Context(), api.RegisterRequest{DeviceID: "gun-old", EnrollKey: a.EnrollKey})
	require.NoError(t, err)
	makeLegacy(t, s, a)

	n := 0
	works := func() {
		t.Helper()
		n++
		cred, ok, err := s.Identify(t.Context(), old.Token)
		require.NoError(t, err)
		assert.True(t, ok)
		assert.Equal(t, Credential{Site: DefaultSite, DeviceID: "gun-old"}, cred)
		cred, ok, err = s.Identify(t.Context(), a.APIKey)
		require.NoError(t, err)
		assert.True(t, ok)
		assert.Equal(t, Credential{Site: DefaultSite}, cred)
		_, err = s.Register(t.Context(), api.RegisterRequest{DeviceID: fmt.Sprintf("gun-new-%d", n), EnrollKey: a.EnrollKey})
		require.NoError(t, err)
	}
	works()
	sites, err := s.Sites(t.Context())
	require.NoError(t, err)
	assert.Equal(t, []SiteInfo{{ID: DefaultSite, Name: a.Name}}, sites)

	b := otherSite(t)
	b.EnrollKey = a.EnrollKey
	err = s.AddSite(t.Context(), "B", b)
	require.Error(t, err, "the default site's key, found in its meta bucket")
	var plain []byte
	require.NoError(t, s.db.View(t.Context(), func(tx storage.Tx) error {
		plain, err = tx.Bucket(bucketMeta).Get([]byte(metaEnrollKey))
		return err
	}))
	assert.Nil(t, plain, "adopted: the enrol key is kept hashed only")
	works()

	b.EnrollKey = "site-b-enroll-key"
	require.NoError(t, s.AddSite(t.Context(), "B", b))
	sites, err = s.Sites(t.Context())
	require.NoError(t, err)
	require.Len(t, sites, 2)
	assert.Equal(t, "B", sites[0].ID)
	assert.Equal(t, DefaultSite, sites[1].ID)
	assert.Equal(t, a.GS1CompanyPrefix, sites[1].GS1CompanyPrefix)
}

// TestEveryBucketIsInTheREADME: the README's table of global and per-site
// buckets names every bucket the hub declares (constants bucket… and
// ix…), in the column isGlobalBucket puts it in.
func TestEveryBucketIsInTheREADME(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	require.NoError(t, err)
	var row string
	for _, l := range strings.Split(string(readme), "\n") {
		if strings.HasPrefix(l, "| `sites`") {
			row = l
		}
	}
	require.NotEmpty(t, row, "the README's bucket table")
	cols := strings.Split(row, "|")
	require.Len(t, cols, 4)
	global, perSite := cols[1], cols[2]

	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	fset := token.NewFileSet()
	n := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		require.NoError(t, err)
		for _, d := range file.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.CONST {
				continue
			}
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, name := range vs.Names {
					if i >= len(vs.Values) {
						continue
					}
					lit, ok := vs.Values[i].(*ast.BasicLit)
					isBucket := strings.HasPrefix(name.Name, "bucket") || strings.HasPrefix(name.Name, "ix")
					if !isBucket || !ok || lit.Kind != token.STRING {
						continue
					}
					bucket, err := strconv.Unquote(lit.Value)
					require.NoError(t, err)
					n++
					col := perSite
					if isGlobalBucket(bucket) {
						col = global
					}
					assert.Contains(t, col, "`"+bucket+"`", "%s (%s) in the README's bucket table, global %v", name.Name, f, isGlobalBucket(bucket))
				}
			}
		}
	}
	assert.Greater(t, n, 50)
}

// TestBackgroundWorkCoversEverySite: the maintenance pass archives each
// site's finished work, and every site is stamped with the schema version
// it was written at, so an upgrade on open runs for each.
func TestBackgroundWorkCoversEverySite(t *testing.T) {
	b := otherSite(t)
	s, _ := openSites(t, &b)
	ctxB := WithSite(t.Context(), "B")
	for _, ctx := range []context.Context{t.Context(), ctxB} {
		_, err := s.CancelOrder(ctx, "SO-10002", "test")
		require.NoError(t, err)
		v := 0
		require.NoError(t, s.db.View(ctx, func(tx storage.Tx) error {
			v, err = schemaVersion(tx)
			return err
		}))
		assert.Equal(t, len(upgrades()), v)
	}
	require.NoError(t, s.maintainSites(t.Context(), time.Now().Add(DefaultArchiveAfter+time.Hour)))
	for _, ctx := range []context.Context{t.Context(), ctxB} {
		var rec []byte
		require.NoError(t, s.db.View(ctx, func(tx storage.Tx) (err error) {
			rec, err = tx.Bucket(bucketArchive).Get([]byte("SO-10002"))
			return err
		}))
		assert.NotNil(t, rec, "archived at %s", SiteOf(ctx))
		require.NoError(t, s.CheckIndexes(ctx))
	}
	ids, err := siteIDs(t.Context(), s.db)
	require.NoError(t, err)
	assert.Equal(t, []string{DefaultSite, "B"}, ids)
}
