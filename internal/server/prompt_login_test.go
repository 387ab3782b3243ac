package server_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/hubauth/hubauth/internal/hubtest"
	"github.com/hubauth/hubauth/internal/storage"
)

// While the login form is shown for prompt=login or max_age, a consent
// posted directly with the request's id gets no code; after the user signs
// in, the request completes (OpenID Connect Core §3.1.2.1).
func TestConsentRefusedWhileLoginIsRequired(t *testing.T) {
	notebook := storage.Client{ID: "notebook", Name: "Lab Notebook", RedirectURIs: []string{"https://notebook.example/cb"},
		GrantTypes: []string{"authorization_code"}, Public: true}
	tests := []struct {
		name, client, param, value string
	}{
		{"first party prompt=login", "cli", "prompt", "login"},
		{"first party max_age=0", "cli", "max_age", "0"},
		{"third party prompt=login", "notebook", "prompt", "login"},
		{"third party max_age=60", "notebook", "max_age", "60"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHub(t)
			cfg := h.cliConfig()
			if tt.client == "notebook" {
				h.AddClient(t, notebook)
				cfg = &oauth2.Config{ClientID: notebook.ID, RedirectURL: notebook.RedirectURIs[0], Scopes: []string{"openid"},
					Endpoint: oauth2.Endpoint{AuthURL: h.URL + "/authorize", TokenURL: h.URL + "/oauth/token", AuthStyle: oauth2.AuthStyleInParams}}
			}
			b := h.newBrowser(t)
			b.login(b.get(h.URL+"/login"), demoUser, demoPassword) // a hub session
			h.Clock.Advance(2 * time.Minute)

			verifier := oauth2.GenerateVerifier()
			p := b.authorize(cfg, "pl", oauth2.S256ChallengeOption(verifier), oauth2.SetAuthURLParam(tt.param, tt.value))
			form := hubtest.Hidden(p.Body)
			if !strings.Contains(p.Body, `action="/login"`) || form.Get("authRequestID") == "" {
				t.Fatalf("want the login form with the request id, got %d %v", p.Status, p.Location)
			}
			form.Set("decision", "approve")
			if p := b.post("/consent", form); p.Location != nil || !strings.Contains(p.Body, `action="/login"`) {
				t.Fatalf("consent posted while the login form is shown: %d %v, want the login form again and no code", p.Status, p.Location)
			}

			p = b.login(p, demoUser, demoPassword)
			if strings.Contains(p.Body, `action="/consent"`) {
				p = b.post("/consent", form)
			}
			if _, err := cfg.Exchange(context.Background(), codeFrom(t, p, "pl"), oauth2.VerifierOption(verifier)); err != nil {
				t.Fatalf("exchange after signing in: %v", err)
			}
		})
	}
}
