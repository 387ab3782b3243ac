package server_test

import (
	"context"
	"strings"
	"testing"

	"golang.org/x/oauth2"

	"github.com/hubauth/hubauth/internal/hubtest"
	"github.com/hubauth/hubauth/internal/storage"
)

// A third-party web application gets the consent page, showing its name
// and the scopes; first-party clients (hubauth-cli) do not.
func TestConsentForThirdPartyClients(t *testing.T) {
	h := newHub(t)
	app := storage.Client{ID: "notebook", Name: "Lab Notebook", RedirectURIs: []string{"https://notebook.example/cb"},
		GrantTypes: []string{"authorization_code", "refresh_token"}}
	sec := h.AddClient(t, app)
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
			form := hubtest.Hidden(p.Body)
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
}

// A code presented by another client, without its verifier, with a wrong
// verifier or redirect URI is refused without being spent: the client it
// was issued to redeems it afterwards (RFC 6749 §4.1.3, RFC 7636 §4.6).
func TestRefusedCodeStaysUsable(t *testing.T) {
	h := newHub(t)
	other := storage.Client{ID: "other-cli", Public: true, RedirectURIs: []string{"http://127.0.0.1/callback"},
		GrantTypes: []string{"authorization_code"}}
	h.AddClient(t, other)
	cfg := h.cliConfig()
	b := h.newBrowser(t)
	verifier := oauth2.GenerateVerifier()
	code := codeFrom(t, b.login(b.authorize(cfg, "r", oauth2.S256ChallengeOption(verifier)), demoUser, demoPassword), "r")

	otherCfg := *cfg
	otherCfg.ClientID = other.ID
	wrongRedirect := *cfg
	wrongRedirect.RedirectURL = "http://127.0.0.1:49152/other"
	tests := []struct {
		name      string
		cfg       *oauth2.Config
		opts      []oauth2.AuthCodeOption
		wantError string
	}{
		{"another client", &otherCfg, []oauth2.AuthCodeOption{oauth2.VerifierOption(verifier)}, "invalid_grant"},
		{"wrong verifier", cfg, []oauth2.AuthCodeOption{oauth2.VerifierOption(oauth2.GenerateVerifier())}, "invalid_grant"},
		{"no verifier", cfg, nil, "invalid_request"},
		{"wrong redirect_uri", &wrongRedirect, []oauth2.AuthCodeOption{oauth2.VerifierOption(verifier)}, "invalid_grant"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.cfg.Exchange(context.Background(), code, tt.opts...)
			if got := retrieveError(err); got != tt.wantError {
				t.Fatalf("exchange: %v, want %s", err, tt.wantError)
			}
		})
	}
	tok, err := cfg.Exchange(context.Background(), code, oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatalf("the right client with the right verifier after refused attempts: %v, want tokens", err)
	}
	if _, e := refresh(t, h, tok.RefreshToken); e != "" {
		t.Fatalf("refresh after the exchange: %s", e)
	}
}
