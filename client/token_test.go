package client_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hubauth/hubauth/client"
	"github.com/hubauth/hubauth/internal/hubtest"
	"github.com/hubauth/hubauth/internal/server"
)

func TestRefreshBeforeExpirySavesRotatedToken(t *testing.T) {
	h := newHub(t)
	clk := &hubtest.Clock{}
	c, dir := loggedIn(t, h, func(cfg *client.Config) { cfg.Now = clk.Now })
	ctx := context.Background()
	first, _ := c.Token(ctx)
	before, _ := stored(t, dir, h)

	clk.Advance(15*time.Minute - 30*time.Second) // inside MinValid (60 s) of the expiry
	tok, err := c.Token(ctx)
	if err != nil {
		t.Fatalf("Token near expiry: %v", err)
	}
	if tok.AccessToken == first.AccessToken || h.refreshes.Load() != 1 {
		t.Fatalf("Token near expiry: same token %v, %d refreshes; want one refresh", tok.AccessToken == first.AccessToken, h.refreshes.Load())
	}
	after, _ := stored(t, dir, h)
	if after.RefreshToken == before.RefreshToken || after.AccessToken != tok.AccessToken || !after.Expiry.After(clk.Now()) {
		t.Fatalf("stored session after refresh: rotated %v, token saved %v, expiry %v", after.RefreshToken != before.RefreshToken,
			after.AccessToken == tok.AccessToken, after.Expiry)
	}
	if again, _ := c.Token(ctx); again.AccessToken != tok.AccessToken || h.refreshes.Load() != 1 {
		t.Fatal("a fresh token was refreshed again")
	}
	if _, err := me(t, c, h); err != nil {
		t.Fatalf("request with the refreshed token: %v", err)
	}
	// MinValid is honoured: a token valid 14 minutes is too short for 20.
	long := newClient(t, h, dir, func(cfg *client.Config) { cfg.Now = clk.Now; cfg.MinValid = 20 * time.Minute })
	if tok2, err := long.Token(ctx); err != nil || tok2.AccessToken == tok.AccessToken {
		t.Fatalf("Token with MinValid 20m: %v, refreshed %v", err, tok2 != nil && tok2.AccessToken != tok.AccessToken)
	}
}

func TestRefreshWithShortLivedTokens(t *testing.T) {
	h := newHub(t, func(cfg *server.Config) { cfg.AccessTokenTTL = 2 * time.Second })
	c, _ := loggedIn(t, h)
	ctx := context.Background()
	// Every token lives less than MinValid: each call refreshes, and the
	// tokens still work.
	for i := range 3 {
		if _, err := c.Token(ctx); err != nil {
			t.Fatalf("Token %d: %v", i, err)
		}
		if _, err := me(t, c, h); err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
	}
	if h.refreshes.Load() < 3 {
		t.Fatalf("%d refreshes, want at least 3", h.refreshes.Load())
	}
}

func TestRefreshRefusedMarksSessionExpired(t *testing.T) {
	h := newHub(t)
	clk := &hubtest.Clock{}
	c, dir := loggedIn(t, h, func(cfg *client.Config) { cfg.Now = clk.Now })
	s, _ := stored(t, dir, h)
	resp, err := http.PostForm(h.URL+"/oauth/revoke", url.Values{"token": {s.RefreshToken}, "client_id": {"hubauth-cli"}})
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("revoke at the hub: %v %v", resp, err)
	}
	resp.Body.Close()

	clk.Advance(time.Hour)
	_, err = c.Token(context.Background())
	if !errors.Is(err, client.ErrSessionExpired) || err.Error() != "client: session expired or revoked: run hubauth login" {
		t.Fatalf("Token after revocation = %v, want ErrSessionExpired", err)
	}
	if after, ok := stored(t, dir, h); !ok || !after.Expired {
		t.Fatalf("stored session after a refused refresh: %+v, %v; want it marked expired", after, ok)
	}
	if info, _ := c.Session(); !info.Expired {
		t.Fatal("Session does not report the expiry")
	}
	// A new process knows without asking the server.
	n := h.refreshes.Load()
	again := newClient(t, h, dir, func(cfg *client.Config) { cfg.Now = clk.Now })
	if _, err := again.Token(context.Background()); !errors.Is(err, client.ErrSessionExpired) || h.refreshes.Load() != n {
		t.Fatalf("Token of an expired session = %v after %d requests, want ErrSessionExpired without one", err, h.refreshes.Load()-n)
	}
	var uerr *url.Error
	if _, err := again.HTTPClient(context.Background()).Get(h.URL + "/api/v1/users/me"); !errors.Is(err, client.ErrSessionExpired) || !errors.As(err, &uerr) {
		t.Fatalf("request with an expired session = %v, want ErrSessionExpired", err)
	}
}

