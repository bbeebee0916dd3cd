package reliability

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/hub/backend/backendtest"
	"github.com/rfterm/rfterm/hub/hubtest"
	"github.com/rfterm/rfterm/internal/netfault"
)

// TestTwoHubsChaos: two orderhub processes serve one PostgreSQL database,
// and the devices' connections are spread over both by a fault proxy in
// front of them (each new connection to the next hub in turn, with the
// faults of TestNetworkChaos); their transactions overlap and conflict.
// The hubs reach the database through a second proxy. Again and again,
// while the devices deliver, every database connection of both hubs is cut
// while one holds an ingest batch, and then the other hub is killed with
// SIGKILL while it holds one (its connections end unanswered) and started
// again. Nothing is lost, nothing applied twice, each device's order is
// kept, and every device had batches applied by both hubs.
func TestTwoHubsChaos(t *testing.T) {
	if !backendtest.OnPostgres() {
		t.Skipf("two hub processes share a database only on PostgreSQL: runs with %s=postgres (make test's second pass)", backendtest.EnvStore)
	}
	devices := 6
	kills := scale(4, 12)
	perPhase := scale(40, 160) // events each device queues between kills
	perDevice := perPhase * (kills + 1)
	backoffCap := 2 * time.Second
	h := hubtest.Start(t, bigSite(t, devices)) // seeds the database; its Store checks what the hubs did

	db, err := url.Parse(h.DB)
	require.NoError(t, err)
	dbProxy, err := netfault.Listen(db.Host) // no faults: Cut only
	require.NoError(t, err)
	t.Cleanup(func() { dbProxy.Close() })
	db.Host = dbProxy.Addr()

	bin := buildOrderhub(t)
	var hubs [2][]*hubProcess // every process that served as hub 0 and hub 1, the last running
	for i := range hubs {
		hubs[i] = append(hubs[i], startOrderhub(t, bin, "--db", db.String()))
	}
	running := func(i int) *hubProcess { return hubs[i][len(hubs[i])-1] }
	proxy, err := netfault.Listen(running(0).addr)
	require.NoError(t, err)
	t.Cleanup(func() { proxy.Close() })
	proxy.SetTargets(running(0).addr, running(1).addr)

	devs := startDevices(t, h, "gun-2h", devices, proxy.Addr(), backoffCap, 2*time.Second)
	t.Cleanup(func() { // on failure, what the hubs said and where the devices stand
		if !t.Failed() {
			return
		}
		for i := range hubs {
			for n, p := range hubs[i] {
				statuses := map[string]int{}
				for _, line := range p.lines() {
					if !strings.Contains(line, "level=INFO") {
						t.Logf("hub %d.%d: %s", i, n, line)
					}
					if _, st, ok := strings.Cut(line, " status="); ok {
						st, _, _ = strings.Cut(st, " ")
						statuses[st]++
					}
				}
				t.Logf("hub %d.%d statuses %v", i, n, statuses)
			}
		}
		for _, d := range devs {
			t.Logf("%s: %+v", d.id, d.sender.Status())
		}
	})
	proxy.SetFaults(chaosFaults())
	inFlight := func(i int, what string) int {
		var batches int
		waitCount(t, func() bool { batches = ingests(proxy.InFlight(running(i).addr)); return batches > 0 },
			fmt.Sprintf("an ingest batch in flight at hub %d (%s)", i, what))
		return batches
	}

	// Each phase: the pickers queue perPhase more events each; while the
	// senders deliver them, the hubs' database connections are all cut
	// while one hub holds a batch, then the other hub is killed while it
	// holds one, and started again.
	var inFlightAtKill []int
	var unanswered int64
	for k := range kills {
		startPicking(t, devs, perPhase).Wait()
		i := k % 2
		inFlight(1-i, "before the database connections are cut")
		dbProxy.Cut()
		victim := running(i)
		batches := inFlight(i, "before the kill")
		before := proxy.Unanswered(victim.addr)
		victim.kill()
		waitCount(t, func() bool { return len(proxy.InFlight(victim.addr)) == 0 }, "the killed hub's connections end")
		inFlightAtKill = append(inFlightAtKill, batches)
		unanswered += proxy.Unanswered(victim.addr) - before
		hubs[i] = append(hubs[i], startOrderhub(t, bin, "--db", db.String()))
		proxy.SetTargets(running(0).addr, running(1).addr)
	}
	startPicking(t, devs, perPhase).Wait()
	waitDelivered(t, h, devs, perDevice) // through the faults still
	faults := healAndCheck(t, h, proxy, devs, perDevice, backoffCap)

	applied := [2]map[string]int{{}, {}} // batches each hub answered 200 to, by device
	for i := range hubs {
		for _, p := range hubs[i] {
			for _, line := range p.lines() {
				if strings.Contains(line, "op=ingestEvents") && strings.Contains(line, "status=200") {
					_, dev, _ := strings.Cut(line, " device=")
					dev, _, _ = strings.Cut(dev, " ")
					applied[i][dev]++
				}
			}
		}
	}
	for _, d := range devs {
		assert.Positive(t, applied[0][d.id], "%s: batches through hub 0", d.id)
		assert.Positive(t, applied[1][d.id], "%s: batches through hub 1", d.id)
	}
	assert.Positive(t, unanswered, "killed in the middle of a batch")
	var rollbacks int64
	require.NoError(t, pgQueryRow(t, h.DB, "SELECT xact_rollback FROM pg_stat_database WHERE datname = current_database()", &rollbacks))
	t.Logf("two hubs, one PostgreSQL: %d devices x %d events; %d SIGKILLs with ingest batches in flight %v, %d requests cut unanswered by them; "+
		"%d cuts of every database connection; %d transactions rolled back (conflicts between the hubs, cut connections); "+
		"batches answered per hub and device: %v / %v; faults: %+v",
		devices, perDevice, kills, inFlightAtKill, unanswered, kills, rollbacks, applied[0], applied[1], faults)
}

// pgQueryRow runs one query on the database at dsn, scanning its one row
// into dest.
func pgQueryRow(t *testing.T, dsn, sql string, dest ...any) error {
	conn, err := pgx.Connect(t.Context(), dsn)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(t.Context()))
	return conn.QueryRow(t.Context(), sql).Scan(dest...)
}

// ingests counts the event batches among requests in flight.
func ingests(requests []string) int {
	n := 0
	for _, r := range requests {
		if strings.HasPrefix(r, "POST /v1/events ") {
			n++
		}
	}
	return n
}
