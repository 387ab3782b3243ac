package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/hubauth/hubauth/internal/hubtest"
	"github.com/hubauth/hubauth/internal/storage"
)

// The loopback rule for native clients (RFC 8252 §7.3): a registered
// loopback redirect URI matches on any port over http, on 127.0.0.1 and
// [::1], and on localhost only for a client that registered localhost (the
// name in any case, as the CLI lets an operator register it); nothing else is matched but exactly. A refused redirect URI gets the
// hub's error page, never a redirect.
func TestLoopbackRedirectRule(t *testing.T) {
	h := newHub(t)
	h.AddClient(t, storage.Client{ID: "local-cli", Public: true, RedirectURIs: []string{"http://localhost/cb"},
		GrantTypes: []string{"authorization_code"}})
	h.AddClient(t, storage.Client{ID: "upper-cli", Public: true, RedirectURIs: []string{"http://LocalHost/cb"},
		GrantTypes: []string{"authorization_code"}})
	b := signedIn(t, h)
	tests := []struct {
		client, redirect string
		allowed          bool
	}{
		{"hubauth-cli", "http://127.0.0.1:5000/callback", true},
		{"hubauth-cli", "http://[::1]:5000/callback", true},
		{"hubauth-cli", "http://127.0.0.1/callback", true},
		{"hubauth-cli", "https://127.0.0.1:5000/callback", false},
		{"hubauth-cli", "https://127.0.0.1/callback", false},
		{"hubauth-cli", "http://localhost:5000/callback", false},
		{"hubauth-cli", "http://LocalHost:5000/callback", false},
		{"hubauth-cli", "http://127.0.0.2:5000/callback", false},
		{"hubauth-cli", "http://[::ffff:127.0.0.1]:5000/callback", false},
		{"hubauth-cli", "http://127.0.0.1:5000/callback/", false},
		{"hubauth-cli", "http://127.0.0.1:5000/callbac%6b", false},
		{"hubauth-cli", "http://127.0.0.1:5000/callback?x=1", false},
		{"hubauth-cli", "http://u@127.0.0.1:5000/callback", false},
		{"hubauth-cli", "ftp://127.0.0.1:5000/callback", false},
		{"local-cli", "http://localhost:5000/cb", true},
		{"local-cli", "http://localhost/cb", true},
		{"local-cli", "http://127.0.0.1:5000/cb", true},
		{"local-cli", "https://localhost:5000/cb", false},
		{"local-cli", "http://localhost:5000/other", false},
		{"local-cli", "http://LOCALHOST:5000/cb", true},
		{"upper-cli", "http://localhost:5000/cb", true},
		{"upper-cli", "http://LocalHost:5000/cb", true},
		{"upper-cli", "http://[::1]:5000/cb", true},
	}
	for _, tt := range tests {
		t.Run(tt.client+" "+tt.redirect, func(t *testing.T) {
			p := authorizeAs(h, b, url.Values{"client_id": {tt.client}, "redirect_uri": {tt.redirect}})
			if strings.Contains(p.Body, `action="/consent"`) { // local-cli is a third-party client
				form := hubtest.Hidden(p.Body)
				form.Set("decision", "approve")
				p = b.post("/consent", form)
			}
			if tt.allowed {
				if q, _ := answer(t, p); q.Get("code") == "" || !strings.HasPrefix(p.Location.String(), tt.redirect) {
					t.Fatalf("got %v, want a code at %s", p.Location, tt.redirect)
				}
				return
			}
			if p.Location != nil || p.Status != http.StatusBadRequest || !strings.Contains(p.Header.Get("Content-Type"), "text/html") {
				t.Fatalf("got %d %v, want the hub's 400 error page", p.Status, p.Location)
			}
		})
	}
}

// A response type the hub does not offer is refused at the (verified)
// redirect URI, not blamed on it; with an unregistered redirect URI the
// hub's own page answers (RFC 6749 §4.1.2.1).
func TestImplicitRequestGetsUnsupportedResponseType(t *testing.T) {
	h := newHub(t)
	app := storage.Client{ID: "webapp", Name: "Web app", RedirectURIs: []string{"http://app.example/cb"},
		GrantTypes: []string{"authorization_code"}}
	h.AddClient(t, app)
	b := h.newBrowser(t)
	for _, client := range []struct{ id, redirect string }{{"hubauth-cli", "http://127.0.0.1:5000/callback"}, {app.ID, app.RedirectURIs[0]}} {
		for _, rt := range []string{"id_token", "id_token token"} {
			p := b.get(h.URL + "/authorize?" + url.Values{"client_id": {client.id}, "redirect_uri": {client.redirect},
				"response_type": {rt}, "scope": {"openid"}, "nonce": {"n"}, "state": {"s"}}.Encode())
			if p.Location == nil || p.Location.Query().Get("error") != "unsupported_response_type" || p.Location.Query().Get("state") != "s" {
				t.Errorf("%s response_type=%s: %d %v, want error=unsupported_response_type at the redirect URI", client.id, rt, p.Status, p.Location)
			}
		}
	}
	p := b.get(h.URL + "/authorize?" + url.Values{"client_id": {app.ID}, "redirect_uri": {"https://evil.example/cb"},
		"response_type": {"id_token"}, "scope": {"openid"}}.Encode())
	if p.Location != nil || p.Status != http.StatusBadRequest {
		t.Errorf("implicit request with an unregistered redirect URI: %d %v, want the hub's 400 page", p.Status, p.Location)
	}
}

// A malformed query at /authorize (a bad %-escape in the redirect URI) is
// a 400 on the hub's HTML error page, never a 500 or plain text.
func TestMalformedAuthorizeQuery(t *testing.T) {
	h := newHub(t)
	_, challenge := pkce()
	for _, q := range []string{
		"client_id=hubauth-cli&response_type=code&scope=openid&code_challenge=" + challenge + "&code_challenge_method=S256&redirect_uri=http://127.0.0.1:1/%zz",
		"client_id=hubauth-cli&response_type=code&scope=openid&redirect_uri=http://127.0.0.1:1/callback&state=%zz",
		"client_id=hubauth-cli&response_type=code&scope=openid&redirect_uri=" + url.QueryEscape("http://127.0.0.1:1/%zz"),
		"client_id=hubauth-cli&response_type=code&scope=openid",
	} {
		p := h.newBrowser(t).get(h.URL + "/authorize?" + q)
		if p.Status != http.StatusBadRequest || p.Location != nil || !strings.Contains(p.Header.Get("Content-Type"), "text/html") ||
			!strings.Contains(p.Body, "<!doctype html>") {
			t.Errorf("%s: %d %v %q, want the hub's 400 HTML error page", q, p.Status, p.Location, p.Header.Get("Content-Type"))
		}
	}
}
