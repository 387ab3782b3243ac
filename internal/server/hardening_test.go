package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/hubauth/hubauth/internal/storage"
)

// An ID token verifies like an access token (same issuer and keys) but is
// not one: no API accepts it.
func TestIDTokenIsNotAnAccessToken(t *testing.T) {
	h := newHub(t)
	tok := h.browserLogin(t, h.newBrowser(t), h.cliConfig())
	idToken, _ := tok.Extra("id_token").(string)
	for _, path := range []string{"/api/v1/users/me", "/userinfo", "/api/v1/auth/app_token?expires_in=60"} {
		if status, _, _ := h.getJSON(t, path, idToken); status != http.StatusUnauthorized {
			t.Errorf("%s with an ID token: %d, want 401", path, status)
		}
	}
}

// A personal token cannot mint another (it would outlive the maximum),
// and a third-party client's token needs tokens:write.
func TestAppTokenNeedsAFirstPartyAccessToken(t *testing.T) {
	h := newHub(t)
	_, body, _ := h.getJSON(t, "/api/v1/auth/app_token?expires_in=60", h.passwordToken(t))
	pat := body["access_token"].(string)
	if status, body, _ := h.getJSON(t, "/api/v1/auth/app_token?expires_in=60", pat); status != http.StatusForbidden {
		t.Fatalf("app token from a personal token: %d %v, want 403", status, body)
	}
}

// RFC 7009 §2.1: the hint is a hint. A refresh token or a personal token
// sent with token_type_hint=access_token is still revoked.
func TestRevocationIgnoresAWrongHint(t *testing.T) {
	h := newHub(t)
	tok := h.browserLogin(t, h.newBrowser(t), h.cliConfig())
	if status := h.revoke(t, tok.RefreshToken, "access_token"); status != 200 {
		t.Fatalf("revoke: %d", status)
	}
	if _, e := refresh(t, h, tok.RefreshToken); e != "invalid_grant" {
		t.Fatalf("refresh token revoked with a wrong hint still works (%q)", e)
	}
	_, body, _ := h.getJSON(t, "/api/v1/auth/app_token?expires_in=60", h.passwordToken(t))
	pat := body["access_token"].(string)
	h.revoke(t, pat, "access_token")
	if status, _, _ := h.getJSON(t, "/api/v1/users/me", pat); status != http.StatusUnauthorized {
		t.Fatalf("personal token revoked with a wrong hint still works: %d", status)
	}
}

// A refresh refused for the wrong client or for scopes beyond the session
// does not use the token up.
func TestRefusedRefreshLeavesTheTokenUsable(t *testing.T) {
	h := newHub(t)
	h.AddClient(t, storage.Client{ID: "other-cli", Name: "Other", Public: true, GrantTypes: []string{"refresh_token"}})
	tok := h.browserLogin(t, h.newBrowser(t), h.cliConfig())
	for _, tt := range []struct{ name, client, scope, want string }{
		{"another client", "other-cli", "", "invalid_grant"},
		{"a scope beyond the session", "hubauth-cli", "openid tokens:write", "invalid_scope"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			form := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok.RefreshToken}, "client_id": {tt.client}}
			if tt.scope != "" {
				form.Set("scope", tt.scope)
			}
			_, body, _ := h.postForm(t, "/oauth/token", form)
			if body["error"] != tt.want {
				t.Fatalf("got %v, want %s", body, tt.want)
			}
		})
	}
	h.Clock.Advance(time.Minute) // past the grace window: a used-up token would now revoke the session
	if _, e := refresh(t, h, tok.RefreshToken); e != "" {
		t.Fatalf("the token was used up by refused requests: %s", e)
	}
}

// Scopes and clients are checked the same way at every grant.
func TestScopesAndClientsCheckedAtEveryEntrance(t *testing.T) {
	h := newHub(t)
	sec := h.AddClient(t, storage.Client{ID: "web", Name: "Web", GrantTypes: []string{"authorization_code"}, RedirectURIs: []string{"https://web.example/cb"}})
	login := url.Values{"username": {demoUser}, "password": {demoPassword}}
	with := func(k, v string) url.Values {
		f := url.Values{}
		for kk, vv := range login {
			f[kk] = vv
		}
		f.Set(k, v)
		return f
	}
	tests := []struct {
		name, path string
		form       url.Values
		want       string
	}{
		{"password endpoint: unknown scope", "/api/v1/auth/token", with("scope", "openid admin"), "invalid_scope"},
		{"password endpoint: confidential client", "/api/v1/auth/token", with("client_id", "web"), "unauthorized_client"},
		{"device: unknown scope", "/oauth/device_authorization", url.Values{"client_id": {"hubauth-cli"}, "scope": {"openid everything"}}, "invalid_scope"},
		{"device: client without the grant", "/oauth/device_authorization", url.Values{"client_id": {"web"}, "client_secret": {sec}, "scope": {"openid"}}, "unauthorized_client"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body, _ := h.postForm(t, tt.path, tt.form)
			if status != http.StatusBadRequest || body["error"] != tt.want {
				t.Fatalf("%d %v, want 400 %s", status, body, tt.want)
			}
		})
	}
}

