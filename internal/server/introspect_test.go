package server_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hubauth/hubauth/internal/storage"
)

// RFC 7662: a refresh token the hub would honour is active, with its
// scope, client, subject and expiry, whatever the token_type_hint (§2.1);
// one rotated outside the grace window, revoked or expired is not.
func TestIntrospectRefreshToken(t *testing.T) {
	h := newHub(t)
	sec := h.AddClient(t, resourceClient)
	user, err := h.Store.GetUserByUsername(context.Background(), demoUser)
	if err != nil {
		t.Fatal(err)
	}
	issued := h.Clock.Now()
	tok := h.browserLogin(t, h.newBrowser(t), h.cliConfig())

	for _, hint := range []string{"", "refresh_token", "access_token", "something_else"} {
		t.Run("hint "+hint, func(t *testing.T) {
			got := h.introspectHint(t, sec, tok.RefreshToken, hint)
			want := map[string]any{"active": true, "token_type": "refresh_token", "client_id": "hubauth-cli",
				"sub": user.ID, "scope": "openid profile offline_access", "username": demoUser}
			for k, v := range want {
				if got[k] != v {
					t.Errorf("%s = %v, want %v (%v)", k, got[k], v, got)
				}
			}
			exp, _ := got["exp"].(float64)
			if wantExp := issued.Add(30 * 24 * time.Hour); time.Unix(int64(exp), 0).Sub(wantExp).Abs() > 5*time.Second {
				t.Errorf("exp = %v, want the refresh token's expiry %v", time.Unix(int64(exp), 0), wantExp)
			}
			// An access token is found whatever the hint too.
			if got := h.introspectHint(t, sec, tok.AccessToken, hint); got["active"] != true || got["token_type"] != "access_token" {
				t.Errorf("access token with hint %q: %v", hint, got)
			}
		})
	}

	next, e := refresh(t, h, tok.RefreshToken)
	if e != "" {
		t.Fatalf("refresh: %s", e)
	}
	if got := h.introspect(t, sec, tok.RefreshToken); got["active"] != true {
		t.Errorf("a token rotated within the grace window (still honoured): %v, want active", got)
	}
	h.Clock.Advance(11 * time.Second)
	states := func(tokens ...string) []bool {
		var out []bool
		for _, tk := range tokens {
			out = append(out, h.introspectHint(t, sec, tk, "refresh_token")["active"] == true)
		}
		return out
	}
	if diff := cmp.Diff([]bool{false, true}, states(tok.RefreshToken, next)); diff != "" {
		t.Errorf("rotated outside the grace window, then its successor: active (-want +got):\n%s", diff)
	}
	if status := h.revoke(t, next, "refresh_token"); status != 200 {
		t.Fatalf("revoke: %d", status)
	}
	if diff := cmp.Diff([]bool{false}, states(next)); diff != "" {
		t.Errorf("revoked: active (-want +got):\n%s", diff)
	}

	// A disabled user's, then expired (idle lifetime).
	later := h.browserLogin(t, h.newBrowser(t), h.cliConfig()).RefreshToken
	setDisabled := func(disabled bool) {
		t.Helper()
		if err := h.Store.UpdateUser(context.Background(), user.ID, func(u storage.User) (storage.User, error) {
			u.Disabled = disabled
			return u, nil
		}); err != nil {
			t.Fatal(err)
		}
		h.Clock.Advance(3 * time.Second) // past the provider's row cache
	}
	setDisabled(true)
	disabledState := states(later)
	setDisabled(false)
	enabledState := states(later)
	h.Clock.Advance(31 * 24 * time.Hour)
	if diff := cmp.Diff([]bool{false, true, false}, append(append(disabledState, enabledState...), states(later)...)); diff != "" {
		t.Errorf("user disabled, enabled again, token expired: active (-want +got):\n%s", diff)
	}
	if got := h.introspect(t, sec, "not-"+strings.Repeat("x", 40)); got["active"] != false {
		t.Errorf("unknown token: %v", got)
	}
}

// Introspecting a refresh token reports the scopes a refresh would grant:
// one an operator no longer allows the client (hubauth admin client
// set-scopes after the login) is not listed.
func TestIntrospectRefreshTokenOfANarrowedClient(t *testing.T) {
	h := newHub(t)
	sec := h.AddClient(t, resourceClient)
	rt := h.browserLogin(t, h.newBrowser(t), h.cliConfig()).RefreshToken
	if err := h.Store.UpdateClient(context.Background(), "hubauth-cli", func(c storage.Client) (storage.Client, error) {
		c.RestrictScopes, c.AllowedScopes = true, []string{"openid", "offline_access"}
		return c, nil
	}); err != nil {
		t.Fatal(err)
	}
	h.Clock.Advance(3 * time.Second) // past the provider's row cache

	introspected, _ := h.introspect(t, sec, rt)["scope"].(string)
	status, body, _ := h.postForm(t, "/oauth/token", url.Values{
		"grant_type": {"refresh_token"}, "refresh_token": {rt}, "client_id": {"hubauth-cli"}})
	refreshed, _ := body["scope"].(string)
	if status != 200 {
		t.Fatalf("refresh: %d %v", status, body)
	}
	if diff := cmp.Diff("openid offline_access", introspected); diff != "" {
		t.Errorf("introspected scope (-want +got):\n%s", diff)
	}
	if introspected != refreshed {
		t.Errorf("introspection says %q, a refresh grants %q", introspected, refreshed)
	}
}
