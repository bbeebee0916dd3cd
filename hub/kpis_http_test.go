package hub_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/rfterm/rfterm/api"
)

// TestKPIsOverHTTP: GET /v1/kpis for the integration and for a lead
// session; a window that is not RFC 3339, reversed or too long is a 400;
// a lead session reads only as its own lead.
func TestKPIsOverHTTP(t *testing.T) {
	f := newFixture(t, demoSite(t))
	cx := ctx(t)
	before := time.Now().UTC()
	k, err := f.admin().KPIs(cx, time.Time{}, time.Time{})
	require.NoError(t, err)
	assert.Equal(t, 24*time.Hour, k.To.Sub(k.From), "the last 24 h by default")
	assert.False(t, k.To.Before(before.Truncate(time.Second)))
	assert.NotNil(t, k.ByUser)

	from := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	k, err = f.admin().KPIs(cx, from, from.AddDate(0, 1, 0))
	require.NoError(t, err)
	assert.Equal(t, from, k.From)

	_, err = f.admin().KPIs(cx, from, from.AddDate(2, 0, 0))
	requireAPIError(t, err, http.StatusBadRequest, api.CodeBadRequest)
	_, err = f.admin().KPIs(cx, from, from)
	requireAPIError(t, err, http.StatusBadRequest, api.CodeBadRequest)
	req, err := http.NewRequestWithContext(cx, http.MethodGet, f.srv.URL+"/v1/kpis?from=yesterday", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+f.Site.APIKey)
	resp, err := f.srv.Client().Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)

	_, err = f.client.KPIs(cx, time.Time{}, time.Time{})
	requireAPIError(t, err, http.StatusUnauthorized, api.CodeLeadSessionRequired)
	ls, err := f.client.LeadLogin(cx, "U1003", demoLeadPIN)
	require.NoError(t, err)
	_, err = f.client.WithLeadSession(ls.Token).KPIs(cx, time.Time{}, time.Time{})
	require.NoError(t, err)
}
