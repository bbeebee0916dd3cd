package outbox

import (
	"bytes"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	bolt "go.etcd.io/bbolt"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/terminal/sync/internal/kv"
)

var t0 = time.Date(2026, 11, 21, 8, 0, 0, 0, time.UTC)

func openTemp(t *testing.T) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "device.db")
	s, err := Open(path, "gun-01", Options{})
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	return s, path
}

func draft(n int) domain.Draft {
	return domain.NewDraft(domain.EventLinePicked, t0.Add(time.Duration(n)*time.Second), "U1", domain.PickLine{TaskID: "TK-1", Line: n, Picked: 1})
}

type work struct{ Step string }

func TestCommitWritesStateAndEventsTogether(t *testing.T) {
	s, path := openTemp(t)
	evs, err := s.Commit("U1", work{"item"}, []domain.Draft{draft(1), draft(2)})
	require.NoError(t, err)
	require.Len(t, evs, 2)
	assert.Equal(t, []uint64{1, 2}, []uint64{evs[0].Seq, evs[1].Seq})
	assert.NotEqual(t, evs[0].ID, evs[1].ID)
	assert.Equal(t, "gun-01", evs[0].DeviceID)

	require.NoError(t, s.Close())
	s, err = Open(path, "gun-01", Options{})
	require.NoError(t, err)
	defer s.Close()
	var w work
	found, err := s.LoadWork("U1", &w)
	require.NoError(t, err)
	assert.True(t, found)
	assert.Equal(t, "item", w.Step)

	evs, err = s.Commit("U1", nil, []domain.Draft{draft(3)})
	require.NoError(t, err)
	assert.Equal(t, uint64(3), evs[0].Seq, "sequence continues after reopening")
	found, err = s.LoadWork("U1", &w)
	require.NoError(t, err)
	assert.False(t, found, "nil state deletes the work")

	pending, err := s.Pending(10, 1<<20)
	require.NoError(t, err)
	require.Len(t, pending, 3)
	for i, ev := range pending {
		assert.Equal(t, uint64(i+1), ev.Seq)
	}
}

func TestCommitFailureLeavesNothing(t *testing.T) {
	s, _ := openTemp(t)
	bad := domain.NewDraft(domain.EventLinePicked, t0, "U1", func() {}) // cannot be encoded
	_, err := s.Commit("U1", work{"x"}, []domain.Draft{draft(1), bad})
	require.Error(t, err)
	var w work
	found, err := s.LoadWork("U1", &w)
	require.NoError(t, err)
	assert.False(t, found, "state of a failed commit is not saved")
	st, err := s.Stats()
	require.NoError(t, err)
	assert.Equal(t, 0, st.Queued)
}

func TestPendingLimits(t *testing.T) {
	s, _ := openTemp(t)
	for i := 1; i <= 5; i++ {
		_, err := s.Commit("", nil, []domain.Draft{draft(i)})
		require.NoError(t, err)
	}
	evs, err := s.Pending(3, 1<<20)
	require.NoError(t, err)
	assert.Len(t, evs, 3)
	evs, err = s.Pending(10, 1)
	require.NoError(t, err)
	assert.Len(t, evs, 1, "at least one event even when it is larger than maxBytes")
}

func TestSettle(t *testing.T) {
	s, _ := openTemp(t)
	evs, err := s.Commit("", nil, []domain.Draft{draft(1), draft(2), draft(3)})
	require.NoError(t, err)
	st, err := s.Stats()
	require.NoError(t, err)
	assert.Equal(t, Stats{Queued: 3, Oldest: t0.Add(time.Second)}, st)

	err = s.Settle([]api.EventResult{
		{ID: evs[0].ID, Seq: 1, Status: api.StatusApplied},
		{ID: evs[1].ID, Seq: 2, Status: api.StatusRejected, Code: api.CodeOrderCancelled, Message: "order SO-1 was cancelled"},
	}, t0)
	require.NoError(t, err)
	st, err = s.Stats()
	require.NoError(t, err)
	assert.Equal(t, Stats{Queued: 1, Oldest: t0.Add(3 * time.Second), Attention: 1, AttentionBy: map[string]int{"U1": 1}}, st)
	rej, err := s.Attention()
	require.NoError(t, err)
	require.Len(t, rej, 1)
	assert.Equal(t, api.CodeOrderCancelled, rej[0].Code)
	assert.Equal(t, evs[1].ID, rej[0].Event.ID)

	// A repeated answer changes nothing; an answer naming the wrong event is refused.
	require.NoError(t, s.Settle([]api.EventResult{{ID: evs[0].ID, Seq: 1, Status: api.StatusDuplicate}}, t0))
	assert.Error(t, s.Settle([]api.EventResult{{ID: "other", Seq: 3, Status: api.StatusApplied}}, t0))
	assert.Error(t, s.Settle([]api.EventResult{{ID: evs[2].ID, Seq: 3, Status: "maybe"}}, t0))
	st, _ = s.Stats()
	assert.Equal(t, 1, st.Queued, "nothing lost by a bad answer")
}

