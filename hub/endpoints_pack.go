package hub

import (
	"net/http"
	"time"

	"github.com/rfterm/rfterm/api"
	"github.com/rfterm/rfterm/domain"
)

// The pack station's routes and read queries.

func handlePackWork(s *Store, r *http.Request, _ caller) (any, error) {
	q := r.URL.Query()
	return s.PackWork(q.Get("tote"), q.Get("order"))
}

func handleReserveSSCCs(s *Store, r *http.Request, c caller) (any, error) {
	var req api.SSCCBlockRequest
	if err := decodeBody(r, &req); err != nil {
		return nil, err
	}
	b, err := s.ReserveSSCCs(c.deviceID, req.Count, time.Now())
	if err == nil {
		c.log.Info("SSCC block reserved", "device", c.deviceID, "first", b.First, "count", b.Count)
	}
	return b, err
}

func handleSSCCBlocks(s *Store, _ *http.Request, _ caller) (any, error) { return s.SSCCBlocks() }

func handleShipments(s *Store, _ *http.Request, _ caller) (any, error) { return s.Shipments() }

func handleShipment(s *Store, r *http.Request, _ caller) (any, error) {
	return s.Shipment(r.PathValue("order"))
}

func handleCartonTypes(s *Store, _ *http.Request, _ caller) (any, error) { return s.CartonTypes() }

// Shipments lists every order's shipment (packing, held or shipped), by order id.
func (s *Store) Shipments() ([]domain.Shipment, error) {
	return viewAll[domain.Shipment](s, bucketShipments, nil)
}

// Shipment returns one order's shipment.
func (s *Store) Shipment(orderID string) (domain.Shipment, error) {
	return viewOne[domain.Shipment](s, bucketShipments, "shipment of order", orderID)
}

// CartonTypes lists the site's carton types, by code.
func (s *Store) CartonTypes() ([]domain.CartonType, error) {
	return viewAll[domain.CartonType](s, bucketCartons, nil)
}
