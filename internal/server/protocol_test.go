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
	"golang.org/x/oauth2/clientcredentials"

	"github.com/hubauth/hubauth/internal/server"
	"github.com/hubauth/hubauth/internal/server/keys"
	"github.com/hubauth/hubauth/internal/storage"
)

// resourceClient is a data API that introspects tokens.
var resourceClient = storage.Client{ID: "datahub", Name: "Data hub", GrantTypes: []string{"client_credentials"}}

// introspect asks RFC 7662 about token as the resource client.
func (h *hub) introspect(t *testing.T, sec, token string) map[string]any {
	t.Helper()
	return h.introspectHint(t, sec, token, "")
}

// introspectHint asks RFC 7662 about token with a token_type_hint.
func (h *hub) introspectHint(t *testing.T, sec, token, hint string) map[string]any {
	t.Helper()
	form := url.Values{"token": {token}}
	if hint != "" {
		form.Set("token_type_hint", hint)
	}
	req, _ := http.NewRequest(http.MethodPost, h.URL+"/oauth/introspect", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(resourceClient.ID, sec)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	status, body, _ := decode(t, resp)
	if status != 200 {
		t.Fatalf("introspect: %d %v", status, body)
	}
	return body
}

func (h *hub) revoke(t *testing.T, token, hint string) int {
	t.Helper()
	status, _, _ := h.postForm(t, "/oauth/revoke", url.Values{"token": {token}, "token_type_hint": {hint}, "client_id": {"hubauth-cli"}})
	return status
}

func TestClientCredentials(t *testing.T) {
	h := newHub(t)
	sec := h.AddClient(t, resourceClient)
	cc := clientcredentials.Config{ClientID: resourceClient.ID, ClientSecret: sec, TokenURL: h.URL + "/oauth/token"}
	tok, err := cc.Token(context.Background())
	if err != nil {
		t.Fatalf("client_credentials: %v", err)
	}
	if got := h.introspect(t, sec, tok.AccessToken); got["active"] != true || got["sub"] != resourceClient.ID || got["client_id"] != resourceClient.ID {
		t.Fatalf("introspection: %v", got)
	}
	bad := cc
	bad.ClientSecret = "wrong"
	if _, err := bad.Token(context.Background()); retrieveError(err) != "invalid_client" {
		t.Fatalf("wrong secret: %v, want invalid_client", err)
	}
	public := clientcredentials.Config{ClientID: "hubauth-cli", TokenURL: h.URL + "/oauth/token"}
	if _, err := public.Token(context.Background()); err == nil {
		t.Fatal("a public client got client_credentials")
	}
}

func TestRevocationIntrospectionAndLogout(t *testing.T) {
	h := newHub(t)
	sec := h.AddClient(t, resourceClient)
	b := h.newBrowser(t)
	tok := h.browserLogin(t, b, h.cliConfig())

	got := h.introspect(t, sec, tok.AccessToken)
	if got["active"] != true || got["sid"] == nil || got["scope"] == nil || got["exp"] == nil {
		t.Fatalf("introspection of a live access token: %v", got)
	}
	if got["username"] != demoUser {
		t.Errorf("introspection without the username: %v", got)
	}
	if got := h.introspect(t, sec, "garbage"); got["active"] != false {
		t.Fatalf("introspection of garbage: %v", got)
	}
	// Revoking the access token (RFC 7009) makes it inactive.
	if status := h.revoke(t, tok.AccessToken, "access_token"); status != 200 {
		t.Fatalf("revoke access token: %d", status)
	}
	if got := h.introspect(t, sec, tok.AccessToken); got["active"] != false {
		t.Fatalf("revoked access token still active: %v", got)
	}
	// Revoking the refresh token ends the session.
	if status := h.revoke(t, tok.RefreshToken, "refresh_token"); status != 200 {
		t.Fatalf("revoke refresh token: %d", status)
	}
	if _, e := refresh(t, h, tok.RefreshToken); e != "invalid_grant" {
		t.Fatalf("refresh after revocation: %s, want invalid_grant", e)
	}
	if status := h.revoke(t, "unknown-token", ""); status != 200 {
		t.Fatalf("revoke unknown token: %d, want 200 (RFC 7009 §2.2)", status)
	}

	// A bare end_session link only leads to the confirmation page.
	tok2 := h.browserLogin(t, b, h.cliConfig())
	p := b.get(h.URL + "/end_session?client_id=hubauth-cli")
	if p.Status != 200 || !strings.Contains(p.Body, `action="/logout"`) {
		t.Fatalf("bare end_session: want the /logout confirmation, got %d\n%s", p.Status, p.Body)
	}
	next, e := refresh(t, h, tok2.RefreshToken)
	if e != "" {
		t.Fatalf("a bare end_session link ended the session: %s", e)
	}
	// With the user's id_token_hint it ends the hub session and revokes its logins.
	idToken, _ := tok2.Extra("id_token").(string)
	p = b.get(h.URL + "/end_session?" + url.Values{"client_id": {"hubauth-cli"}, "id_token_hint": {idToken}}.Encode())
	if p.Status >= 400 {
		t.Fatalf("end_session: %d\n%s", p.Status, p.Body)
	}
	if _, e := refresh(t, h, next); e != "invalid_grant" {
		t.Fatalf("refresh after end_session: %s, want invalid_grant", e)
	}
	p = b.authorize(h.cliConfig(), "x", oauth2.S256ChallengeOption(oauth2.GenerateVerifier()))
	if !strings.Contains(p.Body, `action="/login"`) {
		t.Fatalf("after logout the browser should see the login page, got %d %v", p.Status, p.Location)
	}
}

func TestKeyRotationKeepsOldTokensValid(t *testing.T) {
	h := newHub(t, func(c *server.Config) { c.KeyRefresh = time.Millisecond })
	ctx := context.Background()
	before := h.passwordToken(t)
	next, err := keys.Generate(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := h.Store.RotateSigningKeys(ctx, next); err != nil {
		t.Fatal(err)
	}
	time.Sleep(5 * time.Millisecond)
	after := h.passwordToken(t)
	ks := oidc.NewRemoteKeySet(ctx, h.URL+"/oauth/jwks")
	for name, tok := range map[string]string{"old key": before, "new key": after} {
		if _, err := ks.VerifySignature(ctx, tok); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if status, _, _ := h.getJSON(t, "/api/v1/users/me", tok); status != 200 {
			t.Errorf("%s: users/me %d", name, status)
		}
	}
	if kid(t, after) != next.ID {
		t.Errorf("new tokens are signed by %s, want the rotated key %s", kid(t, after), next.ID)
	}
}
