package server_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/coreos/go-oidc/v3/oidc"

	"github.com/hubauth/hubauth/internal/storage"
)

// TestFederatedDeviceLoginInChromium approves a device login with an
// upstream sign-in in headless Chromium: x/oauth2's DeviceAuth starts it,
// the browser opens verification_uri_complete without a hub session,
// continues with the prefilled code, sees the login step name it, clicks
// "Sign in with Zitadel Example", signs in at zitadel/oidc's example OP,
// comes back to the approval step for the same code and allows it; the
// device's poll gets tokens whose ID token has amr ["fed"] and idp
// zitadel.
func TestFederatedDeviceLoginInChromium(t *testing.T) {
	browser := newChromium(t)
	h := newHub(t)
	addExampleOP(t, h)
	cfg := h.cliConfig()
	da := startDevice(t, cfg)
	if da.VerificationURIComplete == "" {
		t.Fatal("the device authorization has no verification_uri_complete")
	}

	ctx, cancel := context.WithTimeout(browser, 2*time.Minute)
	defer cancel()
	run := steps(t, ctx)
	run("the code form, prefilled", chromedp.EmulateViewport(390, 844),
		chromedp.Navigate(da.VerificationURIComplete),
		chromedp.WaitVisible(css(`input[name="user_code"]`)),
		chromedp.Submit(css(`input[name="user_code"]`)))
	run("the login step names the code and offers the provider", chromedp.WaitVisible(signInButton(exampleOPDisplay)),
		chromedp.WaitVisible(`//p[contains(., "to connect the device showing")]/strong[.="`+da.UserCode+`"]`))
	shoot(t, ctx, screenshotDir(t), "device-login-phone.png", 390, 844)
	run("Sign in with "+exampleOPDisplay, chromedp.Click(signInButton(exampleOPDisplay)))
	run("the example OP's login form", fillLogin(exampleOPUser, exampleOPPassword)...)
	run("the approval step", chromedp.WaitVisible(`//form[@action="/device/approve"]//button[@value="approve"]`))
	code := get(t, ctx, "the code on the approval step", chromedp.Value(css(`form[action="/device/approve"] input[name="user_code"]`)))
	if code != da.UserCode {
		t.Errorf("the approval step is for %q, want %q", code, da.UserCode)
	}
	run("approve", chromedp.Click(css(`button[value="approve"]`)),
		chromedp.WaitVisible(`//h1[.="Device connected"]`))

	h.Clock.Advance(11 * time.Second)
	tok, err := cfg.DeviceAccessToken(context.Background(), da)
	if err != nil {
		t.Fatalf("the device's poll: %v", err)
	}
	prov, err := oidc.NewProvider(context.Background(), h.URL)
	if err != nil {
		t.Fatal(err)
	}
	var got signInClaims
	if err := verifyID(t, prov, storage.CLIClientID, tok, "").Claims(&got); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.AMR, []string{"fed"}) || got.IDP != exampleOPName {
		t.Errorf("device ID token: amr %v idp %q, want [fed] %s", got.AMR, got.IDP, exampleOPName)
	}
}
