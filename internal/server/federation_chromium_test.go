package server_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
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
	app := newChromiumApp(t, f.down)

	ctx, cancel := context.WithTimeout(browser, 2*time.Minute)
	defer cancel()
	run := steps(t, ctx)
	run("the hub's login page", chromedp.EmulateViewport(1280, 800),
		chromedp.Navigate(app.authURL("c1")), chromedp.WaitVisible(signInButton(upstreamDisplay)))
	shoot(t, ctx, screenshotDir(t), "login-with-upstream.png", 1280, 800)
	run("Sign in with "+upstreamDisplay, chromedp.Click(signInButton(upstreamDisplay)))
	run("the upstream's login form", fillLogin(upstreamUser, upstreamPass)...)
	run("the hub's consent page", chromedp.WaitVisible(css(`button[value="approve"]`)),
		chromedp.Click(css(`button[value="approve"]`)),
		chromedp.WaitVisible(css(`#done`)))

	var got signInClaims
	app.signedIn("c1").Claims(&got)
	if got.IDP != upstreamName || !slices.Equal(got.AMR, []string{"fed"}) {
		t.Errorf("ID token after the browser round trip: amr %v idp %q, want [fed] %s", got.AMR, got.IDP, upstreamName)
	}
}
