package server_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestExampleOPLoginInChromium is the whole browser round trip through a
// provider nobody here wrote, zitadel/oidc's example OP, in headless
// Chromium: the application sends the browser to the hub, the hub's login
// page (shot at a phone's and a desktop's width) offers "Sign in with
// Zitadel Example", the example OP's own login form takes test-user's
// password, the browser comes back to the hub's consent page, and the
// application's code gives an ID token (verified by go-oidc) with amr
// ["fed"] and idp zitadel, for a user provisioned with the upstream's
// preferred_username.
func TestExampleOPLoginInChromium(t *testing.T) {
	browser := newChromium(t)
	h := newHub(t)
	addExampleOP(t, h)
	app := newChromiumApp(t, h)
	dir := screenshotDir(t)

	ctx, cancel := context.WithTimeout(browser, 2*time.Minute)
	defer cancel()
	run := steps(t, ctx)
	run("the hub's login page", chromedp.EmulateViewport(390, 844),
		chromedp.Navigate(app.authURL("z1")), chromedp.WaitVisible(signInButton(exampleOPDisplay)))
	shoot(t, ctx, dir, "login-providers-phone.png", 390, 844)
	shoot(t, ctx, dir, "login-providers-desktop.png", 1280, 800)
	run("Sign in with "+exampleOPDisplay, chromedp.Click(signInButton(exampleOPDisplay)))
	run("the example OP's login form", fillLogin(exampleOPUser, exampleOPPassword)...)
	run("the hub's consent page", chromedp.WaitVisible(css(`button[value="approve"]`)),
		chromedp.Click(css(`button[value="approve"]`)),
		chromedp.WaitVisible(css(`#done`)))

	idt := app.signedIn("z1")
	var got signInClaims
	if err := idt.Claims(&got); err != nil {
		t.Fatal(err)
	}
	if got.IDP != exampleOPName || !slices.Equal(got.AMR, []string{"fed"}) {
		t.Errorf("ID token: amr %v idp %q, want [fed] %s", got.AMR, got.IDP, exampleOPName)
	}
	u, err := h.Store.GetUserByUsername(context.Background(), exampleOPUser)
	if err != nil {
		t.Fatalf("the user provisioned from preferred_username %s: %v", exampleOPUser, err)
	}
	if u.ID != idt.Subject || u.Email != "test-user@zitadel.ch" || u.Name != "Test User" {
		t.Errorf("provisioned user %+v, want the ID token's subject %s with the upstream's name and e-mail", u, idt.Subject)
	}
}