// fakeJWT returns an unsigned JWT with the given claims: enough for the
// SDK, which reads exp without verifying.
func fakeJWT(claims map[string]any) string {
	b, _ := json.Marshal(claims)
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"ES256","typ":"JWT"}`)) + "." + enc(b) + "." + enc([]byte("sig"))
}

func TestConfigTokenOverridesStoredSession(t *testing.T) {
	h := newHub(t)
	_, dir := loggedIn(t, h)
	before, _ := os.ReadFile(filepath.Join(dir, "tokens.json"))
	ctx := context.Background()

	live := fakeJWT(map[string]any{"sub": "u1", "preferred_username": "ci", "exp": time.Now().Add(time.Hour).Unix()})
	c := newClient(t, h, dir, func(cfg *client.Config) { cfg.Token = live })
	tok, err := c.Token(ctx)
	if err != nil || tok.AccessToken != live {
		t.Fatalf("Token with Config.Token = %v, %v; want Config.Token", tok, err)
	}
	info, _ := c.Session()
	if info.Source != client.SourceEnv || info.Method != client.MethodToken || info.Username != "ci" || info.Refreshable {
		t.Fatalf("Session with Config.Token = %+v", info)
	}
	// The hub refuses the unsigned token: no refresh is tried for it.
	if _, err := me(t, c, h); !errors.Is(err, client.ErrNotLoggedIn) || h.refreshes.Load() != 0 {
		t.Fatalf("request with a refused Config.Token = %v after %d refreshes", err, h.refreshes.Load())
	}

	old := fakeJWT(map[string]any{"exp": time.Now().Add(-time.Minute).Unix()})
	c = newClient(t, h, dir, func(cfg *client.Config) { cfg.Token = old })
	if _, err := c.Token(ctx); !errors.Is(err, client.ErrSessionExpired) || !strings.Contains(err.Error(), "HUBAUTH_TOKEN") {
		t.Fatalf("Token with an expired Config.Token = %v, want ErrSessionExpired naming HUBAUTH_TOKEN", err)
	}
	// An opaque token has no known expiry: used as is.
	c = newClient(t, h, dir, func(cfg *client.Config) { cfg.Token = "hubauth_pat_opaque" })
	if tok, err := c.Token(ctx); err != nil || tok.AccessToken != "hubauth_pat_opaque" {
		t.Fatalf("Token with an opaque Config.Token = %v, %v", tok, err)
	}
	if after, _ := os.ReadFile(filepath.Join(dir, "tokens.json")); string(after) != string(before) {
		t.Fatal("Config.Token changed the sessions file")
	}
}

func TestTokenSource(t *testing.T) {
	h := newHub(t)
	c, _ := loggedIn(t, h)
	want, _ := c.Token(context.Background())
	got, err := c.TokenSource(context.Background()).Token()
	if err != nil || got.AccessToken != want.AccessToken {
		t.Fatalf("TokenSource().Token() = %v, %v", got, err)
	}
	empty := newClient(t, h, t.TempDir())
	if _, err := empty.TokenSource(context.Background()).Token(); !errors.Is(err, client.ErrNotLoggedIn) {
		t.Fatalf("TokenSource without a session = %v, want ErrNotLoggedIn", err)
	}
}
