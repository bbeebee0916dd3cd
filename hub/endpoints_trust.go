package hub

import (
	"net/http"
	"time"

	"github.com/rfterm/rfterm/api"
)

// trustRoutes are the endpoints of lead sessions and device revocation.
func trustRoutes() []route {
	return []route{
		{Route{http.MethodPost, "/v1/lead/sessions", "createLeadSession", false}, handleLeadSession},
		{Route{http.MethodDelete, "/v1/devices/{id}", "revokeDevice", false}, handleRevoke},
	}
}

func handleLeadSession(s *Store, r *http.Request, c caller) (any, error) {
	var req api.LeadSessionRequest
	if err := decodeBody(r, &req); err != nil {
		return nil, err
	}
	return c.limits.limited(limitKeys(c.deviceID, c.addr), func() (any, error) {
		out, err := s.StartLeadSession(r.Context(), c.deviceID, req, time.Now())
		if err == nil {
			c.log.Info("lead session opened", "device", c.deviceID, "lead", out.User.ID)
		}
		return out, err
	})
}

type revokeResponse struct {
	DeviceID string `json:"device_id"`
}

func handleRevoke(s *Store, r *http.Request, c caller) (any, error) {
	id := r.PathValue("id")
	if err := s.RevokeDevice(r.Context(), id); err != nil {
		return nil, err
	}
	c.log.Info("device revoked", "device", id)
	return revokeResponse{DeviceID: id}, nil
}
