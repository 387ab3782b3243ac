package server_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/hubauth/hubauth/internal/hubtest"
	"github.com/hubauth/hubauth/internal/server/mfa"
	"github.com/hubauth/hubauth/internal/storage"
)

// newLocalhostHub starts a hub at http://localhost:PORT, where browsers
// allow passkeys (not on 127.0.0.1: an IP address).
func newLocalhostHub(t *testing.T, opts ...option) *hub {
	t.Helper()
	return &hub{hubtest.New(t, hubtest.WithLocalhost(), hubtest.WithConfig(opts...), hubtest.WithUser(demoUser, demoPassword))}
}

var optionsRE = regexp.MustCompile(`data-options="([^"]*)"`)

// ceremony returns the options of the passkey page p.
func (b *browser) ceremony(p page) []byte {
	b.t.Helper()
	m := optionsRE.FindStringSubmatch(p.Body)
	if p.Status != http.StatusOK || m == nil {
		b.t.Fatalf("expected the passkey page, got %d %s:\n%s", p.Status, p.URL, p.Body)
	}
	return []byte(html.UnescapeString(m[1]))
}

// answer posts the passkey's answer to the passkey page p's form, with
// the page's hidden fields.
func (b *browser) answer(p page, action string, credential []byte) page {
	b.t.Helper()
	form := hubtest.Hidden(p.Body)
	form.Set("credential", string(credential))
	return b.post(action, form)
}

// addPasskey adds a software passkey on the account page of b (signed in
// freshly) and returns it and the page the browser ends on.
func (b *browser) addPasskey(name string) (*hubtest.Passkey, page) {
	b.t.Helper()
	k := hubtest.NewPasskey(b.t, "localhost")
	p := b.post("/account/passkeys", url.Values{"name": {name}})
	return k, b.answer(p, "/account/passkeys/finish", k.Register(b.t, b.ceremony(p), b.hub.URL))
}

// TestPasskeyPages: a passkey added on the account page is the second
// factor of the session's step-up, signs in alone (amr hwk user mfa)
// through an application, and bad answers are refused with a clear
// message and audited.
func TestPasskeyPages(t *testing.T) {
	h := newLocalhostHub(t)
	b := h.newBrowser(t)
	b.signIn(demoUser, demoPassword)
	k, p := b.addPasskey("laptop")
	// The user's first factor beyond the password comes with recovery
	// codes, shown once.
	codes, link := recoveryRE.FindAllStringSubmatch(p.Body, -1), continueRE.FindStringSubmatch(p.Body)
	if len(codes) != mfa.RecoveryCodes || link == nil {
		t.Fatalf("after adding a passkey: %d %s, want %d recovery codes\n%s", p.Status, p.URL, mfa.RecoveryCodes, p.Body)
	}
	// The session passed the password alone: its user now has a second
	// factor, so the account page first asks for it.
	p = b.get(h.URL + html.UnescapeString(link[1]))
	if !strings.Contains(p.Body, `action="/mfa/passkey"`) || !strings.Contains(p.Body, "Use a passkey") {
		t.Fatalf("after adding a passkey: %d %s, want the second-factor page offering the passkey\n%s", p.Status, p.URL, p.Body)
	}
	if !auditedLike(t, h, storage.AuditMFAEnrolled, "passkey laptop") {
		t.Error("the new passkey is not in the audit log")
	}
	if csp := p.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'none';") {
		t.Errorf("the second-factor page (no script) has CSP %q, want script-src 'none'", csp)
	}
	p = b.post("/mfa/passkey", url.Values{})
	for k, want := range map[string]string{"Content-Security-Policy": "script-src 'self';", "Cache-Control": "no-store"} {
		if got := p.Header.Get(k); !strings.Contains(got, want) {
			t.Errorf("passkey page %s = %q, want %q in it", k, got, want)
		}
	}
	if strings.Count(p.Body, "<script") != 1 || !strings.Contains(p.Body, `<script src="/static/passkey.js"></script>`) {
		t.Errorf("the passkey page runs a script other than /static/passkey.js:\n%s", p.Body)
	}
	p = b.answer(p, "/mfa/passkey/finish", k.Assert(t, b.ceremony(p), h.URL))
	if !strings.Contains(p.Body, `id="passkey-list"`) || !strings.Contains(p.Body, `value="laptop"`) {
		t.Fatalf("after the passkey: %d %s, want the account page listing it\n%s", p.Status, p.URL, p.Body)
	}
	status, body, _ := h.postForm(t, "/api/v1/auth/token", url.Values{"username": {demoUser}, "password": {demoPassword}})
	if desc, _ := body["error_description"].(string); status != http.StatusUnauthorized || body["error"] != "mfa_required" || !strings.Contains(desc, "browser or device login") {
		t.Errorf("password endpoint for a passkey user: %d %v, want 401 mfa_required pointing to the browser or device login", status, body)
	}
	if js := b.get(h.URL + "/static/passkey.js"); js.Status != http.StatusOK || !strings.Contains(js.Header.Get("Content-Type"), "javascript") {
		t.Errorf("GET /static/passkey.js: %d %q", js.Status, js.Header.Get("Content-Type"))
	}

	// A sign-in with the passkey alone, for the hub's CLI client.
	cfg := h.cliConfig()
	b2 := h.newBrowser(t)
	verifier := oauth2.GenerateVerifier()
	p = b2.authorize(cfg, "pk", oauth2.S256ChallengeOption(verifier))
	if !strings.Contains(p.Body, "Sign in with a passkey") {
		t.Fatalf("login page without the passkey button:\n%s", p.Body)
	}
	p = b2.post("/login/passkey", hubtest.Hidden(p.Body))
	opts := b2.ceremony(p)
	bad := b2.answer(p, "/login/passkey/finish", k.Assert(t, opts, "http://127.0.0.1"))
	if bad.Status != http.StatusUnauthorized || !strings.Contains(bad.Body, "was not accepted") {
		t.Errorf("wrong origin: %d, want 401 saying the passkey was not accepted\n%s", bad.Status, bad.Body)
	}
	if !auditedLike(t, h, storage.AuditMFAFailed, "origin") {
		t.Error("the wrong origin is not in the audit log")
	}
	p = b2.post("/login/passkey", hubtest.Hidden(bad.Body))
	answer := k.Assert(t, b2.ceremony(p), h.URL)
	done := b2.answer(p, "/login/passkey/finish", answer)
	tok, err := cfg.Exchange(context.Background(), codeFrom(t, done, "pk"), oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatal(err)
	}
	wantAMR(t, "passkey sign-in", claims(t, tok.AccessToken), []string{"hwk", "user", "mfa"}, "mfa")
	if replay := b2.answer(p, "/login/passkey/finish", answer); replay.Status != http.StatusConflict || !strings.Contains(replay.Body, "already used") {
		t.Errorf("replayed answer: %d, want 409 saying the request was already used\n%s", replay.Status, replay.Body)
	}
}

