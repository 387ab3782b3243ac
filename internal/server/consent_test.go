package server_test

import (
	"context"
	"strings"
	"testing"

	"golang.org/x/oauth2"

	"github.com/hubauth/hubauth/internal/storage"
)

// A third-party web application gets the consent page, showing its name
// and the scopes; first-party clients (hubauth-cli) do not.
func TestConsentForThirdPartyClients(t *testing.T) {
	h := newHub(t)
	app := storage.Client{ID: "notebook", Name: "Lab Notebook", RedirectURIs: []string{"https://notebook.example/cb"},
		GrantTypes: []string{"authorization_code", "refresh_token"}}
	sec := h.addClient(t, app)
	cfg := &oauth2.Config{ClientID: app.ID, ClientSecret: sec, RedirectURL: app.RedirectURIs[0], Scopes: []string{"openid", "email"},
		Endpoint: oauth2.Endpoint{AuthURL: h.URL + "/authorize", TokenURL: h.URL + "/oauth/token"}}
	b := h.newBrowser(t)

	for _, tt := range []struct{ decision, wantError string }{{"deny", "access_denied"}, {"approve", ""}} {
		t.Run(tt.decision, func(t *testing.T) {
			verifier := oauth2.GenerateVerifier()
			p := b.authorize(cfg, "c1", oauth2.S256ChallengeOption(verifier))
			if strings.Contains(p.Body, `action="/login"`) {
				p = b.login(p, demoUser, demoPassword)
			}
			if !strings.Contains(p.Body, "Lab Notebook") || !strings.Contains(p.Body, "<code>email</code>") || !strings.Contains(p.Body, `action="/consent"`) {
				t.Fatalf("want the consent page with the client's name and scopes, got %d:\n%s", p.Status, p.Body)
			}
			form := hidden(p.Body)
			form.Set("decision", tt.decision)
			p = b.post("/consent", form)
			if tt.wantError != "" {
				if p.Location == nil || p.Location.Query().Get("error") != tt.wantError {
					t.Fatalf("want error=%s at the application, got %d %v", tt.wantError, p.Status, p.Location)
				}
				return
			}
			if _, err := cfg.Exchange(context.Background(), codeFrom(t, p, "c1"), oauth2.VerifierOption(verifier)); err != nil {
				t.Fatalf("exchange: %v", err)
			}
		})
	}
}

// An authorization code is single use; a replay revokes what it issued
// (RFC 6749 §4.1.2).
func TestAuthorizationCodeReplay(t *testing.T) {
	h := newHub(t)
	cfg := h.cliConfig()
	b := h.newBrowser(t)
	verifier := oauth2.GenerateVerifier()
	p := b.authorize(cfg, "r", oauth2.S256ChallengeOption(verifier))
	code := codeFrom(t, b.login(p, demoUser, demoPassword), "r")
	tok, err := cfg.Exchange(context.Background(), code, oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cfg.Exchange(context.Background(), code, oauth2.VerifierOption(verifier)); retrieveError(err) != "invalid_grant" {
		t.Fatalf("replayed code: %v, want invalid_grant", err)
	}
	if _, e := refresh(t, h, tok.RefreshToken); e != "invalid_grant" {
		t.Fatalf("refresh token of a replayed code still works (%q)", e)
	}
	// A wrong PKCE verifier fails, and burns the code.
	verifier2 := oauth2.GenerateVerifier()
	p = b.authorize(cfg, "r2", oauth2.S256ChallengeOption(verifier2))
	code2 := codeFrom(t, p, "r2")
	if _, err := cfg.Exchange(context.Background(), code2, oauth2.VerifierOption(oauth2.GenerateVerifier())); retrieveError(err) != "invalid_grant" {
		t.Fatalf("wrong verifier: %v, want invalid_grant", err)
	}
	if _, err := cfg.Exchange(context.Background(), code2); err == nil {
		t.Fatal("a code exchanged without its PKCE verifier")
	}
}
