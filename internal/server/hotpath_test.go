package server_test

import (
	"context"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hubauth/hubauth/internal/server"
	"github.com/hubauth/hubauth/internal/storage"
)

// countedReads is a real store that counts the reads a bearer check may
// make.
type countedReads struct {
	storage.Storage
	n atomic.Int64
}

func (s *countedReads) GetUser(ctx context.Context, id string) (storage.User, error) {
	s.n.Add(1)
	return s.Storage.GetUser(ctx, id)
}

func (s *countedReads) GetClient(ctx context.Context, id string) (storage.Client, error) {
	s.n.Add(1)
	return s.Storage.GetClient(ctx, id)
}

func (s *countedReads) GetSession(ctx context.Context, id string) (storage.Session, error) {
	s.n.Add(1)
	return s.Storage.GetSession(ctx, id)
}

func (s *countedReads) IsAccessTokenRevoked(ctx context.Context, id string) (bool, error) {
	s.n.Add(1)
	return s.Storage.IsAccessTokenRevoked(ctx, id)
}

func (s *countedReads) GetLiveAccessToken(ctx context.Context, t storage.AccessTokenRefs) (storage.Client, storage.User, error) {
	s.n.Add(1)
	return s.Storage.GetLiveAccessToken(ctx, t)
}

func (s *countedReads) GetPersonalTokenByHash(ctx context.Context, hash string, now time.Time) (storage.PersonalToken, error) {
	s.n.Add(1)
	return s.Storage.GetPersonalTokenByHash(ctx, hash, now)
}

// An /api/v1 request reads the database once for an access token (whether
// it is still live, with its client and user) and twice for a personal
// token (the token, its user) the first time this node sees the token, and
// not at all while the node holds it verified (bearer.VerifiedTTL); the API
// answers from the rows the bearer check read rather than reading the user
// again.
func TestAPIReadsPerRequest(t *testing.T) {
	reads := &countedReads{}
	h := newHub(t, func(c *server.Config) { reads.Storage = c.Store; c.Store = reads })
	status, created, _ := h.send(t, "POST", "/api/v1/tokens", h.passwordToken(t), `{"name":"ci","expires_in":3600}`)
	if status != http.StatusCreated {
		t.Fatalf("create a personal token: %d %v", status, created)
	}
	personal, _ := created["token"].(string)
	access := h.passwordToken(t) // not used yet
	for _, tt := range []struct {
		name, token string
		first       int64
	}{{"access token", access, 1}, {"personal token", personal, 2}} {
		t.Run(tt.name, func(t *testing.T) {
			for i, want := range []int64{tt.first, 0} {
				before := reads.n.Load()
				if status, body, _ := h.getJSON(t, "/api/v1/users/me", tt.token); status != http.StatusOK {
					t.Fatalf("users/me: %d %v", status, body)
				}
				if got := reads.n.Load() - before; got != want {
					t.Errorf("database reads for use %d = %d, want %d", i+1, got, want)
				}
			}
		})
	}
}
