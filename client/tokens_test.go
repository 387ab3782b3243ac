package client_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hubauth/hubauth/client"
)

// TestTokensLifecycle creates a personal token, lists it without its
// secret, uses it, and revokes it: the hub refuses it at once.
func TestTokensLifecycle(t *testing.T) {
	h := newHub(t)
	c, _ := loggedIn(t, h)
	ctx := context.Background()

	nt, err := c.CreateToken(ctx, client.TokenRequest{Name: "ci", ExpiresIn: 24 * time.Hour, Scopes: []string{"groups:read"}})
	if err != nil {
		t.Fatalf("CreateToken: %v", err)
	}
	if !strings.HasPrefix(nt.Token, "hubauth_pat_") || nt.ID == "" || nt.Name != "ci" {
		t.Fatalf("CreateToken = %+v, want an id, the name ci and a hubauth_pat_ secret", nt.PersonalToken)
	}
	if got := nt.ExpiresAt.Sub(nt.CreatedAt); got != 24*time.Hour {
		t.Errorf("ExpiresAt - CreatedAt = %v, want 24h", got)
	}

	pat := newClient(t, h, t.TempDir(), func(cfg *client.Config) { cfg.Token = nt.Token })
	if _, err := pat.Tokens(ctx); err == nil || !strings.Contains(err.Error(), "403") {
		t.Errorf("Tokens with the personal token: %v, want 403: a personal token never manages tokens", err)
	}
	if _, err := pat.Groups(ctx); err != nil {
		t.Fatalf("Groups with the personal token (its groups:read): %v", err)
	}
	list, err := c.Tokens(ctx)
	if err != nil {
		t.Fatalf("Tokens: %v", err)
	}
	if len(list) != 1 || list[0].ID != nt.ID || strings.Join(list[0].Scopes, " ") != "groups:read" {
		t.Fatalf("Tokens = %+v, want the one token with scope groups:read", list)
	}
	if list[0].LastUsedAt.IsZero() {
		t.Errorf("LastUsedAt is zero after the token was used")
	}

	if err := c.RevokeToken(ctx, nt.ID); err != nil {
		t.Fatalf("RevokeToken: %v", err)
	}
	if _, err := pat.Tokens(ctx); !errors.Is(err, client.ErrNotLoggedIn) {
		t.Errorf("Tokens with the revoked token = %v, want ErrNotLoggedIn (401)", err)
	}
	if list, err := c.Tokens(ctx); err != nil || len(list) != 0 {
		t.Errorf("Tokens after revoking = %v, %v; want none", list, err)
	}
}

// TestCreateTokenRefused checks that each refusal reaches the caller with
// the server's status and message, as DVC Studio checks scopes before it
// starts.
func TestCreateTokenRefused(t *testing.T) {
	h := newHub(t)
	c, _ := loggedIn(t, h)
	ctx := context.Background()
	if _, err := c.CreateToken(ctx, client.TokenRequest{Name: "taken", ExpiresIn: time.Hour}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		req      client.TokenRequest
		status   int
		code     string
		sentinel error
		desc     []string // the description contains each
	}{
		{"unknown scope", client.TokenRequest{Name: "a", ExpiresIn: time.Hour, Scopes: []string{"root"}},
			http.StatusUnprocessableEntity, "invalid_scope", nil, []string{`"root"`, "valid scopes:", "tokens:read", "groups:read"}},
		{"duplicate name", client.TokenRequest{Name: "taken", ExpiresIn: time.Hour},
			http.StatusConflict, "conflict", client.ErrConflict, []string{`already have a token named "taken"`}},
		{"over the maximum", client.TokenRequest{Name: "b", ExpiresIn: 31 * 24 * time.Hour},
			http.StatusUnprocessableEntity, "invalid_request", nil, []string{"2592000 seconds", "maximum"}},
		{"name too long", client.TokenRequest{Name: strings.Repeat("n", 65), ExpiresIn: time.Hour},
			http.StatusUnprocessableEntity, "invalid_request", nil, []string{"1 to 64 characters"}},
		{"never expiring, not allowed", client.TokenRequest{Name: "c", NeverExpires: true},
			http.StatusUnprocessableEntity, "invalid_request", nil, []string{"2592000 seconds", "maximum"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.CreateToken(ctx, tt.req)
			var herr *client.HTTPError
			if !errors.As(err, &herr) {
				t.Fatalf("CreateToken = %v, want an *HTTPError", err)
			}
			if herr.StatusCode != tt.status || herr.Code != tt.code {
				t.Errorf("status, code = %d, %q; want %d, %q", herr.StatusCode, herr.Code, tt.status, tt.code)
			}
			for _, s := range tt.desc {
				if !strings.Contains(herr.Description, s) || !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not contain %q", err, s)
				}
			}
			if tt.sentinel != nil && !errors.Is(err, tt.sentinel) {
				t.Errorf("errors.Is(%v, %v) = false", err, tt.sentinel)
			}
		})
	}
	if _, err := c.CreateToken(ctx, client.TokenRequest{Name: "c"}); err == nil || errors.As(err, new(*client.HTTPError)) {
		t.Errorf("CreateToken without an expiry = %v, want a local error", err)
	}
}

// TestTokensErrors covers an unknown id and a client with no session.
func TestTokensErrors(t *testing.T) {
	h := newHub(t)
	c, _ := loggedIn(t, h)
	ctx := context.Background()
	err := c.RevokeToken(ctx, "nope")
	var herr *client.HTTPError
	if !errors.Is(err, client.ErrNotFound) || !errors.As(err, &herr) || !strings.Contains(herr.Description, `no token with id "nope"`) {
		t.Errorf("RevokeToken(unknown) = %v, want ErrNotFound with the server's message", err)
	}

	anon := newClient(t, h, t.TempDir())
	if _, err := anon.Tokens(ctx); !errors.Is(err, client.ErrNotLoggedIn) {
		t.Errorf("Tokens without a session = %v, want ErrNotLoggedIn", err)
	}
	if _, err := anon.CreateToken(ctx, client.TokenRequest{Name: "x", ExpiresIn: time.Hour}); !errors.Is(err, client.ErrNotLoggedIn) {
		t.Errorf("CreateToken without a session = %v, want ErrNotLoggedIn", err)
	}
}

// CreateToken refuses, before any request, a lifetime it cannot send.
func TestCreateTokenLifetimeChecked(t *testing.T) {
	c, err := client.New(context.Background(), client.Config{Server: "http://127.0.0.1:1", NoStore: true, Token: "t"})
	if err != nil {
		t.Fatal(err)
	}
	for name, req := range map[string]client.TokenRequest{
		"no lifetime":                 {Name: "a"},
		"under a second":              {Name: "a", ExpiresIn: time.Millisecond},
		"expiring and never expiring": {Name: "a", ExpiresIn: time.Hour, NeverExpires: true},
		"negative and never expiring": {Name: "a", ExpiresIn: -time.Hour, NeverExpires: true},
	} {
		t.Run(name, func(t *testing.T) {
			var herr *client.HTTPError
			if _, err := c.CreateToken(context.Background(), req); err == nil || errors.As(err, &herr) || !strings.HasPrefix(err.Error(), "client: ") {
				t.Errorf("CreateToken(%+v) = %v, want the SDK's own error", req, err)
			}
		})
	}
}