func TestOpenTwiceIsRefused(t *testing.T) {
	_, path := openTemp(t)
	_, err := Open(path, "gun-01", Options{Timeout: 50 * time.Millisecond})
	require.Error(t, err)
	assert.True(t, errors.Is(err, ErrLocked), "%v", err)
}

func TestStoreBelongsToOneDevice(t *testing.T) {
	s, path := openTemp(t)
	require.NoError(t, s.Close())
	_, err := Open(path, "gun-02", Options{})
	assert.ErrorContains(t, err, "gun-01")
}

func TestUsersAndToken(t *testing.T) {
	s, _ := openTemp(t)
	tok, err := s.Token()
	require.NoError(t, err)
	assert.Empty(t, tok)
	require.NoError(t, s.SetToken("abc"))
	tok, _ = s.Token()
	assert.Equal(t, "abc", tok)
	_, found, err := s.UserByBadge("U1001")
	require.NoError(t, err)
	assert.False(t, found)
	require.NoError(t, s.RememberUser(domain.User{ID: "u1", Badge: "U1001", Name: "Ana"}))
	u, found, _ := s.UserByBadge("U1001")
	assert.True(t, found)
	assert.Equal(t, "Ana", u.Name)
}

func TestAdviceAndDismiss(t *testing.T) {
	for _, code := range []string{api.CodeOrderCancelled, api.CodeTaskNotHeld, api.CodeOverQuantity, api.CodeUnknownItem,
		api.CodeUnknownLine, api.CodeNotFound, api.CodeBadRequest, api.CodeForbidden, "something_new"} {
		a := AdviceFor(code)
		assert.NotEmpty(t, a.Reason, code)
		assert.NotEmpty(t, a.Action, code)
	}
	// Every refusal a device can get has words of its own, not the fallback.
	for _, code := range []string{api.CodeOrderShipped, api.CodeNotPacking, api.CodeSSCCInvalid, api.CodeSSCCUsed,
		api.CodeShipIncomplete, api.CodeAlreadyCounted, api.CodeRMAClosed, api.CodeSerialNotShipped} {
		assert.NotContains(t, AdviceFor(code).Reason, "Refused by the hub", code)
	}
	assert.Contains(t, AdviceFor(api.CodeOrderCancelled).Action, "tote")
	assert.Contains(t, AdviceFor("something_new").Reason, "something_new")
	// Every refusal of a dock step has words of its own; a cancelled
	// order's carton at the dock is not about picking.
	for _, code := range []string{api.CodeUnknownSSCC, api.CodeWrongLoad, api.CodeOrderHeld, api.CodeOrderCancelled,
		api.CodeAlreadyLoaded, api.CodeLoadClosed, api.CodeLoadIncomplete, api.CodeOverrideInvalid} {
		for _, typ := range []domain.EventType{domain.EventCartonStaged, domain.EventCartonLoaded, domain.EventLoadClosed} {
			a := AdviceForEvent(code, typ)
			assert.NotContains(t, a.Reason, "Refused by the hub", code)
			assert.NotContains(t, a.Action, "tote", "%s of %s", code, typ)
			assert.NotContains(t, a.Action, "pick", "%s of %s", code, typ)
		}
	}
	assert.Contains(t, AdviceForEvent(api.CodeOrderCancelled, domain.EventCartonLoaded).Action, "trailer")
	assert.Equal(t, AdviceFor(api.CodeOrderCancelled), AdviceForEvent(api.CodeOrderCancelled, domain.EventLinePicked))

	store, _ := openTemp(t)
	evs, err := store.Commit("", nil, []domain.Draft{draft(1)})
	require.NoError(t, err)
	require.NoError(t, store.Settle([]api.EventResult{{ID: evs[0].ID, Seq: evs[0].Seq, Status: api.StatusRejected, Code: api.CodeOrderCancelled, Message: "x"}}, time.Now()))
	rej, err := store.Attention()
	require.NoError(t, err)
	require.Len(t, rej, 1)
	assert.Equal(t, "Order cancelled", rej[0].Advice().Reason)
	require.NoError(t, store.Dismiss(rej[0].Event.Seq))
	rej, err = store.Attention()
	require.NoError(t, err)
	assert.Empty(t, rej)
	require.NoError(t, store.Dismiss(99), "dismissing twice is fine")
}

