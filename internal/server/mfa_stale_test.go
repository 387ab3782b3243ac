package server_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/hubauth/hubauth/internal/server/mfa"
)

// TestRefreshNeedsSecondFactorOnceSetUp: a refresh token of a sign-in with
// the password alone stops working once the user has a second factor:
// invalid_grant, sign in again.
func TestRefreshNeedsSecondFactorOnceSetUp(t *testing.T) {
	h := newHub(t)
	b := h.newBrowser(t)
	cfg := h.cliConfig()
	verifier := oauth2.GenerateVerifier()
	p := b.login(b.authorize(cfg, "s", oauth2.S256ChallengeOption(verifier)), demoUser, demoPassword)
	tok, err := cfg.Exchange(context.Background(), codeFrom(t, p, "s"), oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatal(err)
	}
	withTOTP(t, h)
	_, err = cfg.TokenSource(context.Background(), &oauth2.Token{RefreshToken: tok.RefreshToken}).Token()
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) || re.ErrorCode != "invalid_grant" {
		t.Fatalf("refresh of a password-only sign-in after the set-up: %v, want invalid_grant", err)
	}
}

// TestRefreshedSessionStepsUpAfterSetUp: a node that has just refreshed
// a password-only sign-in, and so has cached that its user needs no second
// factor, refuses the refresh once the user has set one up, at the latest
// when the cache bound has passed.
func TestRefreshedSessionStepsUpAfterSetUp(t *testing.T) {
	h := newHub(t)
	_, rt := h.passwordLogin(t)
	next, e := refresh(t, h, rt)
	if e != "" {
		t.Fatalf("refresh before the set-up: %s", e)
	}
	withTOTP(t, h)
	h.Clock.Advance(3 * time.Second) // past the provider's cache bound (2 s)
	if _, e := refresh(t, h, next); e != "invalid_grant" {
		t.Fatalf("refresh after the set-up: %q, want invalid_grant", e)
	}
}

// TestOldSessionStepsUpAfterSetUp: a browser session signed in with the
// password alone before its user set up an authenticator (elsewhere) no
// longer opens the account page: the user signs in again with both.
func TestOldSessionStepsUpAfterSetUp(t *testing.T) {
	h := newHub(t)
	old := h.newBrowser(t)
	old.signIn(demoUser, demoPassword)
	withTOTP(t, h)
	h.Clock.Advance(time.Second)
	if p := old.get(h.URL + "/account"); strings.Contains(p.Body, "Your account") {
		t.Fatalf("the password-only session still opens the account page: %d %s", p.Status, p.URL)
	}
}

// TestSetUpBoundToItsSession: a second browser session of the same user
// neither sees the key of a set-up another session started nor confirms it.
func TestSetUpBoundToItsSession(t *testing.T) {
	h := newHub(t)
	a, other := h.newBrowser(t), h.newBrowser(t)
	a.signIn(demoUser, demoPassword)
	other.signIn(demoUser, demoPassword)
	p := a.post("/account/mfa/totp", url.Values{})
	m := secretRE.FindStringSubmatch(p.Body)
	if m == nil {
		t.Fatalf("set-up page: %d\n%s", p.Status, p.Body)
	}
	if p := other.get(h.URL + "/account/mfa/totp"); strings.Contains(p.Body, m[1]) {
		t.Error("another session sees the key")
	}
	if p := other.get(h.URL + "/account/mfa/totp/qr"); p.Status == http.StatusOK {
		t.Error("another session gets the QR code")
	}
	if p := other.post("/account/mfa/totp/confirm", url.Values{"code": {totpCode(t, h, m[1])}}); p.Status == http.StatusOK {
		t.Error("another session confirmed the set-up")
	}
	a.confirmTOTP("/account/mfa/totp/confirm", m[1])
}

