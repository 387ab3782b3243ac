package server_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"golang.org/x/oauth2"

	"github.com/hubauth/hubauth/internal/server/mfa"
)

// typeCode types the current code of key into the page's code field and
// submits it.
func typeCode(t *testing.T, h *hub, key string) []chromedp.Action[chromedp.Void] {
	return typed(totpCode(t, h, key))
}

// typed types code into the page's code field and submits it.
func typed(code string) []chromedp.Action[chromedp.Void] {
	return []chromedp.Action[chromedp.Void]{
		chromedp.WaitVisible(css(`input[name="code"]`)),
		chromedp.SendKeys(css(`input[name="code"]`), code),
		chromedp.Submit(css(`input[name="code"]`)),
	}
}

// signOut forgets the browser's cookies: the next page signs in afresh.
func signOut() chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, network.ClearBrowserCookies, cdp.Empty{})
		return err
	})
}

// qrShown reports whether the set-up page's QR code image loaded (under
// the page's CSP: img-src 'self').
func qrShown(t *testing.T, ctx context.Context) bool {
	t.Helper()
	// Once the image is complete (loaded or failed), its natural width.
	w := get(t, ctx, "read the QR code", chromedp.Poll[string](
		`document.querySelector("img.qr").complete && String(document.querySelector("img.qr").naturalWidth)`))
	return w != "0"
}

// TestTOTPInChromium drives the authenticator app in a real headless
// Chromium: set-up on the account page with the code the test computes,
// a step-up (acr_values=mfa) from an x/oauth2 application, a sign-in with
// a recovery code; screenshots of the new pages at phone and desktop width.
func TestTOTPInChromium(t *testing.T) {
	browser := newChromium(t)
	h := newHub(t)
	app := newChromiumApp(t, h)
	dir := screenshotDir(t)
	ctx, cancel := context.WithTimeout(browser, 2*time.Minute)
	defer cancel()
	run := steps(t, ctx)
	run("sign in with the password", chromedp.EmulateViewport(1280, 800), chromedp.Navigate(h.URL+"/account"))
	run("password", fillLogin(demoUser, demoPassword)...)
	run("start the set-up", chromedp.WaitVisible(css(`#mfa`)),
		chromedp.Click(`//button[contains(., "Set up an authenticator app")]`), chromedp.WaitVisible(css(`#totp-secret`)))
	if !qrShown(t, ctx) {
		t.Error("the QR code image did not load (CSP or the image URL)")
	}
	shoot(t, ctx, dir, "totp-setup-desktop.png", 1280, 800)
	shoot(t, ctx, dir, "totp-setup-phone.png", 390, 844)
	key := get(t, ctx, "read the key", chromedp.Text(css(`#totp-secret`)))
	run("confirm with the app's code", typeCode(t, h, key)...)
	run("recovery codes shown", chromedp.WaitVisible(css(`#recovery-codes`)))
	codes := strings.Fields(get(t, ctx, "read the recovery codes", chromedp.Text(css(`#recovery-codes`))))
	if len(codes) != mfa.RecoveryCodes {
		t.Fatalf("%d recovery codes shown, want %d: %v", len(codes), mfa.RecoveryCodes, codes)
	}
	shoot(t, ctx, dir, "recovery-codes-phone.png", 390, 844)
	shoot(t, ctx, dir, "recovery-codes-desktop.png", 1280, 800)
	// This browser's session began with the password alone: now that its
	// user has a second factor, it steps up with a code before the account
	// page opens again.
	h.Clock.Advance(30 * time.Second)
	run("back to the account: the code first", chromedp.Click(`//a[contains(., "I saved them")]`),
		chromedp.WaitVisible(css(`form[action="/mfa"]`)))
	shoot(t, ctx, dir, "mfa-code-phone.png", 390, 844)
	shoot(t, ctx, dir, "mfa-code-desktop.png", 1280, 800)
	run("wrong code", typed("000000")...)
	run("told so", chromedp.WaitVisible(`//p[contains(@class, "error") and contains(., "wrong or has expired")]`))
	run("the right code", typeCode(t, h, key)...)
	run("the account", chromedp.WaitVisible(`//dd[@id="recovery-left" and contains(., "10 left")]`))

	// An application asking for acr_values=mfa gets its code at once.
	run("the application asks for a second factor",
		chromedp.Navigate(app.cfg.AuthCodeURL("up", oauth2.S256ChallengeOption(app.verifier), oauth2.SetAuthURLParam("nonce", "nonce-up"),
			oauth2.SetAuthURLParam("acr_values", "mfa"))))
	run("allow", chromedp.Click(`//button[@value="approve"]`), chromedp.WaitVisible(css(`#done`)))
	idt := app.signedIn("up")
	var cl struct {
		AMR []string `json:"amr"`
		ACR string   `json:"acr"`
	}
	if err := idt.Claims(&cl); err != nil || cl.ACR != "mfa" || strings.Join(cl.AMR, " ") != "pwd otp mfa" {
		t.Errorf("ID token after the step-up: amr %v acr %q (%v), want [pwd otp mfa] mfa", cl.AMR, cl.ACR, err)
	}

	run("sign out", signOut(), chromedp.Navigate(h.URL+"/account"))
	run("password again", fillLogin(demoUser, demoPassword)...)
	run("a recovery code instead", typed(strings.ToUpper(codes[2]))...)
	run("signed in, one code fewer", chromedp.WaitVisible(`//dd[@id="recovery-left" and contains(., "9 left")]`))
	shoot(t, ctx, dir, "account-mfa-desktop.png", 1280, 800)
	shoot(t, ctx, dir, "account-mfa-phone.png", 390, 844)
}

