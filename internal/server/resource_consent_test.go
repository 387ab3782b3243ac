package server_test

import (
	"net/url"
	"strings"
	"testing"

	"golang.org/x/oauth2"

	"github.com/hubauth/hubauth/internal/storage"
)

// TestResourceNeedsAScopeOfItsAPI: naming an API with resource gets no
// token for it unless the request asks for one of its scopes (an API
// checking aud alone would take a sign-in-only token), at authorize and
// at the device endpoint; the consent and device approval pages name the
// API the tokens will be for.
func TestResourceNeedsAScopeOfItsAPI(t *testing.T) {
	h := newAPIHub(t)
	app := storage.Client{ID: "notebook", Name: "Lab Notebook", RedirectURIs: []string{"https://notebook.example/cb"},
		GrantTypes: []string{"authorization_code", "refresh_token"}}
	sec := h.AddClient(t, app)
	cfg := &oauth2.Config{ClientID: app.ID, ClientSecret: sec, RedirectURL: app.RedirectURIs[0], Scopes: []string{"openid"},
		Endpoint: oauth2.Endpoint{AuthURL: h.URL + "/authorize", TokenURL: h.URL + "/oauth/token"}}
	b := h.newBrowser(t)

	t.Run("authorize, no scope of the API", func(t *testing.T) {
		p := b.authorize(cfg, "s1", oauth2.S256ChallengeOption(oauth2.GenerateVerifier()), resourceOpt(dataURI))
		if p.Location == nil || p.Location.Query().Get("error") != "invalid_target" {
			t.Fatalf("want error=invalid_target at the application, got %d %v:\n%s", p.Status, p.Location, p.Body)
		}
	})
	t.Run("consent names the API", func(t *testing.T) {
		withScope := *cfg
		withScope.Scopes = []string{"openid", "uploads:read"}
		p := b.authorize(&withScope, "s2", oauth2.S256ChallengeOption(oauth2.GenerateVerifier()), resourceOpt(dataURI))
		if strings.Contains(p.Body, `action="/login"`) {
			p = b.login(p, demoUser, demoPassword)
		}
		if !strings.Contains(p.Body, `action="/consent"`) || !strings.Contains(p.Body, "Data hub") || !strings.Contains(p.Body, "<code>"+dataURI+"</code>") {
			t.Fatalf("want the consent page naming the API, got %d:\n%s", p.Status, p.Body)
		}
	})
	t.Run("device, no scope of the API", func(t *testing.T) {
		status, body, _ := h.postForm(t, "/oauth/device_authorization", url.Values{"client_id": {storage.CLIClientID},
			"scope": {"openid offline_access"}, "resource": {computeURI}})
		if status != 400 || body["error"] != "invalid_target" {
			t.Fatalf("device authorization: %d %v, want 400 invalid_target", status, body)
		}
	})
	t.Run("device approval names the API", func(t *testing.T) {
		status, body, _ := h.postForm(t, "/oauth/device_authorization", url.Values{"client_id": {storage.CLIClientID},
			"scope": {"openid jobs:run"}, "resource": {computeURI}})
		if status != 200 {
			t.Fatalf("device authorization: %d %v", status, body)
		}
		p := b.post("/device", url.Values{"user_code": {body["user_code"].(string)}})
		if !strings.Contains(p.Body, `action="/device/approve"`) || !strings.Contains(p.Body, "Compute") || !strings.Contains(p.Body, "<code>"+computeURI+"</code>") {
			t.Fatalf("want the approval page naming the API, got %d:\n%s", p.Status, p.Body)
		}
	})
}