// TestPasskeyNeedsFreshSignIn: adding or removing a passkey needs a
// sign-in of the last 5 minutes or the password; a finish posted with no
// ceremony is refused.
func TestPasskeyNeedsFreshSignIn(t *testing.T) {
	h := newLocalhostHub(t)
	b := h.newBrowser(t)
	b.signIn(demoUser, demoPassword)
	h.Clock.Advance(6 * time.Minute)
	if p := b.post("/account/passkeys", url.Values{"name": {"laptop"}}); p.Status != http.StatusForbidden || !strings.Contains(p.Body, "Enter your password") {
		t.Errorf("stale set-up: %d, want 403 asking for the password\n%s", p.Status, p.Body)
	}
	if !auditedLike(t, h, storage.AuditMFAFailed, "passkey set-up refused: no fresh sign-in") {
		t.Error("the refused set-up is not in the audit log")
	}
	if p := b.post("/account/passkeys/finish", url.Values{"credential": {`{"id":"x"}`}}); p.Status != http.StatusConflict || !strings.Contains(p.Body, "Start again") {
		t.Errorf("finish without a ceremony: %d, want 409\n%s", p.Status, p.Body)
	}
	p := b.post("/account/passkeys", url.Values{"name": {"laptop"}, "password": {demoPassword}})
	b.ceremony(p) // with the password: the ceremony begins
	if p := b.post("/account/passkeys", url.Values{"name": {""}, "password": {demoPassword}}); p.Status != http.StatusBadRequest || !strings.Contains(p.Body, "1 to 64 characters") {
		t.Errorf("empty name: %d, want 400\n%s", p.Status, p.Body)
	}
}

// TestPasskeyRemovalUnderPolicy: under --require-mfa all the last second
// factor stays, whichever kind it is.
func TestPasskeyRemovalUnderPolicy(t *testing.T) {
	h := newLocalhostHub(t, requireMFA(mfa.PolicyAll))
	b := h.newBrowser(t)
	p := b.signIn(demoUser, demoPassword)
	m := secretRE.FindStringSubmatch(p.Body)
	if m == nil {
		t.Fatalf("expected the required set-up:\n%s", p.Body)
	}
	b.confirmTOTP("/mfa/setup", m[1])
	b.addPasskey("laptop")
	if p := b.post("/account/mfa/totp/remove", url.Values{}); p.Status != http.StatusOK || !strings.Contains(p.Body, "authenticator app is removed") {
		t.Fatalf("removing the app with a passkey left: %d\n%s", p.Status, p.Body)
	}
	keys, _ := h.Store.ListPasskeys(t.Context(), h.Users[demoUser])
	p = b.post("/account/passkeys/"+keys[0].ID+"/remove", url.Values{})
	if p.Status != http.StatusConflict || !strings.Contains(p.Body, "it stays") {
		t.Errorf("removing the last passkey: %d, want 409\n%s", p.Status, p.Body)
	}
	if f, _ := h.Store.GetSecondFactors(t.Context(), h.Users[demoUser]); f.Passkeys != 1 {
		t.Errorf("after the refused removal: %+v", f)
	}
	if p := b.post("/account/passkeys/"+keys[0].ID+"/rename", url.Values{"name": {"old laptop"}}); !strings.Contains(p.Body, `value="old laptop"`) {
		t.Errorf("rename: %d\n%s", p.Status, p.Body)
	}
}