// TestStepUpKeepsAuthTime: a step-up with a code alone keeps when the
// password was typed as the session's auth_time (max_age counts from it).
func TestStepUpKeepsAuthTime(t *testing.T) {
	h := newHub(t)
	b := h.newBrowser(t)
	b.signIn(demoUser, demoPassword)
	signedIn := h.Clock.Now().Unix()
	h.Clock.Advance(time.Hour)
	key := withTOTP(t, h)
	cfg := h.cliConfig()
	verifier := oauth2.GenerateVerifier()
	if p := b.authorize(cfg, "s", oauth2.S256ChallengeOption(verifier)); !strings.Contains(p.Body, `action="/mfa"`) {
		t.Fatalf("a password-only session after the set-up: %d %s, want the code form", p.Status, p.URL)
	}
	p := b.post("/mfa", url.Values{"code": {totpCode(t, h, key)}})
	tok, err := cfg.Exchange(context.Background(), codeFrom(t, p, "s"), oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatal(err)
	}
	idToken, _ := tok.Extra("id_token").(string)
	if at, _ := claims(t, idToken)["auth_time"].(float64); int64(at) != signedIn {
		t.Errorf("auth_time %d, want the password's %d", int64(at), signedIn)
	}
}

// TestSetUpFinishedElsewhere: a login-time set-up whose user set up an
// authenticator meanwhile (in another tab or browser) goes on to the code
// form instead of failing.
func TestSetUpFinishedElsewhere(t *testing.T) {
	h := newHub(t, requireMFA(mfa.PolicyAll))
	b := h.newBrowser(t)
	if p := b.signIn(demoUser, demoPassword); secretRE.FindStringSubmatch(p.Body) == nil {
		t.Fatalf("after the password: %d %s, want the set-up", p.Status, p.URL)
	}
	key := withTOTP(t, h)
	p := b.post("/mfa/setup", url.Values{"code": {totpCode(t, h, key)}})
	if p.Status != http.StatusOK || !strings.Contains(p.Body, `action="/mfa"`) {
		t.Errorf("set-up confirmed after it was finished elsewhere: %d %s, want the code form\n%s", p.Status, p.URL, p.Body)
	}
}

// TestPasswordEndpointOTPNumber: a JSON body may send otp as a number
// (leading zeros put back); anything else is refused by name.
func TestPasswordEndpointOTPNumber(t *testing.T) {
	h := newHub(t)
	key := withTOTP(t, h)
	post := func(otp string) (int, string) {
		body := `{"username":"` + demoUser + `","password":"` + demoPassword + `","otp":` + otp + `}`
		resp, err := http.Post(h.URL+"/api/v1/auth/token", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	code := totpCode(t, h, key)
	n := strings.TrimLeft(code, "0")
	if n == "" {
		n = "0"
	}
	if status, body := post(n); status != http.StatusOK {
		t.Errorf("otp %s as a number: %d %s", code, status, body)
	}
	if status, body := post("1.5"); status != http.StatusBadRequest || !strings.Contains(body, `otp`) {
		t.Errorf("otp 1.5: %d %s, want 400 naming otp", status, body)
	}
}

// TestSetUpConfirmNeedsFreshSignIn: confirming a set-up more than five
// minutes after the sign-in needs the password, which the set-up page
// then asks for with the code.
func TestSetUpConfirmNeedsFreshSignIn(t *testing.T) {
	h := newHub(t)
	b := h.newBrowser(t)
	b.signIn(demoUser, demoPassword)
	p := b.post("/account/mfa/totp", url.Values{})
	m := secretRE.FindStringSubmatch(p.Body)
	if m == nil {
		t.Fatalf("set-up page: %d\n%s", p.Status, p.Body)
	}
	h.Clock.Advance(6 * time.Minute)
	if p := b.get(h.URL + "/account/mfa/totp"); !strings.Contains(p.Body, `name="password"`) {
		t.Errorf("the set-up page of a stale sign-in asks for no password:\n%s", p.Body)
	}
	if p := b.post("/account/mfa/totp/confirm", url.Values{"code": {totpCode(t, h, m[1])}}); p.Status != http.StatusForbidden {
		t.Errorf("confirm without the password: %d, want 403", p.Status)
	}
	p = b.post("/account/mfa/totp/confirm", url.Values{"code": {totpCode(t, h, m[1])}, "password": {demoPassword}})
	if p.Status != http.StatusOK || recoveryRE.FindStringSubmatch(p.Body) == nil {
		t.Errorf("confirm with the password: %d\n%s", p.Status, p.Body)
	}
}
