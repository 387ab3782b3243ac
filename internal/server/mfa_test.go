package server_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/hubauth/hubauth/internal/hubtest"
	"github.com/hubauth/hubauth/internal/server"
	"github.com/hubauth/hubauth/internal/server/mfa"
	"github.com/hubauth/hubauth/internal/storage"
)

var (
	secretRE   = regexp.MustCompile(`id="totp-secret"[^>]*>([A-Z2-7 ]+)<`)
	recoveryRE = regexp.MustCompile(`<li><code>([a-z0-9]{5}-[a-z0-9]{5})</code></li>`)
	continueRE = regexp.MustCompile(`<a class="button" href="([^"]+)">I saved them`)
)

// requireMFA sets serve --require-mfa.
func requireMFA(p mfa.Policy) option { return func(c *server.Config) { c.RequireMFA = p } }

// signIn signs b in at /login with the password, directly (no application).
func (b *browser) signIn(username, pw string) page {
	b.t.Helper()
	return b.login(b.get(b.hub.URL+"/login?next=/account"), username, pw)
}

// enrolTOTP sets up an authenticator app on the account page of b (signed
// in, freshly) and returns its key and the recovery codes shown.
func (b *browser) enrolTOTP() (string, []string) {
	b.t.Helper()
	p := b.post("/account/mfa/totp", url.Values{})
	m := secretRE.FindStringSubmatch(p.Body)
	if p.Status != http.StatusOK || m == nil {
		b.t.Fatalf("set-up page: %d %s\n%s", p.Status, p.URL, p.Body)
	}
	codes, _ := b.confirmTOTP("/account/mfa/totp/confirm", m[1])
	return m[1], codes
}

// confirmTOTP posts the current code of key to path and returns the
// recovery codes shown, and the page.
func (b *browser) confirmTOTP(path, key string) ([]string, page) {
	b.t.Helper()
	p := b.post(path, url.Values{"code": {totpCode(b.t, b.hub, key)}})
	var codes []string
	for _, m := range recoveryRE.FindAllStringSubmatch(p.Body, -1) {
		codes = append(codes, m[1])
	}
	if p.Status != http.StatusOK || len(codes) != mfa.RecoveryCodes {
		b.t.Fatalf("confirm: %d, %d recovery codes\n%s", p.Status, len(codes), p.Body)
	}
	return codes, p
}

