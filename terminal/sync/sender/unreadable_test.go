package sender_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	bolt "go.etcd.io/bbolt"

	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/hub/hubtest"
	"github.com/rfterm/rfterm/terminal/sync/internal/kv"
	"github.com/rfterm/rfterm/terminal/sync/internal/synctest"
	"github.com/rfterm/rfterm/terminal/sync/outbox"
	"github.com/rfterm/rfterm/terminal/sync/sender"
)

// TestUnreadableEntryDoesNotBlockTheQueue is issue 12's finding 4: one
// outbox entry with a flipped byte inside a JSON value (which the file's
// check passes) goes to the needs-attention list under its sequence number,
// for the user who did the step, and the events after it are delivered.
func TestUnreadableEntryDoesNotBlockTheQueue(t *testing.T) {
	h := hubtest.StartDemo(t)
	store := synctest.OpenStore(t)
	task := claimed(t, h)
	evs, err := store.Commit("", nil, pickDrafts(task, "u1001"))
	require.NoError(t, err)
	more, err := store.Commit("", nil, []domain.Draft{domain.NewDraft(domain.EventTaskCompleted, time.Now(), "u1001",
		domain.TaskCompleted{TaskID: task.ID, Tote: "T00001"})})
	require.NoError(t, err)
	evs = append(evs, more...)
	require.NoError(t, store.DB().Update(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte("outbox"))
		raw := bytes.Clone(b.Get(kv.SeqKey(2)))
		i := bytes.Index(raw, []byte(`"picked":`))
		require.Positive(t, i)
		raw[i+len(`"picked":`)] ^= 0x40 // a digit becomes a letter
		return b.Put(kv.SeqKey(2), raw)
	}))

	s := quickSender(t, store, h.URL(), h.Register(synctest.Device))
	st := waitStatus(t, s, func(st sender.SyncStatus) bool { return st.Online && st.Queued == 0 })
	assert.Equal(t, 1, st.AttentionFor("u1001"), "the user who did the step sees it")
	attn, err := store.Attention()
	require.NoError(t, err)
	require.Len(t, attn, 1)
	assert.Equal(t, uint64(2), attn[0].Event.Seq)
	assert.Equal(t, outbox.CodeUnreadable, attn[0].Code)
	assert.Contains(t, attn[0].Advice().Action, "2", "the advice names the step's number")
	assert.NotEmpty(t, attn[0].Unreadable, "the bytes are kept for support")

	log, err := h.Store.DeviceLog(t.Context(), synctest.Device)
	require.NoError(t, err)
	var seqs []uint64
	for _, e := range log {
		seqs = append(seqs, e.Seq)
	}
	assert.Equal(t, []uint64{1, 3}, seqs, "the rest of the queue was delivered")
}
