package hub

import (
	"encoding/binary"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/rfterm/rfterm/api"
)

// referenceServer is the limit of the hub's design, for the ingest
// benchmarks: a trivial net/http server that decodes the same JSON as
// POST /v1/events and writes the batch in one bbolt Update (one fsync),
// every event under (device, seq), and answers every event applied. No
// token, no rules, no exactly-once, no group commit.
type referenceServer struct {
	*httptest.Server
	db *bolt.DB
}

func newReferenceServer(b *testing.B) *referenceServer {
	b.Helper()
	db, err := bolt.Open(filepath.Join(b.TempDir(), "reference.db"), 0o600, nil)
	if err != nil {
		b.Fatal(err)
	}
	r := &referenceServer{db: db}
	r.Server = httptest.NewServer(http.HandlerFunc(r.ingest))
	return r
}

func (r *referenceServer) ingest(w http.ResponseWriter, req *http.Request) {
	var in api.IngestRequest
	if err := json.NewDecoder(req.Body).Decode(&in); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	out := api.IngestResponse{Results: make([]api.EventResult, len(in.Events))}
	err := r.db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists([]byte("events"))
		if err != nil {
			return err
		}
		for i, ev := range in.Events {
			raw, err := json.Marshal(ev)
			if err != nil {
				return err
			}
			if err := b.Put(binary.BigEndian.AppendUint64([]byte(ev.DeviceID+"\x00"), ev.Seq), raw); err != nil {
				return err
			}
			out.Results[i] = api.EventResult{ID: ev.ID, Seq: ev.Seq, Status: api.StatusApplied}
			out.NextSeq = ev.Seq + 1
		}
		return nil
	})
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(out)
}

// Close stops the server and closes its database.
func (r *referenceServer) Close() {
	r.Server.Close()
	r.db.Close()
}

// httpClient is a client keeping a connection per device.
func httpClient(devices int) *http.Client {
	return &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: devices, MaxIdleConns: devices}}
}
