package outbox

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/domain"
)

// fillStore makes a closed store at path with n queued events and returns it.
func fillStore(t *testing.T, path string, n int) {
	t.Helper()
	s, err := Open(path, "gun-01", Options{})
	require.NoError(t, err)
	for i := 1; i <= n; i++ {
		_, err := s.Commit("U1", work{"step"}, []domain.Draft{draft(i)})
		require.NoError(t, err)
	}
	require.NoError(t, s.Close())
}

// damage overwrites len(junk) bytes of the file at off.
func damage(t *testing.T, path string, off int64, junk []byte) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	require.NoError(t, err)
	_, err = f.WriteAt(junk, off)
	require.NoError(t, err)
	require.NoError(t, f.Close())
}

func junk(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*7 + 3)
	}
	return b
}

func TestOpenMovesADamagedStoreAside(t *testing.T) {
	for name, tc := range map[string]struct {
		off    int64
		n      int
		unsent int // -1: unreadable
	}{
		"meta pages": {0, 2 * os.Getpagesize(), -1},
		"data pages": {2 * int64(os.Getpagesize()), 6 * os.Getpagesize(), -2}, // -2: whatever could be read
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "device.db")
			fillStore(t, path, 40)
			damage(t, path, tc.off, junk(tc.n))
			require.Error(t, CheckFile(path, time.Second))

			at := time.Date(2026, 11, 21, 5, 6, 7, 0, time.UTC)
			s, err := Open(path, "gun-01", Options{Now: func() time.Time { return at }})
			require.NoError(t, err)
			defer s.Close()
			rec, ok := s.Recovered()
			require.True(t, ok)
			assert.Equal(t, path+".corrupt-20261121T050607.000Z", rec.MovedTo)
			assert.FileExists(t, rec.MovedTo)
			assert.NotEmpty(t, rec.Problem)
			if tc.unsent != -2 {
				assert.Equal(t, tc.unsent, rec.Unsent)
			}
			assert.Contains(t, rec.String(), rec.MovedTo)
			assert.Contains(t, rec.String(), "unsent")

			t.Log(rec)
			st, err := s.Stats()
			require.NoError(t, err)
			assert.Equal(t, rec.Carried, st.Queued, "what could be read is carried over")
			assert.Len(t, rec.Lost, max(rec.Unsent, 0)-rec.Carried, "every unsent event is carried or said lost")
			evs, err := s.Commit("", nil, []domain.Draft{draft(1)})
			require.NoError(t, err)
			if rec.Unsent > 0 {
				assert.Equal(t, rec.LastSeq+1, evs[0].Seq, "the sequence carries on")
			}
			require.NoError(t, checkDB(s.db))
		})
	}
}

func TestOpenSoundStoreIsNotRecovered(t *testing.T) {
	s, path := openTemp(t)
	_, ok := s.Recovered()
	assert.False(t, ok)
	require.NoError(t, s.Close())
	require.NoError(t, CheckFile(path, time.Second))
	matches, err := filepath.Glob(path + ".corrupt-*")
	require.NoError(t, err)
	assert.Empty(t, matches)
}

func TestLockedErrorNamesTheFile(t *testing.T) {
	_, path := openTemp(t)
	_, err := Open(path, "gun-01", Options{Timeout: 20 * time.Millisecond})
	var le *LockedError
	require.True(t, errors.As(err, &le), "%v", err)
	assert.Equal(t, path, le.Path)
	assert.Contains(t, err.Error(), "another rfterm has "+path+" open")
	assert.ErrorIs(t, CheckFile(path, 20*time.Millisecond), ErrLocked)
	_, _, err = CompactFile(path, 20*time.Millisecond)
	assert.ErrorIs(t, err, ErrLocked)
}

func TestCompactFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "device.db")
	fillStore(t, path, 500)
	s, err := Open(path, "gun-01", Options{})
	require.NoError(t, err)
	evs, err := s.Pending(1000, 1<<30)
	require.NoError(t, err)
	require.Len(t, evs, 500)
	var results []resultForTest
	for _, ev := range evs[:490] {
		results = append(results, resultForTest{ev.ID, ev.Seq})
	}
	require.NoError(t, s.Settle(applied(results), t0))
	require.NoError(t, s.Close())

	before, after, err := CompactFile(path, time.Second)
	require.NoError(t, err)
	assert.Less(t, after, before, "free pages are gone")
	require.NoError(t, CheckFile(path, time.Second))
	s, err = Open(path, "gun-01", Options{})
	require.NoError(t, err)
	defer s.Close()
	left, err := s.Pending(1000, 1<<30)
	require.NoError(t, err)
	assert.Equal(t, evs[490:], left, "nothing lost")
	more, err := s.Commit("", nil, []domain.Draft{draft(501)})
	require.NoError(t, err)
	assert.Equal(t, uint64(501), more[0].Seq, "the sequence carries on")
}

// TestOpenQuarantinesAnEmptyStore: a zero-length store (a file system that
// lost the file's contents) is not a new store: it is moved aside like a
// damaged one, and the recovery says the file was empty.
func TestOpenQuarantinesAnEmptyStore(t *testing.T) {
	path := filepath.Join(t.TempDir(), "device.db")
	require.NoError(t, os.WriteFile(path, nil, 0o600))
	require.ErrorIs(t, CheckFile(path, time.Second), ErrCorrupt)
	s, err := Open(path, "gun-01", Options{})
	require.NoError(t, err)
	defer s.Close()
	rec, ok := s.Recovered()
	require.True(t, ok, "an empty file is reported, never silently replaced")
	assert.Contains(t, rec.Problem, "empty")
	assert.Equal(t, -1, rec.Unsent)
	fi, err := os.Stat(rec.MovedTo)
	require.NoError(t, err)
	assert.Zero(t, fi.Size(), "the empty file is kept as it was")
	assert.Contains(t, rec.String(), "lost")
}

// TestCompactRefusesAnEmptyFile: compacting a zero-length file must not
// turn it into a sound, empty store.
func TestCompactRefusesAnEmptyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "device.db")
	require.NoError(t, os.WriteFile(path, nil, 0o600))
	_, _, err := CompactFile(path, time.Second)
	require.ErrorIs(t, err, ErrCorrupt)
	fi, err := os.Stat(path)
	require.NoError(t, err)
	assert.Zero(t, fi.Size())
}

// TestOpenCarriesWhatItCanRead: a damaged page in the middle of the queue
// loses the events on it, by number; the rest are carried into the new
// store as they were.
func TestOpenCarriesWhatItCanRead(t *testing.T) {
	path := filepath.Join(t.TempDir(), "device.db")
	s, err := Open(path, "gun-01", Options{})
	require.NoError(t, err)
	drafts := make([]domain.Draft, 300)
	for i := range drafts {
		drafts[i] = draft(i + 1)
	}
	evs, err := s.Commit("", nil, drafts) // one transaction: each page written once
	require.NoError(t, err)
	require.NoError(t, s.Close())

	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Equal(t, 1, bytes.Count(raw, []byte(evs[149].ID)))
	page := os.Getpagesize()
	damage(t, path, int64(bytes.Index(raw, []byte(evs[149].ID))/page*page), junk(page))

	s, err = Open(path, "gun-01", Options{})
	require.NoError(t, err)
	defer s.Close()
	rec, ok := s.Recovered()
	require.True(t, ok)
	t.Log(rec)
	assert.Equal(t, 300, rec.Unsent)
	assert.Contains(t, rec.Lost, uint64(150), "the damaged page's events are named")
	assert.Equal(t, 300, rec.Carried+len(rec.Lost))
	assert.Greater(t, rec.Carried, 200, "only one page is lost")
	assert.Contains(t, rec.String(), "unreadable and lost")
	left, err := s.Pending(1000, 1<<30)
	require.NoError(t, err)
	assert.Len(t, left, rec.Carried)
	for _, ev := range left {
		assert.Equal(t, evs[ev.Seq-1], ev, "carried as it was")
	}
}
