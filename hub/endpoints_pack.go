package hub

import (
	"context"
	"net/http"
	"time"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/domain"
	"github.com/rfterm/rfterm/hub/storage"
)

// The pack station's routes and read queries.

func handlePackWork(s *Store, r *http.Request, _ caller) (any, error) {
	q := r.URL.Query()
	return s.PackWork(r.Context(), q.Get("tote"), q.Get("order"))
}

func handleReserveSSCCs(s *Store, r *http.Request, c caller) (any, error) {
	var req api.SSCCBlockRequest
	if err := decodeBody(r, &req); err != nil {
		return nil, err
	}
	b, err := s.ReserveSSCCs(r.Context(), c.deviceID, req.Count, time.Now())
	if err == nil {
		c.log.Info("SSCC block reserved", "device", c.deviceID, "first", b.First, "count", b.Count)
	}
	return b, err
}

func handleSSCCBlocks(s *Store, r *http.Request, _ caller) (any, error) {
	return s.SSCCBlocks(r.Context())
}

func handleShipments(s *Store, r *http.Request, _ caller) (any, error) {
	return s.Shipments(r.Context())
}

func handleShipment(s *Store, r *http.Request, _ caller) (any, error) {
	return s.Shipment(r.Context(), r.PathValue("order"))
}

func handleCartonTypes(s *Store, r *http.Request, _ caller) (any, error) {
	return s.CartonTypes(r.Context())
}

// Shipments lists every live order's shipment (packing, held or shipped),
// by order id (an archived one is read by its order id).
func (s *Store) Shipments(ctx context.Context) ([]domain.Shipment, error) {
	return viewAll[domain.Shipment](ctx, s, bucketShipments, nil)
}

// Shipment returns one order's shipment, live or archived.
func (s *Store) Shipment(ctx context.Context, orderID string) (domain.Shipment, error) {
	return viewAnywhere(ctx, s, "shipment of order", orderID, shipmentAnywhere)
}

// shipmentAnywhere reads a live shipment, or else an archived order's.
func shipmentAnywhere(tx storage.Tx, orderID string) (domain.Shipment, bool, error) {
	ship, ok, err := getJSON[domain.Shipment](tx.Bucket(bucketShipments), orderID)
	if ok || err != nil {
		return ship, ok, err
	}
	rec, ok, err := archived(tx, orderID)
	if !ok || rec.Shipment == nil {
		return ship, false, err
	}
	return *rec.Shipment, true, err
}

// CartonTypes lists the site's carton types, by code.
func (s *Store) CartonTypes(ctx context.Context) ([]domain.CartonType, error) {
	return viewAll[domain.CartonType](ctx, s, bucketCartons, nil)
}
