package server_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/webauthn"
	"github.com/chromedp/chromedp"
	"golang.org/x/oauth2"

	"github.com/hubauth/hubauth/internal/hubtest"
	"github.com/hubauth/hubauth/internal/server/mfa"
	"github.com/hubauth/hubauth/internal/storage"
)

// virtualAuthenticator gives the tab a platform authenticator (CTAP 2.1,
// internal transport) that keeps discoverable credentials and verifies
// its user, as a laptop's fingerprint reader would; keys, when given, are
// credentials it already holds.
func virtualAuthenticator(keys ...heldKey) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		if _, err := chromedp.Call(ctx, webauthn.Enable, webauthn.EnableParams{}); err != nil {
			return err
		}
		a, err := chromedp.Call(ctx, webauthn.AddVirtualAuthenticator, webauthn.AddVirtualAuthenticatorParams{
			Options: &webauthn.VirtualAuthenticatorOptions{Protocol: webauthn.AuthenticatorProtocolCtap2,
				Ctap2version: webauthn.Ctap2versionCtap21, Transport: webauthn.AuthenticatorTransportInternal,
				HasResidentKey: true, HasUserVerification: true, IsUserVerified: true, AutomaticPresenceSimulation: true}})
		if err != nil {
			return err
		}
		for _, k := range keys {
			if _, err := chromedp.Call(ctx, addCredential, addCredentialParams{AuthenticatorID: a.AuthenticatorID, Credential: k}); err != nil {
				return err
			}
		}
		return nil
	})
}

// heldKey is a credential an authenticator holds, as WebAuthn.addCredential
// takes it. (cdproto's Credential always sends
// generateCmtgKeyOnNextOperation, which Chromium refuses from an
// authenticator without that extension.)
type heldKey struct {
	CredentialID         []byte  `json:"credentialId"`
	IsResidentCredential bool    `json:"isResidentCredential"`
	RpID                 string  `json:"rpId"`
	PrivateKey           []byte  `json:"privateKey"`
	UserHandle           []byte  `json:"userHandle"`
	SignCount            float64 `json:"signCount"`
}

type addCredentialParams struct {
	AuthenticatorID webauthn.AuthenticatorID `json:"authenticatorId"`
	Credential      heldKey                  `json:"credential"`
}

var addCredential = cdp.Command[addCredentialParams, cdp.Empty]{Method: webauthn.CommandAddCredential}

// idClaims reads the amr and acr of the ID token the application got
// with state.
func idClaims(t *testing.T, app *chromiumApp, state string) (amr []string, acr string) {
	t.Helper()
	var cl struct {
		AMR []string `json:"amr"`
		ACR string   `json:"acr"`
	}
	if err := app.signedIn(state).Claims(&cl); err != nil {
		t.Fatal(err)
	}
	return cl.AMR, cl.ACR
}

// scripts switches JavaScript in the tab on or off.
func scripts(on bool) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: !on})
		return err
	})
}

// drain forgets what the application received so far (the browser's
// favicon request after a page of it).
func (a *chromiumApp) drain() {
	for {
		select {
		case <-a.received:
		default:
			return
		}
	}
}

// noScriptErrors fails the test on what the browser reported: a script
// the CSP blocked, an exception in passkey.js.
func noScriptErrors(t *testing.T, console func() []string) {
	t.Helper()
	for _, m := range console() {
		if strings.Contains(m, "Content Security Policy") || strings.Contains(m, "passkey.js") {
			t.Errorf("browser console: %s", m)
		}
	}
}