// TestRequireMFAInChromium: under --require-mfa all, a device login by a
// user without a second factor sets one up right after the password, then
// approves the device, whose tokens record both factors.
func TestRequireMFAInChromium(t *testing.T) {
	browser := newChromium(t)
	h := newHub(t, requireMFA(mfa.PolicyAll))
	dir := screenshotDir(t)
	cfg := h.cliConfig()
	da := startDevice(t, cfg)
	ctx, cancel := context.WithTimeout(browser, 2*time.Minute)
	defer cancel()
	run := steps(t, ctx)
	run("open the device page", chromedp.EmulateViewport(390, 844), chromedp.Navigate(da.VerificationURIComplete),
		chromedp.WaitVisible(css(`input[name="user_code"]`)), chromedp.Submit(css(`input[name="user_code"]`)))
	run("password", fillLogin(demoUser, demoPassword)...)
	run("the set-up is required", chromedp.WaitVisible(css(`#totp-secret`)))
	if status, _ := h.pollOnce(t, da.DeviceCode); status == 200 {
		t.Fatal("the device got tokens before the second factor")
	}
	if !qrShown(t, ctx) {
		t.Error("the QR code image did not load")
	}
	shoot(t, ctx, dir, "totp-required-phone.png", 390, 844)
	shoot(t, ctx, dir, "totp-required-desktop.png", 1280, 800)
	key := get(t, ctx, "read the key", chromedp.Text(css(`#totp-secret`)))
	run("confirm", typeCode(t, h, key)...)
	run("recovery codes, then on", chromedp.WaitVisible(css(`#recovery-codes`)),
		chromedp.Click(`//button[contains(., "I saved them")]`), chromedp.WaitVisible(`//button[@value="approve"]`))
	run("approve the device", chromedp.Click(`//button[@value="approve"]`), chromedp.WaitVisible(`//h1[contains(., "Device connected")]`))
	h.Clock.Advance(11 * time.Second)
	tok, err := cfg.DeviceAccessToken(context.Background(), da)
	if err != nil {
		t.Fatal(err)
	}
	wantAMR(t, "device access token", claims(t, tok.AccessToken), pwdOTP, "mfa")
}