// TestAttentionPerUser: each user sees the refusals of their own steps (and
// any whose user cannot be read); the counts by user follow Settle and
// Dismiss, and a fresh count at Open agrees with the kept one.
func TestAttentionPerUser(t *testing.T) {
	s, path := openTemp(t)
	by := func(user string, n int) domain.Draft {
		return domain.NewDraft(domain.EventLinePicked, t0, user, domain.PickLine{TaskID: "TK-1", Line: n, Picked: 1})
	}
	evs, err := s.Commit("", nil, []domain.Draft{by("ana", 1), by("tom", 2), by("tom", 3), by("ana", 4)})
	require.NoError(t, err)
	var results []api.EventResult
	for _, ev := range evs[:3] {
		results = append(results, api.EventResult{ID: ev.ID, Seq: ev.Seq, Status: api.StatusRejected, Code: api.CodeTaskNotHeld})
	}
	require.NoError(t, s.Settle(results, t0))
	st, err := s.Stats()
	require.NoError(t, err)
	assert.Equal(t, Stats{Queued: 1, Oldest: t0, Attention: 3, AttentionBy: map[string]int{"ana": 1, "tom": 2}}, st)

	mine, err := s.AttentionFor("tom")
	require.NoError(t, err)
	require.Len(t, mine, 2)
	assert.Equal(t, []uint64{2, 3}, []uint64{mine[0].Event.Seq, mine[1].Event.Seq})
	none, err := s.AttentionFor("grace")
	require.NoError(t, err)
	assert.Empty(t, none)
	all, err := s.Attention()
	require.NoError(t, err)
	assert.Len(t, all, 3, "a lead sees everyone's")

	require.NoError(t, s.Dismiss(2))
	require.NoError(t, s.Dismiss(2), "twice changes nothing")
	st, err = s.Stats()
	require.NoError(t, err)
	assert.Equal(t, map[string]int{"ana": 1, "tom": 1}, st.AttentionBy)
	assert.Equal(t, 2, st.Attention)

	st.AttentionBy["ana"] = 99 // the caller's copy
	st, err = s.Stats()
	require.NoError(t, err)
	assert.Equal(t, 1, st.AttentionBy["ana"])
	require.NoError(t, s.Close())
	s, err = Open(path, "gun-01", Options{})
	require.NoError(t, err)
	defer s.Close()
	again, err := s.Stats()
	require.NoError(t, err)
	assert.Equal(t, Stats{Queued: 1, Oldest: t0, Attention: 2, AttentionBy: map[string]int{"ana": 1, "tom": 1}}, again, "counted afresh at Open")
}

// TestPendingSetsAsideAnUnreadableEntry: an entry that does not decode
// leaves the queue for the needs-attention list, counted for its user.
func TestPendingSetsAsideAnUnreadableEntry(t *testing.T) {
	s, _ := openTemp(t)
	evs, err := s.Commit("", nil, []domain.Draft{draft(1), draft(2), draft(3)})
	require.NoError(t, err)
	require.NoError(t, s.db.Update(func(tx *bolt.Tx) error {
		raw := bytes.Replace(tx.Bucket(bucketOutbox).Get(kv.SeqKey(1)), []byte(`"type":"`), []byte(`"type":`), 1)
		return tx.Bucket(bucketOutbox).Put(kv.SeqKey(1), raw)
	}))
	pending, err := s.Pending(10, 1<<20)
	require.NoError(t, err)
	assert.Equal(t, evs[1:], pending)
	st, err := s.Stats()
	require.NoError(t, err)
	assert.Equal(t, 2, st.Queued)
	assert.Equal(t, map[string]int{"U1": 1}, st.AttentionBy, "the user is made out of the damaged entry")
	attn, err := s.AttentionFor("U1")
	require.NoError(t, err)
	require.Len(t, attn, 1)
	assert.Equal(t, uint64(1), attn[0].Event.Seq)
	assert.Equal(t, CodeUnreadable, attn[0].Code)
	assert.Contains(t, attn[0].Advice().Action, "step 1")
	require.NoError(t, s.Dismiss(1))
	st, err = s.Stats()
	require.NoError(t, err)
	assert.Zero(t, st.Attention)
}

type resultForTest struct {
	id  string
	seq uint64
}

func applied(rs []resultForTest) []api.EventResult {
	out := make([]api.EventResult, len(rs))
	for i, r := range rs {
		out[i] = api.EventResult{ID: r.id, Seq: r.seq, Status: api.StatusApplied}
	}
	return out
}