// TestPasskeyInChromium drives passkeys in a real headless Chromium with
// a virtual authenticator on a localhost hub: add one on the account page,
// use it as the second factor of an application's acr_values=mfa step-up,
// sign out, and sign in with the passkey alone; screenshots of the new
// pages at phone and desktop width.
func TestPasskeyInChromium(t *testing.T) {
	browser := newChromium(t)
	h := newLocalhostHub(t)
	app := newChromiumApp(t, h)
	dir := screenshotDir(t)
	ctx, cancel := context.WithTimeout(browser, 2*time.Minute)
	defer cancel()
	console := hubtest.Console(ctx)
	run := steps(t, ctx)
	approve := `//button[@value="approve"]`
	run("a platform authenticator", virtualAuthenticator())
	run("sign in with the password", chromedp.EmulateViewport(1280, 800), chromedp.Navigate(h.URL+"/account"))
	run("password", fillLogin(demoUser, demoPassword)...)
	run("the passkeys section", chromedp.WaitVisible(css(`#add-passkey`)))
	shoot(t, ctx, dir, "account-passkey-add-desktop.png", 1280, 800)
	shoot(t, ctx, dir, "account-passkey-add-phone.png", 390, 844)
	run("add a passkey", chromedp.SendKeys(css(`#add-passkey input[name="name"]`), "laptop"), chromedp.Submit(css(`#add-passkey input[name="name"]`)))
	run("recovery codes shown", chromedp.WaitVisible(css(`#recovery-codes`)))
	shoot(t, ctx, dir, "passkey-recovery-codes-phone.png", 390, 844)
	// The browser session passed the password alone; its user now has a
	// second factor, so the next page asks for it.
	run("the second factor is asked", chromedp.Click(`//a[contains(., "I saved them")]`),
		chromedp.WaitVisible(css(`form[action="/mfa/passkey"] button`)))
	if !auditedLike(t, h, storage.AuditMFAEnrolled, "passkey laptop") {
		t.Fatal("the passkey was not added")
	}
	shoot(t, ctx, dir, "mfa-passkey-desktop.png", 1280, 800)
	shoot(t, ctx, dir, "mfa-passkey-phone.png", 390, 844)

	run("an application asks for a second factor", chromedp.Navigate(app.cfg.AuthCodeURL("up", oauth2.S256ChallengeOption(app.verifier),
		oauth2.SetAuthURLParam("nonce", "nonce-up"), oauth2.SetAuthURLParam("acr_values", "mfa"))))
	run("use the passkey", chromedp.WaitVisible(css(`form[action="/mfa/passkey"] button`)), chromedp.Click(css(`form[action="/mfa/passkey"] button`)))
	run("allow", chromedp.WaitVisible(approve), chromedp.Click(approve), chromedp.WaitVisible(css(`#done`)))
	if amr, acr := idClaims(t, app, "up"); strings.Join(amr, " ") != "pwd hwk mfa" || acr != "mfa" {
		t.Errorf("ID token after the step-up: amr %v acr %q, want [pwd hwk mfa] mfa", amr, acr)
	}
	run("the account lists it", chromedp.Navigate(h.URL+"/account#passkeys"), chromedp.WaitVisible(css(`#passkey-list input[value="laptop"]`)))
	shoot(t, ctx, dir, "account-passkeys-desktop.png", 1280, 800)
	shoot(t, ctx, dir, "account-passkeys-phone.png", 390, 844)

	app.drain()
	run("sign out, back to the application", signOut(), chromedp.Navigate(app.authURL("pk")))
	run("the login page offers passkeys", chromedp.WaitVisible(css(`form[action="/login/passkey"] button`)))
	shoot(t, ctx, dir, "login-passkey-phone.png", 390, 844)
	shoot(t, ctx, dir, "login-passkey-desktop.png", 1280, 800)
	// Without JavaScript the passkey page says so (and the password form
	// still works: it needs none).
	run("scripts off", scripts(false), chromedp.Click(css(`form[action="/login/passkey"] button`)),
		chromedp.WaitVisible(`//p[contains(., "Passkeys need JavaScript")]`))
	shoot(t, ctx, dir, "passkey-nojs-phone.png", 390, 844)
	shoot(t, ctx, dir, "passkey-nojs-desktop.png", 1280, 800)
	run("scripts on, back", scripts(true), chromedp.Navigate(app.authURL("pk")), chromedp.WaitVisible(css(`form[action="/login/passkey"] button`)))
	run("sign in with the passkey alone", chromedp.Click(css(`form[action="/login/passkey"] button`)))
	run("allow", chromedp.WaitVisible(approve), chromedp.Click(approve), chromedp.WaitVisible(css(`#done`)))
	if amr, acr := idClaims(t, app, "pk"); strings.Join(amr, " ") != "hwk user mfa" || acr != "mfa" {
		t.Errorf("ID token of the passkey sign-in: amr %v acr %q, want [hwk user mfa] mfa", amr, acr)
	}
	noScriptErrors(t, console)
}

