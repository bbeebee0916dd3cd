// Package shiptest ships orders at a real order hub for the dock's
// terminal tests: a pack station of its own (a device enrolled with the
// site's API key) sends the pack station's events, with SSCCs from a block
// the hub reserved for it, so the cartons at the dock are ones the hub
// shipped. It is a faster way to a shipped order than picking and packing
// it on a terminal; tests that mean the whole path pick and pack.
package shiptest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/hub"
)

// Station is a pack station at a hub, as a test drives it.
type Station struct {
	t      testing.TB
	client *api.Client // the station's device client
	admin  *api.Client // the integration's (the site's API key)
	device string
	block  api.SSCCBlock
	next   int    // the next SSCC of block
	seq    uint64 // the last event's sequence number
	direct *hub.Store
}

// New enrols device at the hub at url with the site's API key and reserves
// a block of SSCCs for it.
func New(t testing.TB, url string, site domain.Site, device string) *Station {
	t.Helper()
	admin := api.NewClient(url, nil).WithToken(site.APIKey)
	ctx := context.Background()
	reg, err := admin.Register(ctx, api.RegisterRequest{DeviceID: device, EnrollKey: site.EnrollKey})
	if err != nil {
		t.Fatalf("shiptest: register %s: %v", device, err)
	}
	c := api.NewClient(url, nil).WithToken(reg.Token)
	b, err := c.ReserveSSCCs(ctx, 100)
	if err != nil {
		t.Fatalf("shiptest: reserve SSCCs: %v", err)
	}
	return &Station{t: t, client: c, admin: admin, device: device, block: b}
}

// Admin is a client with the site's API key: the integration's calls
// (cancel an order, plan a load).
func (s *Station) Admin() *api.Client { return s.admin }

// Direct sends the station's events straight to the hub's store from now
// on: the hub goes on while it is unreachable to the devices (another gun
// on the dock's own network), as demo.Hub.Stop lets it.
func (s *Station) Direct(st *hub.Store) { s.direct = st }

// SSCC is the next SSCC of the station's block: one no carton carries yet.
func (s *Station) SSCC() string {
	s.t.Helper()
	v, err := s.block.SSCC(s.next)
	if err != nil {
		s.t.Fatalf("shiptest: %v", err)
	}
	s.next++
	return v
}

// Ship packs every line of an order and ships it in n cartons (line i in
// carton i mod n); it returns the cartons' SSCCs, carton 1 first.
func (s *Station) Ship(orderID string, n int) []string {
	s.t.Helper()
	cartons := s.cartons(orderID, n)
	s.Send(domain.EventPackStarted, domain.PackStarted{OrderID: orderID})
	s.Send(domain.EventShipConfirmed, domain.ShipConfirm{OrderID: orderID, Cartons: cartons})
	ssccs := make([]string, n)
	for i, c := range cartons {
		ssccs[i] = c.SSCC
	}
	return ssccs
}

// Pack starts packing an order and closes one carton of its first line,
// without shipping it; it returns the carton's SSCC.
func (s *Station) Pack(orderID string) string {
	s.t.Helper()
	c := s.cartons(orderID, 1)[0]
	c.Contents, c.N, c.Of = c.Contents[:1], 0, 0
	s.Send(domain.EventPackStarted, domain.PackStarted{OrderID: orderID})
	s.Send(domain.EventCartonClosed, c)
	return c.SSCC
}

// Hold holds an order at the pack station (it leaves unshipped).
func (s *Station) Hold(orderID string) {
	s.t.Helper()
	s.Send(domain.EventPackHeld, domain.PackHold{OrderID: orderID, Reason: domain.HoldDamaged})
}

// Send delivers one event from the station as user u1002 and fails the
// test unless the hub applied it.
func (s *Station) Send(typ domain.EventType, payload any) {
	s.t.Helper()
	if code := s.Try(typ, "u1002", payload); code != "" {
		s.t.Fatalf("shiptest: %s refused: %s", typ, code)
	}
}

// Try delivers one event from the station as user and returns the hub's
// refusal code, "" when it applied it.
func (s *Station) Try(typ domain.EventType, user string, payload any) string {
	s.t.Helper()
	s.seq++
	ev, err := domain.NewDraft(typ, time.Now(), user, payload).Seal(s.device, s.seq, fmt.Sprintf("%s-%d", s.device, s.seq))
	if err != nil {
		s.t.Fatalf("shiptest: %v", err)
	}
	req := api.IngestRequest{DeviceID: s.device, Events: []domain.Event{ev}}
	var res api.IngestResponse
	if s.direct != nil {
		res, err = s.direct.Ingest(context.Background(), s.device, req)
	} else {
		res, err = s.client.SendEvents(context.Background(), req)
	}
	if err != nil || len(res.Results) != 1 {
		s.t.Fatalf("shiptest: send %s: %v (%d results)", typ, err, len(res.Results))
	}
	switch r := res.Results[0]; r.Status {
	case api.StatusApplied:
		return ""
	case api.StatusRejected:
		return r.Code
	default:
		s.t.Fatalf("shiptest: %s: status %s: %s", typ, r.Status, r.Message)
		return ""
	}
}

// cartons are n cartons holding every line of an order, with new SSCCs.
func (s *Station) cartons(orderID string, n int) []domain.PackCarton {
	s.t.Helper()
	o, err := s.admin.Order(context.Background(), orderID)
	if err != nil {
		s.t.Fatalf("shiptest: order %s: %v", orderID, err)
	}
	if n < 1 || n > len(o.Lines) {
		s.t.Fatalf("shiptest: %d cartons for %d lines", n, len(o.Lines))
	}
	cartons := make([]domain.PackCarton, n)
	for i := range cartons {
		cartons[i] = domain.PackCarton{OrderID: orderID, SSCC: s.SSCC(), CartonType: "CT-M2", N: i + 1, Of: n,
			Dims: domain.Dims{LengthMM: 350, WidthMM: 250, HeightMM: 200}, WeightGrams: 2000 + i, ExpectedGrams: 2000}
	}
	for i, l := range o.Lines {
		c := &cartons[i%n]
		c.Contents = append(c.Contents, domain.CartonContent{Line: l.Line, SKU: l.SKU, Qty: l.Qty})
	}
	return cartons
}
