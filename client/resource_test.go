package client_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hubauth/hubauth/client"
	"github.com/hubauth/hubauth/internal/hubtest"
	"github.com/hubauth/hubauth/internal/storage"
)

// apiURI is the API newResourceHub registers, owning uploads:read.
const apiURI = "https://data.example.org/api"

// newResourceHub is a hub with one registered API, apiURI, and the
// client configuration that logs in with its scope.
func newResourceHub(t *testing.T) (*hub, func(*client.Config)) {
	t.Helper()
	h := newHub(t)
	h.AddScope(t, "uploads:read", "read uploads")
	if err := h.Store.CreateAPI(t.Context(), storage.API{ID: "datahub", URI: apiURI, Name: "Data hub", Scopes: []string{"uploads:read"}}); err != nil {
		t.Fatal(err)
	}
	return h, func(cfg *client.Config) { cfg.Scopes = []string{"openid", "offline_access", "uploads:read"} }
}

// A resource token source refreshes with the resource parameter, gets a
// token whose audience is the API, reuses it while it is fresh, saves the
// rotated refresh token and leaves the stored access token alone. A
// resource the login does not cover is refused (invalid_target) without
// ending the session.
func TestResourceTokenSource(t *testing.T) {
	h, scopes := newResourceHub(t)
	clk := &hubtest.Clock{}
	c, dir := loggedIn(t, h, scopes, func(cfg *client.Config) { cfg.Now = clk.Now })
	before, _ := stored(t, dir, h)
	ts, err := c.ResourceTokenSource(context.Background(), apiURI)
	if err != nil {
		t.Fatal(err)
	}
	first, err := ts.Token()
	if err != nil || first.AccessToken == before.AccessToken || h.refreshes.Load() != 1 {
		t.Fatalf("first resource token: %v, new %v, %d refreshes; want one refresh", err, first != nil && first.AccessToken != before.AccessToken, h.refreshes.Load())
	}
	if aud := audienceOf(t, first.AccessToken); !slices.Equal(aud, []string{apiURI}) {
		t.Errorf("resource token aud = %q, want [%s]", aud, apiURI)
	}
	if again, _ := ts.Token(); again.AccessToken != first.AccessToken || h.refreshes.Load() != 1 {
		t.Fatal("a fresh resource token was refreshed again")
	}
	after, _ := stored(t, dir, h)
	if after.AccessToken != before.AccessToken || after.RefreshToken == before.RefreshToken {
		t.Errorf("stored session: access token kept %v, refresh token rotated %v; want both", after.AccessToken == before.AccessToken, after.RefreshToken != before.RefreshToken)
	}
	clk.Advance(15*time.Minute - 30*time.Second) // within MinValid of the expiry
	if next, err := ts.Token(); err != nil || next.AccessToken == first.AccessToken || h.refreshes.Load() != 2 {
		t.Fatalf("near expiry: %v, refreshes %d; want a second refresh", err, h.refreshes.Load())
	}
	// The session's own token source still works with the rotated refresh token.
	if _, err := c.Token(context.Background()); err != nil {
		t.Fatalf("Token after resource refreshes: %v", err)
	}
	other, _ := c.ResourceTokenSource(context.Background(), "https://unknown.example.org")
	var herr *client.HTTPError
	if _, err := other.Token(); !errors.As(err, &herr) || herr.Code != "invalid_target" {
		t.Fatalf("an unknown resource: %v, want invalid_target", err)
	}
	if info, _ := c.Session(); info.Expired {
		t.Error("a refused resource ended the session")
	}
}

func TestResourceTokenSourceRefused(t *testing.T) {
	h := newHub(t)
	c, _ := loggedIn(t, h)
	for _, r := range []string{"", "data.example.org/api", "https://data.example.org/api#x", "/api"} {
		if _, err := c.ResourceTokenSource(context.Background(), r); err == nil {
			t.Errorf("ResourceTokenSource(%q) = nil error", r)
		}
	}
	static := newClient(t, h, t.TempDir(), func(cfg *client.Config) { cfg.Token = "hubauth_pat_x" })
	if _, err := static.ResourceTokenSource(context.Background(), "https://data.example.org/api"); err == nil {
		t.Error("a Token given as is was accepted for a resource")
	}
	none := newClient(t, h, t.TempDir())
	ts, _ := none.ResourceTokenSource(context.Background(), "https://data.example.org/api")
	if _, err := ts.Token(); !errors.Is(err, client.ErrNotLoggedIn) {
		t.Errorf("without a session: %v, want ErrNotLoggedIn", err)
	}
}

// With the refresh token in the keyring, a resource refresh reads it from
// there and puts the rotated one back: tokens.json never holds it.
func TestResourceTokenSourceKeyring(t *testing.T) {
	t.Parallel()
	h, scopes := newResourceHub(t)
	k := newMemKeyring()
	c, dir := loggedIn(t, h, scopes, inKeyring(k))
	first, _ := stored(t, dir, h)
	rt, _ := k.secret(first.Keyring)
	ts, err := c.ResourceTokenSource(context.Background(), apiURI)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ts.Token(); err != nil {
		t.Fatalf("resource token: %v", err)
	}
	after, _ := stored(t, dir, h)
	rotated, _ := k.secret(after.Keyring)
	if after.RefreshToken != "" || after.Keyring != first.Keyring || rotated == rt || rotated == "" {
		t.Fatalf("after a resource refresh: stored %+v, entry rotated %v: want the rotated token in the same entry only", after, rotated != rt)
	}
	if code := h.refreshWith(t, rotated); code != "" {
		t.Errorf("the keyring's token was refused: %s", code)
	}
}

// audienceOf reads a JWT's aud claim (a list, as the hub writes it),
// without checking the signature: the API's middleware does that.
func audienceOf(t *testing.T, jwt string) []string {
	t.Helper()
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		t.Fatalf("not a JWT: %q", jwt)
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	var c struct {
		Aud []string `json:"aud"`
	}
	if err == nil {
		err = json.Unmarshal(payload, &c)
	}
	if err != nil {
		t.Fatalf("JWT payload: %v", err)
	}
	return c.Aud
}
