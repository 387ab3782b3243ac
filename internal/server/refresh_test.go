package server_test

import (
	"context"
	"net/url"
	"testing"
	"time"
)

func refresh(t *testing.T, h *hub, rt string) (string, string) {
	t.Helper()
	status, body, hdr := h.postForm(t, "/oauth/token", url.Values{
		"grant_type": {"refresh_token"}, "refresh_token": {rt}, "client_id": {"hubauth-cli"}})
	if status != 200 {
		e, _ := body["error"].(string)
		return "", e
	}
	if hdr.Get("Cache-Control") != "no-store" {
		t.Errorf("token response Cache-Control = %q, want no-store", hdr.Get("Cache-Control"))
	}
	next, _ := body["refresh_token"].(string)
	return next, ""
}

func TestRefreshRotationGraceAndReuse(t *testing.T) {
	h := newHub(t)
	tok := h.browserLogin(t, h.newBrowser(t), h.cliConfig())

	r1, e := refresh(t, h, tok.RefreshToken)
	if e != "" || r1 == "" || r1 == tok.RefreshToken {
		t.Fatalf("first refresh: %q %s, want a new token", r1, e)
	}
	// Inside the grace window the old token gets a fresh pair of the same family.
	r2, e := refresh(t, h, tok.RefreshToken)
	if e != "" || r2 == "" || r2 == r1 {
		t.Fatalf("refresh within grace: %q %s", r2, e)
	}
	// Outside it, the old token revokes the whole family.
	h.Clock.Advance(time.Minute)
	if _, e := refresh(t, h, tok.RefreshToken); e != "invalid_grant" {
		t.Fatalf("reuse after grace: %s, want invalid_grant", e)
	}
	for _, rt := range []string{r1, r2} {
		if _, e := refresh(t, h, rt); e != "invalid_grant" {
			t.Fatalf("family member after reuse: %s, want invalid_grant", e)
		}
	}
	events, err := h.Store.ListAudit(context.Background(), 50)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, ev := range events {
		found = found || ev.Type == "refresh_reuse"
	}
	if !found {
		t.Fatalf("no refresh_reuse audit event in %+v", events)
	}
	// The family's access token is inactive at userinfo too.
	if status, _, _ := h.getJSON(t, "/userinfo", tok.AccessToken); status != 401 {
		t.Fatalf("userinfo after family revoked: %d, want 401", status)
	}
}

func TestRefreshWithXOAuth2TokenSource(t *testing.T) {
	h := newHub(t)
	cfg := h.cliConfig()
	tok := h.browserLogin(t, h.newBrowser(t), cfg)
	tok.Expiry = time.Now().Add(-time.Second) // force a refresh
	next, err := cfg.TokenSource(context.Background(), tok).Token()
	if err != nil {
		t.Fatalf("refresh via x/oauth2: %v", err)
	}
	if next.RefreshToken == tok.RefreshToken || next.AccessToken == tok.AccessToken {
		t.Fatal("refresh did not rotate")
	}
}
