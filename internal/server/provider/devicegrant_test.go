package provider

import (
	"context"
	"net/url"
	"path/filepath"
	"testing"
	"time"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"

	"github.com/hubauth/hubauth/internal/server/audience"
	"github.com/hubauth/hubauth/internal/storage"
	"github.com/hubauth/hubauth/internal/storage/sqlite"
)

// TestDeviceGrantCarriesSession: a redeemed device authorization gets a
// refresh token and a login session when it asked for offline_access and
// its client may refresh; the session's label and id travel on the token
// request itself, from the stored authorization to the sid claim.
func TestDeviceGrantCarriesSession(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	store, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "hub.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	if err := store.CreateUser(ctx, storage.User{ID: "u1", Username: "ada", CreatedAt: now}); err != nil {
		t.Fatal(err)
	}
	cfg := Config{Store: store, Now: func() time.Time { return now }}
	cfg.setDefaults()
	s := newStorage(cfg)
	device, refresh := string(oidc.GrantTypeDeviceCode), string(oidc.GrantTypeRefreshToken)
	tests := []struct {
		name        string
		scopes      []string
		grants      []string
		wantSession bool
	}{
		{"offline access, refreshing client", []string{"openid", "offline_access"}, []string{device, refresh}, true},
		{"no offline access", []string{"openid"}, []string{device, refresh}, false},
		{"client without the refresh grant", []string{"openid", "offline_access"}, []string{device}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := &client{Client: storage.Client{ID: "cli", Public: true, GrantTypes: tt.grants}}
			d := storage.DeviceAuth{ClientID: "cli", UserID: "u1", Scopes: tt.scopes, SessionName: "laptop", AuthTime: now, AMR: []string{"pwd"}}
			req := newDeviceGrant(d, c, audience.Target{})
			if _, ok := req.(op.RefreshTokenRequest); ok != tt.wantSession || needsRefreshToken(req, c) != tt.wantSession {
				t.Fatalf("refresh token request = %v, needs one = %v, want %v", ok, needsRefreshToken(req, c), tt.wantSession)
			}
			if tt.wantSession {
				if _, _, _, err := s.CreateAccessAndRefreshTokens(ctx, req, ""); err != nil {
					t.Fatal(err)
				}
			} else if _, _, err := s.CreateAccessToken(ctx, req); err != nil {
				t.Fatal(err)
			}
			sid := sessionOf(req) // the access token's sid claim
			hasSID := sid != ""
			if hasSID != tt.wantSession {
				t.Fatalf("sid claim = %q, want one: %v", sid, tt.wantSession)
			}
			if !hasSID {
				return
			}
			sess, err := store.GetSession(ctx, sid)
			if err != nil {
				t.Fatalf("the sid names no session: %v", err)
			}
			if sess.Name != "laptop" || sess.Method != storage.MethodDevice || sess.UserID != "u1" || sess.ClientID != "cli" {
				t.Errorf("session = %q %s of %s by %s, want \"laptop\" device of u1 by cli", sess.Name, sess.Method, sess.UserID, sess.ClientID)
			}
		})
	}
}

func TestSessionLabel(t *testing.T) {
	tests := []struct{ name, tokenName, want string }{
		{"none", "", ""},
		{"trimmed", "  laptop ", "laptop"},
		{"control character dropped", "lap\x1btop", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := sessionLabel(url.Values{"token_name": {tt.tokenName}}); got != tt.want {
				t.Errorf("sessionLabel(%q) = %q, want %q", tt.tokenName, got, tt.want)
			}
		})
	}
}
