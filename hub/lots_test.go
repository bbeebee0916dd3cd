package hub_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/hub/hubtest"
)

// lotSite is the demo site with two lots of GL-7731 at C-01-01 and a
// serial rule on DR-5520.
func lotSite(t *testing.T) domain.Site {
	site := demoSite(t)
	site.Lots = append(site.Lots,
		domain.LotStock{Location: "C-01-01", SKU: "GL-7731", Lot: "L-B", Expiry: "2027-03-01"},
		domain.LotStock{Location: "C-01-01", SKU: "GL-7731", Lot: "L-A", Expiry: "2026-12-31"},
	)
	for i := range site.Items {
		if site.Items[i].SKU == "DR-5520" {
			site.Items[i].SerialPattern = `SN[A-Z]{2}[0-9]{7}`
		}
	}
	return site
}

// lineOf is the claimed task's line of sku.
func lineOf(t *testing.T, c api.ClaimResponse, sku string) domain.TaskLine {
	t.Helper()
	for _, l := range c.Task.Lines {
		if l.SKU == sku {
			return l
		}
	}
	t.Fatalf("task %s has no %s", c.Task.ID, sku)
	return domain.TaskLine{}
}

// TestPickedLotMustBeKnownAtTheLocation: the claim carries each line's
// lots first expiry first, and a lot the location does not hold is
// rejected (naming the lots there), leaving nothing picked.
func TestPickedLotMustBeKnownAtTheLocation(t *testing.T) {
	f := newFixture(t, lotSite(t))
	c := f.claim("u1001")
	require.Equal(t, task3, c.Task.ID)
	l := lineOf(t, c, "GL-7731")
	assert.Equal(t, []domain.LotExpiry{{Lot: "L-A", Expiry: "2026-12-31"}, {Lot: "L-B", Expiry: "2027-03-01"}}, l.KnownLots)
	assert.Empty(t, lineOf(t, c, "SF-0201").KnownLots, "no lots kept for an item without lots")

	bad := pick(l.Line, "GL-7731", 1)
	bad.Lots = []domain.LotQty{{Lot: "L999999", Qty: 1}}
	good := pick(l.Line, "GL-7731", 2)
	good.Lots = []domain.LotQty{{Lot: "L-B", Qty: 2}}
	res := f.send(
		f.ev("l1", domain.EventTaskStarted, "u1001", domain.TaskStarted{TaskID: task3, Tote: "T00001"}),
		f.ev("l2", domain.EventLinePicked, "u1001", bad),
		f.ev("l3", domain.EventLinePicked, "u1001", good),
	)
	assert.Equal(t, api.CodeUnknownLot, res[1].Code)
	assert.Contains(t, res[1].Message, "L-A (exp 2026-12-31), L-B")
	assert.Equal(t, api.StatusApplied, res[2].Status, res[2].Message)
	assert.Equal(t, 2, lineOf(t, api.ClaimResponse{Task: f.task(task3)}, "GL-7731").Picked)
}

// TestPickedSerialFollowsTheRuleAndIsUniqueOnTheSite: a serial must match
// the item's rule, be given once, and not be picked for another live
// order; a serial of a cancelled order is back in stock.
func TestPickedSerialFollowsTheRuleAndIsUniqueOnTheSite(t *testing.T) {
	f := newFixture(t, lotSite(t))
	cx := ctx(t)
	_, err := f.admin().ReassignTask(cx, "T-SO-10002", "u1002")
	require.NoError(t, err)
	_, err = f.admin().ReassignTask(cx, "T-SO-10010", "u1003")
	require.NoError(t, err)
	a, b := f.claim("u1002"), f.claim("u1003")
	require.Equal(t, "T-SO-10002", a.Task.ID)
	require.Equal(t, "T-SO-10010", b.Task.ID)
	serial := func(c api.ClaimResponse, sku string, serials ...string) domain.PickLine {
		l := lineOf(t, c, sku)
		return domain.PickLine{TaskID: c.Task.ID, Line: l.Line, SKU: sku, Picked: len(serials), Serials: serials}
	}
	res := f.send(
		f.ev("s1", domain.EventTaskStarted, "u1002", domain.TaskStarted{TaskID: a.Task.ID, Tote: "T00002"}),
		f.ev("s2", domain.EventTaskStarted, "u1003", domain.TaskStarted{TaskID: b.Task.ID, Tote: "T00003"}),
		f.ev("s3", domain.EventLinePicked, "u1002", serial(a, "DR-5520", "x")),
		f.ev("s4", domain.EventLinePicked, "u1002", serial(a, "BT-1850", "SNBT000000001", "SNBT000000001")),
		f.ev("s5", domain.EventLinePicked, "u1002", serial(a, "DR-5520", "SNDR5520001")),
		f.ev("s6", domain.EventLinePicked, "u1003", serial(b, "DR-5520", "SNDR5520001")),
	)
	codes := []string{res[0].Code, res[1].Code, res[2].Code, res[3].Code, res[4].Code, res[5].Code}
	assert.Equal(t, []string{"", "", api.CodeSerialRule, api.CodeSerialUsed, "", api.CodeSerialUsed}, codes)
	assert.Contains(t, res[2].Message, "serial rule")
	assert.Contains(t, res[5].Message, "already picked for order SO-10002")

	_, err = f.admin().CancelOrder(cx, "SO-10002", "customer")
	require.NoError(t, err)
	res = f.send(f.ev("s7", domain.EventLinePicked, "u1003", serial(b, "DR-5520", "SNDR5520001")))
	assert.Equal(t, api.StatusApplied, res[0].Status, "back in stock once the order is cancelled: %s", res[0].Message)
}

// TestSeedRefusesBadLotsAndSerialRules: lots of unknown or untracked
// items, unknown locations, bad expiries and serial rules that do not
// compile are refused at seed.
func TestSeedRefusesBadLotsAndSerialRules(t *testing.T) {
	for name, change := range map[string]func(*domain.Site){
		"untracked item": func(s *domain.Site) { s.Lots = []domain.LotStock{{Location: "C-01-01", SKU: "SF-0201", Lot: "L1"}} },
		"unknown place":  func(s *domain.Site) { s.Lots = []domain.LotStock{{Location: "Z-99-99", SKU: "GL-7731", Lot: "L1"}} },
		"bad expiry":     func(s *domain.Site) { s.Lots[0].Expiry = "31/12/2026" },
		"twice":          func(s *domain.Site) { s.Lots = append(s.Lots, s.Lots[0]) },
		"bad rule": func(s *domain.Site) {
			for i := range s.Items {
				if s.Items[i].SKU == "DR-5520" {
					s.Items[i].SerialPattern = "SN[0-9"
				}
			}
		},
	} {
		site := lotSite(t)
		change(&site)
		assert.Error(t, hubtest.NewStore(t).Seed(t.Context(), site), name)
	}
	assert.NoError(t, hubtest.NewStore(t).Seed(t.Context(), lotSite(t)))
}
