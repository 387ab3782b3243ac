package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/hubauth/hubauth/internal/hubtest"
	"github.com/hubauth/hubauth/internal/storage"
)

// Fixtures shared by the round trips in headless Chromium.

// newChromium starts a headless Chromium (hubtest.Chromium) for a test of
// at most a few minutes; each step below has its own time limit.
func newChromium(t *testing.T) context.Context { return hubtest.Chromium(t, 5*time.Minute) }

// steps returns run, which does actions in ctx and fails the test naming
// the step that did not complete.
func steps(t *testing.T, ctx context.Context) func(step string, actions ...chromedp.Action[chromedp.Void]) {
	return func(step string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
	}
}

// fillLogin types username and password into the login form shown (a
// hub's or an upstream's: both name their fields so) and submits it.
func fillLogin(username, password string) []chromedp.Action[chromedp.Void] {
	return []chromedp.Action[chromedp.Void]{
		chromedp.WaitVisible(css(`input[name="username"]`)),
		chromedp.SendKeys(css(`input[name="username"]`), username),
		chromedp.SendKeys(css(`input[name="password"]`), password),
		chromedp.Submit(css(`input[name="password"]`)),
	}
}

// signInButton selects the login page's "Sign in with display" link.
func signInButton(display string) string {
	return `//a[@class="button" and contains(., "Sign in with ` + display + `")]`
}

// chromiumApp is "the application" of the browser round trips: a relying
// party on 127.0.0.1, registered at a hub as a confidential third-party
// client (so the hub asks for consent), that uses x/oauth2 and go-oidc.
// Its redirect URI keeps the query of every request it receives and
// answers a page with #done.
type chromiumApp struct {
	t        *testing.T
	cfg      *oauth2.Config
	prov     *oidc.Provider
	verifier string
	received chan url.Values
}

// newChromiumApp starts the application and registers it at h as
// "Lab Notebook".
func newChromiumApp(t *testing.T, h *hub) *chromiumApp {
	t.Helper()
	a := &chromiumApp{t: t, verifier: oauth2.GenerateVerifier(), received: make(chan url.Values, 8)}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case a.received <- r.URL.Query():
		default:
		}
		fmt.Fprint(w, "<!doctype html><title>app</title><p id=done>The application is back.</p>")
	}))
	t.Cleanup(srv.Close)
	client := storage.Client{ID: "notebook", Name: "Lab Notebook", RedirectURIs: []string{srv.URL + "/cb"},
		GrantTypes: []string{storage.GrantAuthorizationCode}}
	sec := h.AddClient(t, client)
	prov, err := oidc.NewProvider(context.Background(), h.URL)
	if err != nil {
		t.Fatalf("discovery at the hub: %v", err)
	}
	a.prov = prov
	a.cfg = &oauth2.Config{ClientID: client.ID, ClientSecret: sec, RedirectURL: client.RedirectURIs[0],
		Endpoint: prov.Endpoint(), Scopes: []string{"openid", "profile"}}
	return a
}

// authURL is where the application sends the browser to sign in: the
// hub's /authorize with state, a nonce and a PKCE challenge.
func (a *chromiumApp) authURL(state string) string {
	return a.cfg.AuthCodeURL(state, oauth2.S256ChallengeOption(a.verifier), oidc.Nonce("nonce-"+state))
}

// signedIn takes the code the application received with state, exchanges
// it and returns the ID token verified by go-oidc.
func (a *chromiumApp) signedIn(state string) *oidc.IDToken {
	a.t.Helper()
	var q url.Values
	select {
	case q = <-a.received:
	default:
		a.t.Fatal("the application received no request")
	}
	if q.Get("state") != state || q.Get("code") == "" {
		a.t.Fatalf("the application received %v, want a code and state %s", q, state)
	}
	tok, err := a.cfg.Exchange(context.Background(), q.Get("code"), oauth2.VerifierOption(a.verifier))
	if err != nil {
		a.t.Fatalf("exchange the code the application received: %v", err)
	}
	return verifyID(a.t, a.prov, a.cfg.ClientID, tok, "nonce-"+state)
}

// receivedNothing fails the test if any request reached the application.
func (a *chromiumApp) receivedNothing() {
	a.t.Helper()
	select {
	case q := <-a.received:
		a.t.Fatalf("the application received %v, want nothing", q)
	default:
	}
}