// Endpoints that take credentials refuse GET (no secrets in URLs), and
// userinfo's 401 carries the bearer challenge (RFC 6750 §3).
func TestPostOnlyEndpointsAndUserinfoChallenge(t *testing.T) {
	h := newHub(t)
	for _, path := range []string{"/oauth/token", "/oauth/revoke", "/oauth/introspect", "/oauth/device_authorization"} {
		status, body, hdr := h.getJSON(t, path+"?client_id=hubauth-cli&grant_type=refresh_token&refresh_token=x", "")
		if status != http.StatusMethodNotAllowed || hdr.Get("Allow") != "POST" || body["error"] == nil {
			t.Errorf("GET %s: %d Allow=%q %v, want 405", path, status, hdr.Get("Allow"), body)
		}
	}
	status, body, hdr := h.getJSON(t, "/userinfo", "garbage")
	if status != 401 || body["error"] != "invalid_token" || !strings.HasPrefix(hdr.Get("WWW-Authenticate"), "Bearer") {
		t.Fatalf("userinfo with a bad token: %d %v %q", status, body, hdr.Get("WWW-Authenticate"))
	}
}

// Guessing codes at the approval step is rate-limited like entering them.
func TestDeviceApprovalIsRateLimited(t *testing.T) {
	h := newHub(t)
	b := h.newBrowser(t)
	b.login(b.get(h.URL+"/login"), demoUser, demoPassword)
	var last page
	for range 30 {
		last = b.post("/device/approve", url.Values{"user_code": {"BCDF-GHJK"}, "decision": {"approve"}})
		if last.Status == http.StatusTooManyRequests {
			return
		}
	}
	t.Fatalf("30 guesses at /device/approve: last %d, want 429", last.Status)
}

// An unknown scope in the browser flow is refused at the application's
// redirect URI with the valid scopes listed, not silently dropped; the
// groups scope puts a groups claim in the ID token and userinfo.
func TestBrowserFlowScopes(t *testing.T) {
	h := newHub(t)
	p := h.newBrowser(t).authorize(h.cliConfig("openid", "uploads:delete"), "s", oauth2.S256ChallengeOption(oauth2.GenerateVerifier()))
	if p.Location == nil || p.Location.Query().Get("error") != "invalid_scope" || !strings.Contains(p.Location.Query().Get("error_description"), "valid scopes") {
		t.Fatalf("unknown scope: want invalid_scope at the application, got %d %v", p.Status, p.Location)
	}
	ctx := context.Background()
	ada, _ := h.Store.GetUserByUsername(ctx, demoUser)
	if err := h.Store.CreateGroup(ctx, storage.Group{Name: "nmr", CreatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	if err := h.Store.AddGroupMember(ctx, "nmr", ada.ID); err != nil {
		t.Fatal(err)
	}
	tok := h.browserLogin(t, h.newBrowser(t), h.cliConfig("openid", "profile", "groups"))
	prov, err := oidc.NewProvider(ctx, h.URL)
	if err != nil {
		t.Fatal(err)
	}
	idt, err := prov.Verifier(&oidc.Config{ClientID: "hubauth-cli"}).Verify(ctx, tok.Extra("id_token").(string))
	if err != nil {
		t.Fatal(err)
	}
	var claims struct{ Groups []string }
	if err := idt.Claims(&claims); err != nil || len(claims.Groups) != 1 || claims.Groups[0] != "nmr" {
		t.Fatalf("ID token groups = %v (%v), want [nmr]", claims.Groups, err)
	}
	info, err := prov.UserInfo(ctx, oauth2.StaticTokenSource(tok))
	if err != nil {
		t.Fatal(err)
	}
	if err := info.Claims(&claims); err != nil || len(claims.Groups) != 1 {
		t.Fatalf("userinfo groups = %v (%v)", claims.Groups, err)
	}
}
