package server_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/hubauth/hubauth/internal/storage"
)

// TestUpstreamCancelInChromium: the user says no at the upstream. The
// platform hub is a third-party client of the institute's hub, which asks
// for consent; the user signs in there and presses Deny. In headless
// Chromium the browser comes back to the platform hub's login page, which
// says "Sign-in at Institute Portal was cancelled." and offers the
// buttons again; the application received nothing and the failure is
// audited. Another button on that page still finishes the same
// authorization.
func TestUpstreamCancelInChromium(t *testing.T) {
	const name, display = "portal", "Institute Portal"
	browser := newChromium(t)
	f := newFederation(t)
	f.addConsentProvider(name, display)
	app := newChromiumApp(t, f.down)

	ctx, cancel := context.WithTimeout(browser, 2*time.Minute)
	defer cancel()
	run := steps(t, ctx)
	run("the hub's login page", chromedp.EmulateViewport(390, 844),
		chromedp.Navigate(app.authURL("x1")), chromedp.Click(signInButton(display)))
	run("the upstream's login form", fillLogin(upstreamUser, upstreamPass)...)
	run("Deny at the upstream's consent page", chromedp.WaitVisible(`//h1[contains(., "Allow access")]`),
		chromedp.Click(css(`button[value="deny"]`)))
	run("back at the hub's login page", chromedp.WaitVisible(`//p[@class="error" and .="Sign-in at `+display+` was cancelled."]`),
		chromedp.WaitVisible(signInButton(display)), chromedp.WaitVisible(signInButton(upstreamDisplay)))
	shoot(t, ctx, screenshotDir(t), "login-cancelled-phone.png", 390, 844)
	app.receivedNothing()
	if !audited(t, f.down, storage.AuditUpstreamFailed, "provider "+name+": cancelled at the upstream (access_denied)") {
		t.Error("the cancelled sign-in is not audited")
	}

	run("Sign in with "+upstreamDisplay+" instead", chromedp.EmulateViewport(1280, 800),
		chromedp.Click(signInButton(upstreamDisplay)),
		chromedp.WaitVisible(css(`button[value="approve"]`)), // up knows the browser now: the hub's consent page
		chromedp.Click(css(`button[value="approve"]`)),
		chromedp.WaitVisible(css(`#done`)))
	var got signInClaims
	if err := app.signedIn("x1").Claims(&got); err != nil {
		t.Fatal(err)
	}
	if got.IDP != upstreamName || !slices.Equal(got.AMR, []string{"fed"}) {
		t.Errorf("ID token after the second button: amr %v idp %q, want [fed] %s", got.AMR, got.IDP, upstreamName)
	}
}

// audited reports whether h's audit log has an event of type typ with
// detail.
func audited(t *testing.T, h *hub, typ, detail string) bool {
	t.Helper()
	events, err := h.Store.ListAudit(context.Background(), 100)
	if err != nil {
		t.Fatal(err)
	}
	return slices.ContainsFunc(events, func(e storage.AuditEvent) bool { return e.Type == typ && e.Detail == detail })
}