// TestPasskeysOnAnIPAddress: on http://127.0.0.1 the pages say why there
// are no passkeys and how to get them; the steps refuse plainly.
func TestPasskeysOnAnIPAddress(t *testing.T) {
	h := newHub(t)
	b := h.newBrowser(t)
	port := h.URL[strings.LastIndex(h.URL, ":"):]
	p := b.get(h.URL + "/login")
	if strings.Contains(p.Body, "/login/passkey") || !strings.Contains(p.Body, "serve --issuer http://localhost"+port) {
		t.Errorf("login page on an IP address:\n%s", p.Body)
	}
	if p := b.post("/login/passkey", url.Values{}); p.Status != http.StatusConflict || !strings.Contains(p.Body, "IP address") {
		t.Errorf("POST /login/passkey: %d, want 409 saying why\n%s", p.Status, p.Body)
	}
	p = b.signIn(demoUser, demoPassword)
	if !strings.Contains(p.Body, `id="passkeys-off"`) || strings.Contains(p.Body, `id="add-passkey"`) {
		t.Errorf("account page on an IP address:\n%s", p.Body)
	}
}

func TestPasskeyFormsRefuseCrossOrigin(t *testing.T) {
	h := newLocalhostHub(t)
	for _, path := range []string{"/login/passkey", "/login/passkey/finish", "/mfa/passkey", "/mfa/passkey/finish",
		"/account/passkeys", "/account/passkeys/finish", "/account/passkeys/x/remove", "/account/passkeys/x/rename"} {
		h.checkCrossOriginRefused(t, path, url.Values{"credential": {"{}"}})
	}
}

// TestPasskeySetUpAtLogin: under --require-mfa all a user without a
// second factor may add a passkey instead of an app right after the
// password; it is the sign-in's second factor, and the next password
// sign-in asks for it.
func TestPasskeySetUpAtLogin(t *testing.T) {
	h := newLocalhostHub(t, requireMFA(mfa.PolicyAll))
	cfg := h.cliConfig()
	b := h.newBrowser(t)
	verifier := oauth2.GenerateVerifier()
	p := b.login(b.authorize(cfg, "s1", oauth2.S256ChallengeOption(verifier)), demoUser, demoPassword)
	if !strings.Contains(p.Body, `action="/mfa/setup/passkey"`) {
		t.Fatalf("the required set-up does not offer a passkey:\n%s", p.Body)
	}
	if bad := b.post("/mfa/setup/passkey", url.Values{"name": {""}}); bad.Status != http.StatusBadRequest || !strings.Contains(bad.Body, "1 to 64 characters") {
		t.Errorf("empty name: %d\n%s", bad.Status, bad.Body)
	}
	k := hubtest.NewPasskey(t, "localhost")
	p = b.post("/mfa/setup/passkey", url.Values{"name": {"laptop"}})
	p = b.answer(p, "/mfa/setup/passkey/finish", k.Register(t, b.ceremony(p), h.URL))
	link := continueRE.FindStringSubmatch(p.Body)
	if link == nil || len(recoveryRE.FindAllString(p.Body, -1)) != mfa.RecoveryCodes {
		t.Fatalf("after the passkey set-up: %d, want the recovery codes\n%s", p.Status, p.Body)
	}
	tok, err := cfg.Exchange(context.Background(), codeFrom(t, b.get(h.URL+html.UnescapeString(link[1])), "s1"), oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatal(err)
	}
	wantAMR(t, "set-up sign-in", claims(t, tok.AccessToken), []string{"pwd", "hwk", "mfa"}, "mfa")

	b2 := h.newBrowser(t)
	p = b2.signIn(demoUser, demoPassword)
	if !strings.Contains(p.Body, `action="/mfa/passkey"`) || strings.Contains(p.Body, "authenticator app shows") {
		t.Fatalf("second sign-in: want the passkey (no app code) asked\n%s", p.Body)
	}
	p = b2.post("/mfa/passkey", url.Values{})
	p = b2.answer(p, "/mfa/passkey/finish", k.Assert(t, b2.ceremony(p), h.URL))
	if !strings.Contains(p.Body, `id="passkey-list"`) {
		t.Errorf("after the passkey: %d %s, want the account page\n%s", p.Status, p.URL, p.Body)
	}
}
