package outbox

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/domain"
)

// TestStartCheckIsBoundedForACleanFile: a store closed cleanly and larger
// than QuickAbove is checked quickly at Open, and whole in the background;
// one that was not closed (a crash) is checked whole before use.
func TestStartCheckIsBoundedForACleanFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "device.db")
	opts := Options{QuickAbove: 1} // every file counts as large
	s, err := Open(path, "gun-01", opts)
	require.NoError(t, err)
	assert.Equal(t, CheckedWhole, s.StartCheck(), "a new file was never closed cleanly")
	_, err = s.Commit("U1", work{"step"}, []domain.Draft{draft(1)})
	require.NoError(t, err)
	require.NoError(t, s.Close())

	s, err = Open(path, "gun-01", opts)
	require.NoError(t, err)
	assert.Equal(t, CheckedQuick, s.StartCheck(), "closed cleanly: a quick check")
	require.NoError(t, s.CheckInBackground())
	require.NoError(t, s.DB().Close()) // a crash: not closed cleanly

	s, err = Open(path, "gun-01", opts)
	require.NoError(t, err)
	assert.Equal(t, CheckedWhole, s.StartCheck(), "after a crash: the whole file")
	require.NoError(t, s.Close())

	s, err = Open(path, "gun-01", Options{})
	require.NoError(t, err)
	assert.Equal(t, CheckedWhole, s.StartCheck(), "a small file: always whole")
	require.NoError(t, s.Close())
}

// TestDamageFoundInTheBackgroundIsNotTrustedAgain: a clean file damaged on
// disk since (a page the quick check does not read), opened with the quick
// check, is found damaged by the background check; it is not marked clean
// at Close, and the next start checks it whole and moves it aside.
func TestDamageFoundInTheBackgroundIsNotTrustedAgain(t *testing.T) {
	const marker = "LATE-WORK-PAGE-MARKER"
	path := filepath.Join(t.TempDir(), "device.db")
	s, err := Open(path, "gun-01", Options{})
	require.NoError(t, err)
	for i := 0; i < 40; i++ { // the first leaves of the work bucket
		_, err := s.Commit(fmt.Sprintf("a-%02d", i), work{"step"}, nil)
		require.NoError(t, err)
	}
	_, err = s.Commit("z-late", struct{ Marker, Pad string }{marker, strings.Repeat("x", 3*os.Getpagesize())}, nil)
	require.NoError(t, err)
	require.NoError(t, s.Close())
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Equal(t, 1, bytes.Count(raw, []byte(marker)))
	page := int64(bytes.Index(raw, []byte(marker)) / os.Getpagesize() * os.Getpagesize())
	damage(t, path, page, bytes.Repeat([]byte{0xA5}, os.Getpagesize()))

	s, err = Open(path, "gun-01", Options{QuickAbove: 1})
	require.NoError(t, err)
	require.Equal(t, CheckedQuick, s.StartCheck(), "closed cleanly: quick, and the damage is beyond what it reads")
	require.ErrorIs(t, s.CheckInBackground(), ErrCorrupt, "the background check finds it")
	require.NoError(t, s.Close())

	s, err = Open(path, "gun-01", Options{QuickAbove: 1})
	require.NoError(t, err)
	assert.Equal(t, CheckedWhole, s.StartCheck(), "not trusted again")
	_, found := s.Recovered()
	assert.True(t, found, "checked whole and moved aside")
	require.NoError(t, s.Close())
}
