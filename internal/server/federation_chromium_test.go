package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/hubauth/hubauth/internal/storage"
)

// TestFederatedLoginInChromium drives the whole upstream round trip in a
// real headless Chromium, without JavaScript on the pages: an application
// sends the browser to the hub, the hub's login page offers "Sign in with
// Institute Hub", the upstream hub's login form takes the password, the
// browser comes back to the hub's consent page, and the application gets a
// code whose ID token says the user signed in through the upstream.
func TestFederatedLoginInChromium(t *testing.T) {
	browser := newChromium(t)
	f := newFederation(t)
	codes := make(chan string, 1)
	app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case codes <- r.URL.Query().Get("code"):
		default:
		}
		fmt.Fprint(w, "<!doctype html><title>app</title><p id=done>The application is signed in.</p>")
	}))
	t.Cleanup(app.Close)
	client := storage.Client{ID: "notebook", Name: "Lab Notebook", RedirectURIs: []string{app.URL + "/cb"},
		GrantTypes: []string{storage.GrantAuthorizationCode}}
	sec := f.down.AddClient(t, client)
	prov, err := oidc.NewProvider(context.Background(), f.down.URL)
	if err != nil {
		t.Fatal(err)
	}
	cfg := &oauth2.Config{ClientID: client.ID, ClientSecret: sec, RedirectURL: client.RedirectURIs[0], Endpoint: prov.Endpoint(),
		Scopes: []string{"openid", "profile"}}
	verifier := oauth2.GenerateVerifier()

	ctx, cancel := context.WithTimeout(browser, 2*time.Minute)
	defer cancel()
	run := func(step string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
	}
	run("the hub's login page", chromedp.EmulateViewport(1280, 800),
		chromedp.Navigate(cfg.AuthCodeURL("c1", oauth2.S256ChallengeOption(verifier))),
		chromedp.WaitVisible(`//a[@class="button" and contains(., "Sign in with `+upstreamDisplay+`")]`))
	shoot(t, ctx, screenshotDir(t), "login-with-upstream.png", 1280, 800)
	run("the upstream's login form", chromedp.Click(`//a[contains(., "Sign in with `+upstreamDisplay+`")]`),
		chromedp.WaitVisible(css(`input[name="username"]`)),
		chromedp.SendKeys(css(`input[name="username"]`), upstreamUser),
		chromedp.SendKeys(css(`input[name="password"]`), upstreamPass),
		chromedp.Submit(css(`input[name="password"]`)))
	run("the hub's consent page", chromedp.WaitVisible(css(`button[value="approve"]`)),
		chromedp.Click(css(`button[value="approve"]`)),
		chromedp.WaitVisible(css(`#done`)))

	var code string
	select {
	case code = <-codes:
	default:
		t.Fatal("the application received no request")
	}
	tok, err := cfg.Exchange(context.Background(), code, oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatalf("exchange the code the application received: %v", err)
	}
	var got signInClaims
	verifyID(t, prov, client.ID, tok, "").Claims(&got)
	if got.IDP != upstreamName || len(got.AMR) != 1 || got.AMR[0] != "fed" {
		t.Errorf("ID token after the browser round trip: amr %v idp %q, want [fed] %s", got.AMR, got.IDP, upstreamName)
	}
}
