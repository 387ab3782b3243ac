package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/hubauth/hubauth/internal/hubtest"
)

func TestBrowserLoginWithIndependentClients(t *testing.T) {
	h := newHub(t)
	ctx := context.Background()
	prov, err := oidc.NewProvider(ctx, h.URL)
	if err != nil {
		t.Fatalf("discovery: %v", err)
	}
	cfg := h.cliConfig()
	cfg.Endpoint = prov.Endpoint()
	cfg.Endpoint.AuthStyle = oauth2.AuthStyleInParams

	b := h.newBrowser(t)
	verifier := oauth2.GenerateVerifier()
	p := b.authorize(cfg, "s1", oauth2.S256ChallengeOption(verifier), oidc.Nonce("n0nce"))
	p = b.login(p, demoUser, demoPassword)
	code := codeFrom(t, p, "s1")
	if p.Location.Port() != "49152" {
		t.Errorf("redirected to %s, want the loopback port the client asked for", p.Location)
	}
	tok, err := cfg.Exchange(ctx, code, oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatalf("exchange: %v", err)
	}
	rawID, _ := tok.Extra("id_token").(string)
	idt, err := prov.Verifier(&oidc.Config{ClientID: cfg.ClientID}).Verify(ctx, rawID)
	if err != nil {
		t.Fatalf("verify id token: %v", err)
	}
	if idt.Nonce != "n0nce" {
		t.Errorf("nonce = %q, want n0nce", idt.Nonce)
	}
	if tok.RefreshToken == "" || tok.AccessToken == "" {
		t.Fatalf("want access and refresh tokens, got %+v", tok)
	}
	info, err := prov.UserInfo(ctx, oauth2.StaticTokenSource(tok))
	if err != nil {
		t.Fatalf("userinfo: %v", err)
	}
	if info.Subject != idt.Subject {
		t.Errorf("userinfo sub = %q, id token sub = %q", info.Subject, idt.Subject)
	}

	// Single sign-on: the same browser is not asked again, even with prompt=none.
	for _, opts := range [][]oauth2.AuthCodeOption{nil, {oauth2.SetAuthURLParam("prompt", "none")}} {
		verifier := oauth2.GenerateVerifier()
		p := b.authorize(cfg, "s2", append(opts, oauth2.S256ChallengeOption(verifier))...)
		if _, err := cfg.Exchange(ctx, codeFrom(t, p, "s2"), oauth2.VerifierOption(verifier)); err != nil {
			t.Fatalf("second exchange: %v", err)
		}
	}
	// prompt=login forces the login page.
	p = b.authorize(cfg, "s3", oauth2.S256ChallengeOption(verifier), oauth2.SetAuthURLParam("prompt", "login"))
	if p.Location != nil || !strings.Contains(p.Body, `action="/login"`) {
		t.Fatalf("prompt=login: want the login page, got %d %v", p.Status, p.Location)
	}
	// A new browser with prompt=none gets login_required at the application.
	p = h.newBrowser(t).authorize(cfg, "s4", oauth2.S256ChallengeOption(verifier), oauth2.SetAuthURLParam("prompt", "none"))
	if p.Location == nil || p.Location.Query().Get("error") != "login_required" {
		t.Fatalf("prompt=none without session: want login_required, got %d %v", p.Status, p.Location)
	}
}

func TestAuthorizeRefusals(t *testing.T) {
	h := newHub(t)
	_, challenge := pkce()
	base := url.Values{"client_id": {"hubauth-cli"}, "response_type": {"code"}, "scope": {"openid"},
		"redirect_uri": {"http://127.0.0.1:5000/callback"}, "state": {"x"}}
	tests := []struct {
		name      string
		change    func(url.Values)
		wantError string // at the application; "" means an HTML error page on the hub
		wantCode  int
	}{
		{"no PKCE from a public client", func(v url.Values) {}, "invalid_request", 0},
		{"plain PKCE", func(v url.Values) { v.Set("code_challenge", challenge); v.Set("code_challenge_method", "plain") }, "invalid_request", 0},
		{"unregistered redirect", func(v url.Values) { v.Set("redirect_uri", "https://evil.example/cb") }, "", http.StatusBadRequest},
		{"localhost path mismatch", func(v url.Values) { v.Set("redirect_uri", "http://127.0.0.1:5000/other") }, "", http.StatusBadRequest},
		{"unknown client", func(v url.Values) { v.Set("client_id", "nope") }, "", http.StatusBadRequest},
		{"missing client", func(v url.Values) { v.Del("client_id") }, "", http.StatusBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := url.Values{}
			for k, vs := range base {
				v[k] = append([]string(nil), vs...)
			}
			tt.change(v)
			p := h.newBrowser(t).get(h.URL + "/authorize?" + v.Encode())
			if tt.wantError != "" {
				if p.Location == nil || p.Location.Query().Get("error") != tt.wantError {
					t.Fatalf("want redirect with error=%s, got %d %v\n%s", tt.wantError, p.Status, p.Location, p.Body)
				}
				return
			}
			if p.Status != tt.wantCode || p.Location != nil || !strings.Contains(p.Header.Get("Content-Type"), "text/html") {
				t.Fatalf("want an HTML error page %d, got %d %v %s", tt.wantCode, p.Status, p.Location, p.Header.Get("Content-Type"))
			}
		})
	}
}

// An authorization request started by one party cannot be completed in
// another party's signed-in browser, and there is no callback step that
// hands out a code for a request id.
func TestAuthorizationRequestIsBoundToItsBrowser(t *testing.T) {
	h := newHub(t)
	cfg := h.cliConfig()
	victim := h.newBrowser(t)
	h.browserLogin(t, victim, cfg) // the victim has a hub session

	attacker := h.newBrowser(t)
	p := attacker.authorize(cfg, "evil", oauth2.S256ChallengeOption(oauth2.GenerateVerifier()))
	id := hubtest.Hidden(p.Body).Get("authRequestID")
	if id == "" {
		t.Fatalf("no authorization request id on the login page:\n%s", p.Body)
	}
	p = victim.get(h.URL + "/login?authRequestID=" + id)
	if p.Location != nil || p.Status != http.StatusBadRequest || !strings.Contains(p.Body, "another browser") {
		t.Fatalf("the victim's browser completed the attacker's request: %d %v", p.Status, p.Location)
	}
	if p := attacker.get(h.URL + "/authorize/callback?id=" + id); p.Location != nil || p.Status != http.StatusNotFound {
		t.Fatalf("/authorize/callback answered %d %v, want 404", p.Status, p.Location)
	}
}