// TestPasskeyRequiredInChromium: under --require-mfa all, a user whose
// second factor is a passkey approves a device with the password and the
// passkey (no authenticator app), and cannot remove the passkey, the last
// factor.
func TestPasskeyRequiredInChromium(t *testing.T) {
	browser := newChromium(t)
	h := newLocalhostHub(t, requireMFA(mfa.PolicyAll))
	dir := screenshotDir(t)
	// The user's passkey, held by the browser's authenticator.
	k := hubtest.NewPasskey(t, "localhost")
	userID := h.Users[demoUser]
	_, err := h.Store.CreatePasskey(t.Context(), storage.Passkey{ID: "pk-1", UserID: userID, CredentialID: k.ID, PublicKey: k.COSEKey(t),
		AttestationType: "none", Transports: []string{"internal"}, UserVerified: true, Name: "laptop", CreatedAt: h.Clock.Now()}, nil)
	if err != nil {
		t.Fatal(err)
	}
	held := heldKey{CredentialID: k.ID, IsResidentCredential: true, RpID: "localhost", PrivateKey: k.PKCS8(t),
		UserHandle: []byte(userID), SignCount: 0}
	cfg := h.cliConfig()
	da := startDevice(t, cfg)
	ctx, cancel := context.WithTimeout(browser, 2*time.Minute)
	defer cancel()
	console := hubtest.Console(ctx)
	run := steps(t, ctx)
	run("the authenticator with the passkey", virtualAuthenticator(held))

	// A user without a second factor sets up a passkey right after the
	// password, instead of an authenticator app.
	h.AddUser(t, "bob", demoPassword)
	run("bob signs in", chromedp.EmulateViewport(1280, 800), chromedp.Navigate(h.URL+"/account"))
	run("password", fillLogin("bob", demoPassword)...)
	run("the required set-up offers a passkey", chromedp.WaitVisible(css(`#setup-passkey input[name="name"]`)))
	shoot(t, ctx, dir, "setup-passkey-desktop.png", 1280, 800)
	shoot(t, ctx, dir, "setup-passkey-phone.png", 390, 844)
	run("add a passkey", chromedp.SendKeys(css(`#setup-passkey input[name="name"]`), "phone"),
		chromedp.Submit(css(`#setup-passkey input[name="name"]`)), chromedp.WaitVisible(css(`#recovery-codes`)))
	run("on to the account", chromedp.Click(`//a[contains(., "I saved them")]`), chromedp.WaitVisible(css(`#passkey-list input[value="phone"]`)))
	run("sign out", signOut())

	run("open the device page", chromedp.EmulateViewport(390, 844), chromedp.Navigate(da.VerificationURIComplete),
		chromedp.WaitVisible(css(`input[name="user_code"]`)), chromedp.Submit(css(`input[name="user_code"]`)))
	run("password", fillLogin(demoUser, demoPassword)...)
	run("the passkey as second factor", chromedp.WaitVisible(css(`form[action="/mfa/passkey"] button`)),
		chromedp.Click(css(`form[action="/mfa/passkey"] button`)))
	run("approve the device", chromedp.WaitVisible(`//button[@value="approve"]`), chromedp.Click(`//button[@value="approve"]`),
		chromedp.WaitVisible(`//h1[contains(., "Device connected")]`))
	h.Clock.Advance(11 * time.Second)
	tok, err := cfg.DeviceAccessToken(context.Background(), da)
	if err != nil {
		t.Fatal(err)
	}
	wantAMR(t, "device access token", claims(t, tok.AccessToken), []string{"pwd", "hwk", "mfa"}, "mfa")

	run("the account", chromedp.Navigate(h.URL+"/account#passkeys"), chromedp.WaitVisible(css(`#passkey-list`)))
	run("remove the last factor", chromedp.Click(`//button[@aria-label="Remove passkey laptop"]`),
		chromedp.WaitVisible(`//section[@id="mfa"]/p[contains(@class, "error") and contains(., "it stays")]`))
	shoot(t, ctx, dir, "account-passkey-required-phone.png", 390, 844)
	shoot(t, ctx, dir, "account-passkey-required-desktop.png", 1280, 800)
	if f, _ := h.Store.GetSecondFactors(t.Context(), userID); f.Passkeys != 1 {
		t.Errorf("after the refused removal: %+v", f)
	}
	noScriptErrors(t, console)
}
