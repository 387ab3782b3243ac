package server_test

import (
	"context"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/hubauth/hubauth/internal/storage"
)

// userReads is a real store that counts its GetUser calls.
type userReads struct {
	storage.Storage
	n atomic.Int64
}

func (s *userReads) GetUser(ctx context.Context, id string) (storage.User, error) {
	s.n.Add(1)
	return s.Storage.GetUser(ctx, id)
}

// The bearer check reads the token's user once per request, and /api/v1
// answers from that row rather than reading it again.
func TestAPIReadsTheUserOnce(t *testing.T) {
	reads := &userReads{}
	h := newHub(t, func(c *serverConfig) { reads.Storage = c.Store; c.Store = reads })
	access := h.passwordToken(t)
	status, created, _ := h.send(t, "POST", "/api/v1/tokens", access, `{"name":"ci","expires_in":3600}`)
	if status != http.StatusCreated {
		t.Fatalf("create a personal token: %d %v", status, created)
	}
	personal, _ := created["token"].(string)
	for _, tt := range []struct{ name, token string }{{"access token", access}, {"personal token", personal}} {
		t.Run(tt.name, func(t *testing.T) {
			before := reads.n.Load()
			if status, body, _ := h.getJSON(t, "/api/v1/users/me", tt.token); status != http.StatusOK {
				t.Fatalf("users/me: %d %v", status, body)
			}
			if got := reads.n.Load() - before; got != 1 {
				t.Errorf("GetUser calls for one request = %d, want 1", got)
			}
		})
	}
}
