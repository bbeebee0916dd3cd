package sender_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/hub/hubtest"
	"github.com/rfterm/rfterm/terminal/sync/internal/synctest"
	"github.com/rfterm/rfterm/terminal/sync/outbox"
	"github.com/rfterm/rfterm/terminal/sync/sender"
)

// bigWork is a saved work state large enough to live on a page of its own,
// starting with a marker the test finds in the file.
type bigWork struct {
	Marker string
	Pad    string
}

const workMarker = "WORK-STATE-ON-ITS-OWN-PAGE"

// damagePageHolding overwrites, with junk, the page of the file at path
// that holds marker (which must occur once).
func damagePageHolding(t *testing.T, path, marker string) {
	t.Helper()
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Equal(t, 1, bytes.Count(raw, []byte(marker)), "the marker is on one page")
	page := os.Getpagesize()
	off := bytes.Index(raw, []byte(marker)) / page * page
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	require.NoError(t, err)
	_, err = f.WriteAt(bytes.Repeat([]byte{0xA5}, page), int64(off))
	require.NoError(t, err)
	require.NoError(t, f.Close())
}

// TestDamagedStoreEventsDeliveredOnce is issue 12's finding 3: a store whose
// saved work is damaged is moved aside, and every queued event it could
// still read is carried into the new store with its id and sequence number:
// those the hub had already taken (delivered, the answer lost in the crash)
// are answered "duplicate", the others applied, each exactly once.
func TestDamagedStoreEventsDeliveredOnce(t *testing.T) {
	h := hubtest.StartDemo(t)
	task := claimed(t, h)
	path := filepath.Join(t.TempDir(), "device.db")
	store, err := outbox.Open(path, synctest.Device, outbox.Options{})
	require.NoError(t, err)
	_, err = store.Commit("u1001", bigWork{Marker: workMarker, Pad: strings.Repeat("x", 1500)}, nil)
	require.NoError(t, err)
	queued, err := store.Commit("", nil, pickDrafts(task, "u1001"))
	require.NoError(t, err)
	more, err := store.Commit("", nil, []domain.Draft{domain.NewDraft(domain.EventTaskCompleted, time.Now(), "u1001",
		domain.TaskCompleted{TaskID: task.ID, Tote: "T00001"})})
	require.NoError(t, err)
	queued = append(queued, more...)

	// The first event reached the hub, but the device never recorded the answer.
	client := api.NewClient(h.URL(), nil).WithToken(h.Register(synctest.Device))
	res, err := client.SendEvents(context.Background(), api.IngestRequest{DeviceID: synctest.Device, Events: queued[:1]})
	require.NoError(t, err)
	require.Equal(t, api.StatusApplied, res.Results[0].Status)
	require.NoError(t, store.Close())

	damagePageHolding(t, path, workMarker)
	require.ErrorIs(t, outbox.CheckFile(path, time.Second), outbox.ErrCorrupt)
	store, err = outbox.Open(path, synctest.Device, outbox.Options{})
	require.NoError(t, err)
	t.Cleanup(func() { store.Close() })
	rec, ok := store.Recovered()
	require.True(t, ok)
	assert.Equal(t, len(queued), rec.Carried, "%s", rec)
	assert.Empty(t, rec.Lost)
	assert.True(t, rec.Complete)
	assert.Contains(t, rec.String(), "carried")
	pending, err := store.Pending(100, 1<<20)
	require.NoError(t, err)
	assert.Equal(t, queued, pending, "the same events, ids and sequence numbers")
	next, err := store.Commit("", nil, []domain.Draft{domain.NewDraft(domain.EventTaskStarted, time.Now(), "u1001", domain.TaskStarted{TaskID: "other"})})
	require.NoError(t, err)
	assert.Equal(t, queued[len(queued)-1].Seq+1, next[0].Seq, "the sequence carries on")

	// A new store enrols again, as device.Open does.
	s := quickSender(t, store, h.URL(), h.Register(synctest.Device))
	waitStatus(t, s, func(st sender.SyncStatus) bool { return st.Online && st.Queued == 0 })
	attn, err := store.Attention()
	require.NoError(t, err)
	require.Len(t, attn, 1, "only the step on a task the hub does not know is refused")
	assert.Equal(t, next[0].ID, attn[0].Event.ID)
	got, err := h.Store.Task(t.Context(), task.ID)
	require.NoError(t, err)
	assert.Equal(t, task.Lines[0].Qty, got.Lines[0].Picked, "applied once, not twice")
	log, err := h.Store.DeviceLog(t.Context(), synctest.Device)
	require.NoError(t, err)
	seen := map[string]int{}
	for _, e := range log {
		seen[e.ID]++
	}
	for _, ev := range queued {
		assert.Equal(t, 1, seen[ev.ID], "event %d taken once", ev.Seq)
	}
}