func totpCode(t *testing.T, h *hub, key string) string {
	t.Helper()
	c, err := mfa.Code(strings.ReplaceAll(key, " ", ""), h.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// claims decodes a JWT's payload (the hub signed it; signatures are
// checked by the protocol tests).
func claims(t *testing.T, jwt string) map[string]any {
	t.Helper()
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		t.Fatalf("not a JWT: %q", jwt)
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	var m map[string]any
	if err == nil {
		err = json.Unmarshal(b, &m)
	}
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// wantAMR checks the amr and acr claims of m.
func wantAMR(t *testing.T, what string, m map[string]any, amr []string, acr string) {
	t.Helper()
	var got []string
	list, _ := m["amr"].([]any)
	for _, v := range list {
		got = append(got, v.(string))
	}
	gotACR, _ := m["acr"].(string)
	if !slices.Equal(got, amr) || gotACR != acr {
		t.Errorf("%s: amr %v acr %q, want amr %v acr %q", what, got, gotACR, amr, acr)
	}
}

// auditedLike reports whether an audit event of type typ whose detail
// holds detail was written.
func auditedLike(t *testing.T, h *hub, typ, detail string) bool {
	t.Helper()
	es, err := h.Store.ListAudit(t.Context(), 500)
	if err != nil {
		t.Fatal(err)
	}
	return slices.ContainsFunc(es, func(e storage.AuditEvent) bool { return e.Type == typ && strings.Contains(e.Detail, detail) })
}

var pwdOTP = []string{"pwd", "otp", "mfa"}

// TestTOTPBrowserLogin: a user sets up an authenticator app on the
// account page; the next sign-in asks for its code after the password,
// refuses a wrong one, and the tokens say both factors were used.
func TestTOTPBrowserLogin(t *testing.T) {
	h := newHub(t)
	b := h.newBrowser(t)
	b.signIn(demoUser, demoPassword)
	key, _ := b.enrolTOTP()
	if !auditedLike(t, h, storage.AuditMFAEnrolled, "totp") {
		t.Error("no audit event of the enrolment")
	}

	h.Clock.Advance(30 * time.Second) // the confirming code is used up
	b2 := h.newBrowser(t)
	cfg := h.cliConfig()
	verifier := oauth2.GenerateVerifier()
	p := b2.login(b2.authorize(cfg, "s1", oauth2.S256ChallengeOption(verifier)), demoUser, demoPassword)
	if p.Location != nil || !strings.Contains(p.Body, `action="/mfa"`) {
		t.Fatalf("after the password: %d %s %v, want the code form\n%s", p.Status, p.URL, p.Location, p.Body)
	}
	if a := b2.get(h.URL + "/account"); strings.Contains(a.Body, "Your account") {
		t.Fatal("the account page opened between the password and the code: a session exists too early")
	}
	p = b2.post("/mfa", url.Values{"code": {"000000"}})
	if p.Status != http.StatusUnauthorized || !strings.Contains(p.Body, "wrong or has expired") {
		t.Fatalf("wrong code: %d\n%s", p.Status, p.Body)
	}
	p = b2.post("/mfa", url.Values{"code": {totpCode(t, h, key)}})
	tok, err := cfg.Exchange(context.Background(), codeFrom(t, p, "s1"), oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatal(err)
	}
	idToken, _ := tok.Extra("id_token").(string)
	wantAMR(t, "ID token", claims(t, idToken), pwdOTP, "mfa")
	wantAMR(t, "access token", claims(t, tok.AccessToken), pwdOTP, "mfa")
	_, info, _ := h.getJSON(t, "/userinfo", tok.AccessToken)
	wantAMR(t, "userinfo", info, pwdOTP, "mfa")
	if !auditedLike(t, h, storage.AuditMFAFailed, "totp: wrong code") {
		t.Error("the wrong code is not in the audit log")
	}

	// Refreshed tokens keep what the sign-in recorded.
	fresh, err := cfg.TokenSource(context.Background(), &oauth2.Token{RefreshToken: tok.RefreshToken}).Token()
	if err != nil {
		t.Fatal(err)
	}
	wantAMR(t, "refreshed access token", claims(t, fresh.AccessToken), pwdOTP, "mfa")
	idToken, _ = fresh.Extra("id_token").(string)
	wantAMR(t, "refreshed ID token", claims(t, idToken), pwdOTP, "mfa")
}

// TestTOTPReplayAndRecovery: a code is good once, across browsers; a
// recovery code signs in once; a tampered one is refused.
func TestTOTPReplayAndRecovery(t *testing.T) {
	h := newHub(t)
	b := h.newBrowser(t)
	b.signIn(demoUser, demoPassword)
	key, codes := b.enrolTOTP()
	h.Clock.Advance(30 * time.Second)

	code := totpCode(t, h, key)
	first := h.newBrowser(t)
	first.signIn(demoUser, demoPassword)
	if p := first.post("/mfa", url.Values{"code": {code}}); p.Status != http.StatusOK || !strings.Contains(p.Body, "Your account") {
		t.Fatalf("code: %d\n%s", p.Status, p.Body)
	}
	second := h.newBrowser(t)
	second.signIn(demoUser, demoPassword)
	if p := second.post("/mfa", url.Values{"code": {code}}); p.Status != http.StatusUnauthorized || !strings.Contains(p.Body, "already used") {
		t.Fatalf("replayed code: %d\n%s", p.Status, p.Body)
	}
	tampered := []byte(codes[0])
	tampered[len(tampered)-1] = map[bool]byte{true: 'b', false: 'a'}[tampered[len(tampered)-1] == 'a']
	if p := second.post("/mfa", url.Values{"code": {string(tampered)}}); p.Status != http.StatusUnauthorized {
		t.Fatalf("tampered recovery code: %d\n%s", p.Status, p.Body)
	}
	if p := second.post("/mfa", url.Values{"code": {strings.ToUpper(codes[0])}}); p.Status != http.StatusOK || !strings.Contains(p.Body, "Your account") {
		t.Fatalf("recovery code: %d\n%s", p.Status, p.Body)
	}
	if p := second.get(h.URL + "/account"); !strings.Contains(p.Body, "9 left") {
		t.Errorf("account page after a recovery code, want 9 left:\n%s", p.Body)
	}
	third := h.newBrowser(t)
	third.signIn(demoUser, demoPassword)
	if p := third.post("/mfa", url.Values{"code": {codes[0]}}); p.Status != http.StatusUnauthorized {
		t.Fatalf("recovery code used twice: %d\n%s", p.Status, p.Body)
	}
	for _, e := range []struct{ typ, detail string }{
		{storage.AuditMFAFailed, "totp: code already used"}, {storage.AuditMFAFailed, "recovery code: unknown or used"},
		{storage.AuditRecoveryCodeUsed, "9 left"},
	} {
		if !auditedLike(t, h, e.typ, e.detail) {
			t.Errorf("no audit event %s %q", e.typ, e.detail)
		}
	}
}

// TestRequireMFAForcesSetUp: under --require-mfa all a user without a
// second factor sets one up right after the password, before any code is
// issued, and the application then gets tokens of both factors.
func TestRequireMFAForcesSetUp(t *testing.T) {
	h := newHub(t, requireMFA(mfa.PolicyAll))
	b := h.newBrowser(t)
	cfg := h.cliConfig()
	verifier := oauth2.GenerateVerifier()
	p := b.login(b.authorize(cfg, "s2", oauth2.S256ChallengeOption(verifier)), demoUser, demoPassword)
	m := secretRE.FindStringSubmatch(p.Body)
	if p.Location != nil || m == nil || !strings.Contains(p.Body, "second factor is needed") {
		t.Fatalf("after the password: %d %s %v, want the set-up\n%s", p.Status, p.URL, p.Location, p.Body)
	}
	qr := b.get(h.URL + "/mfa/setup/qr")
	if qr.Status != http.StatusOK || qr.Header.Get("Content-Type") != "image/png" || qr.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("QR code: %d %v", qr.Status, qr.Header)
	}
	if p := b.post("/mfa/setup", url.Values{"code": {"123"}}); p.Status != http.StatusBadRequest {
		t.Errorf("malformed set-up code: %d", p.Status)
	}
	if f, _ := h.Store.GetSecondFactors(t.Context(), demoID(t, h)); f.TOTP {
		t.Fatal("a refused set-up code saved the authenticator")
	}
	_, done := b.confirmTOTP("/mfa/setup", m[1])
	next := continueRE.FindStringSubmatch(done.Body)
	if next == nil {
		t.Fatalf("no way on after the recovery codes:\n%s", done.Body)
	}
	p = b.get(h.URL + html.UnescapeString(next[1]))
	tok, err := cfg.Exchange(context.Background(), codeFrom(t, p, "s2"), oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatal(err)
	}
	wantAMR(t, "access token", claims(t, tok.AccessToken), pwdOTP, "mfa")

	// The last factor stays while the policy requires one.
	if p := b.post("/account/mfa/totp/remove", url.Values{}); p.Status != http.StatusConflict || !strings.Contains(p.Body, "requires a second factor") {
		t.Fatalf("removing the last factor: %d\n%s", p.Status, p.Body)
	}
	if !auditedLike(t, h, storage.AuditMFAFailed, "removal refused") {
		t.Error("the refused removal is not in the audit log")
	}
}

// demoID is the demo user's id.
func demoID(t *testing.T, h *hub) string {
	t.Helper()
	u, err := h.Store.GetUserByUsername(t.Context(), demoUser)
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}

// TestStepUp: a session signed in with the password alone completes at
// once, with amr ["pwd"], while its user has no second factor; once the
// user has one, it passes the second factor before an application gets
// its code, whether the application asks (acr_values=mfa) or not.
func TestStepUp(t *testing.T) {
	h := newHub(t)
	b, other := h.newBrowser(t), h.newBrowser(t)
	b.signIn(demoUser, demoPassword) // before the set-up: password-only sessions
	other.signIn(demoUser, demoPassword)
	cfg := h.cliConfig()
	verifier := oauth2.GenerateVerifier()
	p := b.authorize(cfg, "plain", oauth2.S256ChallengeOption(verifier))
	tok, err := cfg.Exchange(context.Background(), codeFrom(t, p, "plain"), oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatal(err)
	}
	wantAMR(t, "without a second factor", claims(t, tok.AccessToken), []string{"pwd"}, "")

	key, _ := b.enrolTOTP()
	h.Clock.Advance(30 * time.Second)
	if _, body, _ := h.getJSON(t, "/.well-known/openid-configuration", ""); fmt.Sprint(body["acr_values_supported"]) != "[mfa]" {
		t.Errorf("discovery acr_values_supported = %v, want [mfa]", body["acr_values_supported"])
	}
	if p := other.authorize(cfg, "old", oauth2.S256ChallengeOption(verifier)); p.Location != nil || !strings.Contains(p.Body, `action="/mfa"`) {
		t.Errorf("a password-only session after the set-up: %d %s %v, want the code form", p.Status, p.URL, p.Location)
	}

	verifier = oauth2.GenerateVerifier()
	p = b.authorize(cfg, "up", oauth2.S256ChallengeOption(verifier), oauth2.SetAuthURLParam("acr_values", "mfa"))
	if p.Location != nil || !strings.Contains(p.Body, `action="/mfa"`) {
		t.Fatalf("acr_values=mfa: %d %s %v, want the code form\n%s", p.Status, p.URL, p.Location, p.Body)
	}
	p = b.post("/mfa", url.Values{"code": {totpCode(t, h, key)}})
	tok, err = cfg.Exchange(context.Background(), codeFrom(t, p, "up"), oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatal(err)
	}
	idToken, _ := tok.Extra("id_token").(string)
	wantAMR(t, "stepped-up ID token", claims(t, idToken), pwdOTP, "mfa")

	// prompt=none cannot step up: interaction_required.
	p = b2Fresh(t, h).authorize(cfg, "none", oauth2.S256ChallengeOption(verifier), oauth2.SetAuthURLParam("acr_values", "mfa"),
		oauth2.SetAuthURLParam("prompt", "none"))
	if p.Location == nil || p.Location.Query().Get("error") != "login_required" {
		t.Errorf("prompt=none without a session: %v", p.Location)
	}
}

// b2Fresh is a browser with no session.
func b2Fresh(t *testing.T, h *hub) *browser { return h.newBrowser(t) }

// TestDeviceLoginWithSecondFactor: the device page goes through the same
// second-factor step, and the device's tokens record it.
func TestDeviceLoginWithSecondFactor(t *testing.T) {
	h := newHub(t)
	b := h.newBrowser(t)
	b.signIn(demoUser, demoPassword)
	key, _ := b.enrolTOTP()
	h.Clock.Advance(30 * time.Second)

	cfg := h.cliConfig()
	da := startDevice(t, cfg)
	d := h.newBrowser(t)
	p := d.login(d.post("/device", url.Values{"user_code": {da.UserCode}}), demoUser, demoPassword)
	if !strings.Contains(p.Body, `action="/mfa"`) {
		t.Fatalf("after the password: %d\n%s", p.Status, p.Body)
	}
	p = d.post("/mfa", url.Values{"code": {totpCode(t, h, key)}})
	if !strings.Contains(p.Body, `action="/device/approve"`) {
		t.Fatalf("after the code: %d\n%s", p.Status, p.Body)
	}
	form := hubtest.Hidden(p.Body)
	form.Set("decision", "approve")
	d.post("/device/approve", form)
	tok, err := cfg.DeviceAccessToken(context.Background(), da)
	if err != nil {
		t.Fatal(err)
	}
	wantAMR(t, "device access token", claims(t, tok.AccessToken), pwdOTP, "mfa")
}

// TestSecondFactorChangesNeedFreshSignIn: set-up, removal and new
// recovery codes need a sign-in of the last 5 minutes or the password.
func TestSecondFactorChangesNeedFreshSignIn(t *testing.T) {
	h := newHub(t)
	b := h.newBrowser(t)
	b.signIn(demoUser, demoPassword)
	h.Clock.Advance(10 * time.Minute)
	p := b.post("/account/mfa/totp", url.Values{})
	if p.Status != http.StatusForbidden || !strings.Contains(p.Body, "Enter your password") {
		t.Fatalf("stale set-up: %d\n%s", p.Status, p.Body)
	}
	if _, err := h.Store.GetTOTP(t.Context(), demoID(t, h)); err == nil {
		t.Fatal("a refused set-up stored a key")
	}
	if !auditedLike(t, h, storage.AuditMFAFailed, "totp set-up refused: no fresh sign-in") {
		t.Error("the refused set-up is not in the audit log")
	}
	if p := b.post("/account/mfa/totp", url.Values{"password": {"wrong"}}); p.Status != http.StatusForbidden || !strings.Contains(p.Body, "password is wrong") {
		t.Fatalf("wrong password: %d\n%s", p.Status, p.Body)
	}
	p = b.post("/account/mfa/totp", url.Values{"password": {demoPassword}})
	if secretRE.FindStringSubmatch(p.Body) == nil {
		t.Fatalf("set-up with the password: %d\n%s", p.Status, p.Body)
	}
	qr := b.get(h.URL + "/account/mfa/totp/qr")
	if qr.Status != http.StatusOK || qr.Header.Get("Content-Type") != "image/png" || qr.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("QR code: %d %v", qr.Status, qr.Header)
	}
	if p := b.post("/account/mfa/totp/remove", url.Values{}); p.Status != http.StatusForbidden {
		t.Errorf("stale removal: %d", p.Status)
	}
}

// TestPasswordEndpointOTP: /api/v1/auth/token takes the code as otp.
func TestPasswordEndpointOTP(t *testing.T) {
	h := newHub(t)
	b := h.newBrowser(t)
	b.signIn(demoUser, demoPassword)
	key, codes := b.enrolTOTP()
	h.Clock.Advance(30 * time.Second)
	login := func(otp string) (int, map[string]any) {
		form := url.Values{"username": {demoUser}, "password": {demoPassword}}
		if otp != "" {
			form.Set("otp", otp)
		}
		status, body, _ := h.postForm(t, "/api/v1/auth/token", form)
		return status, body
	}
	if status, body := login(""); status != http.StatusUnauthorized || body["error"] != "mfa_required" {
		t.Fatalf("without otp: %d %v", status, body)
	}
	if status, body := login("000000"); status != http.StatusUnauthorized || body["error"] != "invalid_otp" {
		t.Fatalf("wrong otp: %d %v", status, body)
	}
	code := totpCode(t, h, key)
	status, body := login(code)
	if status != http.StatusOK {
		t.Fatalf("with otp: %d %v", status, body)
	}
	wantAMR(t, "access token", claims(t, body["access_token"].(string)), pwdOTP, "mfa")
	sec := h.AddClient(t, resourceClient)
	wantAMR(t, "introspection", h.introspect(t, sec, body["access_token"].(string)), pwdOTP, "mfa")
	if status, body := login(code); status != http.StatusUnauthorized || body["error"] != "invalid_otp" {
		t.Fatalf("replayed otp: %d %v", status, body)
	}
	if status, _ := login(codes[3]); status != http.StatusOK {
		t.Fatalf("recovery code as otp: %d", status)
	}
	// Personal tokens are unaffected: one made with these tokens works
	// alone, with no second factor.
	pat := h.PersonalToken(t, body["access_token"].(string))
	if status, me, _ := h.getJSON(t, "/api/v1/users/me", pat); status != http.StatusOK || me["username"] != demoUser {
		t.Errorf("personal token: %d %v", status, me)
	}
}

// TestUpstreamSignInThenSecondFactor: under --require-mfa all, a user
// signing in through an upstream provider (provisioned at the first
// sign-in) sets up the hub's second factor right after it; the tokens
// record both: amr ["fed", "otp", "mfa"], the idp, acr "mfa".
func TestUpstreamSignInThenSecondFactor(t *testing.T) {
	f := newFederation(t, requireMFA(mfa.PolicyAll))
	h := f.down
	b := f.browser()
	cfg := h.cliConfig()
	verifier := oauth2.GenerateVerifier()
	p := f.signIn(b, b.authorize(cfg, "fed", oauth2.S256ChallengeOption(verifier)))
	m := secretRE.FindStringSubmatch(p.Body)
	if p.Location != nil || m == nil {
		t.Fatalf("after the upstream sign-in: %d %s %v, want the set-up\n%s", p.Status, p.URL, p.Location, p.Body)
	}
	_, done := b.confirmTOTP("/mfa/setup", m[1])
	next := continueRE.FindStringSubmatch(done.Body)
	if next == nil {
		t.Fatalf("no way on after the recovery codes:\n%s", done.Body)
	}
	tok, err := cfg.Exchange(context.Background(), codeFrom(t, b.get(h.URL+html.UnescapeString(next[1])), "fed"), oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatal(err)
	}
	fed := []string{"fed", "otp", "mfa"}
	idToken, _ := tok.Extra("id_token").(string)
	id := claims(t, idToken)
	wantAMR(t, "ID token", id, fed, "mfa")
	if id["idp"] != upstreamName {
		t.Errorf("ID token idp = %v, want %s", id["idp"], upstreamName)
	}
	wantAMR(t, "access token", claims(t, tok.AccessToken), fed, "mfa")
}

// withTOTP gives the demo user a confirmed authenticator app and returns
// its key.
func withTOTP(t *testing.T, h *hub) string {
	t.Helper()
	const key = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
	id, now := demoID(t, h), h.Clock.Now()
	if err := h.Store.BeginTOTP(t.Context(), storage.TOTP{UserID: id, Secret: key, CreatedAt: now}); err != nil {
		t.Fatal(err)
	}
	if err := h.Store.ConfirmTOTP(t.Context(), id, key, 0, nil, now); err != nil {
		t.Fatal(err)
	}
	return key
}
