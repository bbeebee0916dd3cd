package hub_test

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/hub"
	"github.com/rfterm/rfterm/hub/backend/backendtest"
	"github.com/rfterm/rfterm/hub/boltstore"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	bolt "go.etcd.io/bbolt"
)

// The layout of bbolt's pages, as far as these tests damage them: a page
// starts with id (8 bytes), flags (2), count (2), overflow (4); a meta page's
// body starts with magic, version, page size and flags (4 bytes each), then
// the root bucket's page id; a branch page's elements are pos (4), key size
// (4) and child page id (8).
const (
	pageHeader    = 16
	flagsOffset   = 8
	metaPageSize  = pageHeader + 8
	metaRoot      = pageHeader + 16
	branchElement = 16
)

// seededHubFile makes a hub file with the demo site and registered devices.
func seededHubFile(t *testing.T, devices ...string) (path string, tokens map[string]string) {
	t.Helper()
	path = filepath.Join(t.TempDir(), "hub.db")
	st, err := hub.Open(path, fastPINs()...)
	require.NoError(t, err)
	site := demoSite(t)
	require.NoError(t, st.Seed(t.Context(), site))
	tokens = map[string]string{}
	for _, d := range devices {
		reg, err := st.Register(t.Context(), api.RegisterRequest{DeviceID: d, EnrollKey: site.EnrollKey})
		require.NoError(t, err)
		tokens[d] = reg.Token
	}
	require.NoError(t, st.Close())
	return path, tokens
}

// damagePages sets the flags of pages to a type bbolt does not know.
func damagePages(t *testing.T, path string, pageSize int, ids ...uint64) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	require.NoError(t, err)
	defer f.Close()
	for _, id := range ids {
		_, err := f.WriteAt([]byte{0, 0}, int64(id)*int64(pageSize)+flagsOffset)
		require.NoError(t, err)
	}
	require.NoError(t, f.Sync())
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	return raw
}

// Finding 5: a damaged page under a bucket the ingest writer reads fails
// that batch with a 500; the hub process and its other requests go on.
func TestDamagedPageFailsItsBatchNotTheProcess(t *testing.T) {
	backendtest.SkipOnPostgres(t, "it damages a page of the bbolt file")
	devices := []string{testDevice}
	for i := 0; i < 300; i++ {
		devices = append(devices, fmt.Sprintf("filler-%03d-%s", i, strings.Repeat("x", 80)))
	}
	path, tokens := seededHubFile(t, devices...)

	// The devices bucket spans many pages: damage those below its root but
	// the first (testDevice sorts after the fillers, on the last one).
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	require.NoError(t, err)
	pageSize := db.Info().PageSize
	var root uint64
	require.NoError(t, db.View(func(tx *bolt.Tx) error {
		root = uint64(tx.Bucket([]byte("devices")).Root())
		info, err := tx.Page(int(root))
		require.NoError(t, err)
		require.Equal(t, "branch", info.Type, "the devices bucket must span pages for this test")
		return nil
	}))
	require.NoError(t, db.Close())
	raw := readFile(t, path)
	page := raw[int(root)*pageSize:]
	var children []uint64
	for i := 0; i < int(binary.LittleEndian.Uint16(page[10:])); i++ {
		children = append(children, binary.LittleEndian.Uint64(page[pageHeader+i*branchElement+8:]))
	}
	damagePages(t, path, pageSize, children[1:]...)

	st, err := hub.Open(path)
	require.NoError(t, err, "the open-time check is bounded: it reads bucket roots only")
	defer st.Close()
	srv := httptest.NewServer(hub.NewHandler(st, slog.New(slog.NewTextHandler(io.Discard, nil))))
	defer srv.Close()
	client := api.NewClient(srv.URL, srv.Client()).WithToken(tokens[testDevice])
	for range 2 {
		_, err = client.SendEvents(ctx(t), api.IngestRequest{DeviceID: testDevice, Events: []domain.Event{
			sealed(t, testDevice, 1, "e1", domain.EventTaskStarted, ana, domain.TaskStarted{TaskID: task3, Tote: "T00001"})}})
		requireAPIError(t, err, http.StatusInternalServerError, api.CodeInternal)
	}
	orders, err := client.Orders(ctx(t))
	require.NoError(t, err, "the hub still answers")
	assert.NotEmpty(t, orders)
}

// Finding 5: a damaged root page is refused at open with what to do, not a
// raw panic; `db check` finds it too.
func TestDamagedRootPageIsRefusedAtOpen(t *testing.T) {
	backendtest.SkipOnPostgres(t, "it damages the bbolt file's root page")
	path, _ := seededHubFile(t)
	raw := readFile(t, path)
	pageSize := int(binary.LittleEndian.Uint32(raw[metaPageSize:]))
	roots := []uint64{
		binary.LittleEndian.Uint64(raw[metaRoot:]),
		binary.LittleEndian.Uint64(raw[pageSize+metaRoot:]),
	}
	damagePages(t, path, pageSize, roots...)

	_, err := hub.Open(path)
	require.ErrorIs(t, err, boltstore.ErrDamaged)
	assert.Contains(t, err.Error(), "orderhub db check --db "+path)
	assert.Contains(t, err.Error(), "backup")

	var out bytes.Buffer
	require.ErrorIs(t, boltstore.Check(path, &out), boltstore.ErrDamaged)
	assert.Contains(t, out.String(), path)
}

// Finding 5: a zero-length hub file is refused with what to do, and left as
// it is, never taken for a new database.
func TestZeroLengthHubFileIsRefused(t *testing.T) {
	backendtest.SkipOnPostgres(t, "a zero-length bbolt file")
	path := filepath.Join(t.TempDir(), "hub.db")
	require.NoError(t, os.WriteFile(path, nil, 0o600))
	_, err := hub.Open(path)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "empty (0 bytes)")
	assert.Contains(t, err.Error(), "backup")
	fi, err := os.Stat(path)
	require.NoError(t, err)
	assert.Zero(t, fi.Size(), "the file was not initialised")
	require.Error(t, boltstore.Check(path, io.Discard))
}

// The full check passes a sound file.
func TestCheckPassesASoundFile(t *testing.T) {
	backendtest.SkipOnPostgres(t, "bbolt's whole-file check")
	path, _ := seededHubFile(t, testDevice)
	var out bytes.Buffer
	require.NoError(t, boltstore.Check(path, &out))
	assert.Contains(t, out.String(), "ok")
}
