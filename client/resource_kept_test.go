package client_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/hubauth/hubauth/client"
	"github.com/hubauth/hubauth/client/internal/store"
	"github.com/hubauth/hubauth/internal/hubtest"
)

// Clients of one data directory (as processes would be) asking for the
// same API at once make one refresh: the first saves the token with the
// session under the lock, the others find it there. The rotated refresh
// token is saved too.
func TestResourceTokenKeptAcrossClients(t *testing.T) {
	h, scopes := newResourceHub(t)
	_, dir := loggedIn(t, h, scopes)
	before, _ := stored(t, dir, h)
	const n = 4
	got := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		c := newClient(t, h, dir, scopes) // each loads the session before any asks
		wg.Go(func() {
			ts, err := c.ResourceTokenSource(context.Background(), apiURI)
			if err != nil {
				t.Error(err)
				return
			}
			tok, err := ts.Token()
			if err != nil {
				t.Errorf("client %d: %v", i, err)
				return
			}
			got[i] = tok.AccessToken
		})
	}
	wg.Wait()
	if h.refreshes.Load() != 1 {
		t.Errorf("%d refreshes, want 1", h.refreshes.Load())
	}
	for i := range got {
		if got[i] != got[0] {
			t.Errorf("client %d got another token", i)
		}
	}
	after, _ := stored(t, dir, h)
	kept, ok := after.ResourceToken(apiURI)
	if !ok || kept.AccessToken != got[0] || after.RefreshToken == before.RefreshToken || after.AccessToken != before.AccessToken {
		t.Errorf("stored: API token kept %v, refresh token rotated %v, session's token unchanged %v; want all",
			ok && kept.AccessToken == got[0], after.RefreshToken != before.RefreshToken, after.AccessToken == before.AccessToken)
	}
	if _, ok := after.ResourceToken(apiURI + "/"); ok {
		t.Error("the token for the API is found under another URI")
	}
}

// A session the provider no longer refreshes is marked expired and loses
// its API tokens: none is handed out after, though it has not expired.
func TestResourceTokensDroppedWithSession(t *testing.T) {
	h, scopes := newResourceHub(t)
	clk := &hubtest.Clock{}
	c, dir := loggedIn(t, h, scopes, func(cfg *client.Config) { cfg.Now = clk.Now })
	ts, _ := c.ResourceTokenSource(context.Background(), apiURI)
	if _, err := ts.Token(); err != nil {
		t.Fatal(err)
	}
	editStored(t, dir, h, func(s *store.Session) { s.RefreshToken = "revoked" })
	clk.Advance(15 * time.Minute) // the session's own token is stale, the API token too
	late := newClient(t, h, dir, scopes, func(cfg *client.Config) { cfg.Now = clk.Now })
	if _, err := late.Token(context.Background()); !errors.Is(err, client.ErrSessionExpired) {
		t.Fatalf("Token with a refused refresh token: %v, want ErrSessionExpired", err)
	}
	if s, _ := stored(t, dir, h); !s.Expired || s.ResourceTokens != nil {
		t.Errorf("stored: expired %v, %d API tokens; want expired, none", s.Expired, len(s.ResourceTokens))
	}
	clk.Advance(-15 * time.Minute) // the API token would be valid again
	fresh := newClient(t, h, dir, scopes, func(cfg *client.Config) { cfg.Now = clk.Now })
	fts, _ := fresh.ResourceTokenSource(context.Background(), apiURI)
	if tok, err := fts.Token(); !errors.Is(err, client.ErrSessionExpired) {
		t.Errorf("API token of an expired session: %v, %v; want ErrSessionExpired", tok, err)
	}
}
