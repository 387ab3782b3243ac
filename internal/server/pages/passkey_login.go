package pages

import (
	"net/http"
	"net/url"

	"github.com/hubauth/hubauth/internal/names"
	"github.com/hubauth/hubauth/internal/server/clientaddr"
	"github.com/hubauth/hubauth/internal/storage"
)

// continuationForm reads where a sign-in goes on from a posted form.
func continuationForm(r *http.Request) loginView {
	return loginView{AuthRequestID: names.Clip(formValue(r, "authRequestID"), 64), UserCode: names.Clip(formValue(r, "user_code"), 16),
		Next: safeNext(formValue(r, "next"))}
}

// beginPasskeySignIn begins a sign-in with a passkey alone ("Sign in with
// a passkey" on the login page): the authenticator names the user.
func (p *Pages) beginPasskeySignIn(w http.ResponseWriter, r *http.Request) {
	if !p.form(w, r) {
		return
	}
	v := continuationForm(r)
	c, err := p.cfg.MFA.BeginSignIn(r.Context())
	if p.passkeyFailed(w, r, err, p.loginRefusal(w, r, v)) {
		return
	}
	p.showCeremony(w, r, c, passkeyView{Title: "Sign in with a passkey", Mode: "get",
		Intro:  "Your browser asks for your passkey: unlock it as you unlock this device or your phone.",
		Action: "/login/passkey/finish", Back: loginURL(v), AuthRequestID: v.AuthRequestID, UserCode: v.UserCode, Next: v.Next})
}

// finishPasskeySignIn checks the passkey's answer and signs its user in:
// the hub requires user verification, so a passkey is two factors
// (storage.PasskeyAMR) and the sign-in goes on at once.
func (p *Pages) finishPasskeySignIn(w http.ResponseWriter, r *http.Request) {
	if !p.form(w, r) {
		return
	}
	v := continuationForm(r)
	token, answer := p.ceremonyAnswer(w, r)
	u, amr, err := p.cfg.MFA.FinishSignIn(r.Context(), token, answer, clientaddr.From(r).ThrottleKey())
	if p.passkeyFailed(w, r, err, p.loginRefusal(w, r, v)) {
		return
	}
	bs, err := p.startSession(w, r, u, amr, p.now())
	if err != nil {
		p.failStep(w, r, err)
		return
	}
	p.continueLogin(w, r, v, u, bs)
}

// loginRefusal shows a refused passkey sign-in on the login page of the
// sign-in v continues.
func (p *Pages) loginRefusal(w http.ResponseWriter, r *http.Request, v loginView) func(status int, msg string) {
	return func(status int, msg string) {
		v.Error = msg
		p.renderLogin(w, r, status, v)
	}
}

// mfaRefusal shows a refused passkey second factor on u's second-factor
// page.
func (p *Pages) mfaRefusal(w http.ResponseWriter, r *http.Request, u storage.User) func(status int, msg string) {
	return func(status int, msg string) {
		p.renderMFA(w, r, status, mfaView{layout: layout{Error: msg}, Username: u.Username, userID: u.ID})
	}
}

// loginURL is the login page of the sign-in v continues.
func loginURL(v loginView) string {
	switch {
	case v.AuthRequestID != "":
		return "/login?authRequestID=" + url.QueryEscape(v.AuthRequestID)
	case v.UserCode != "":
		return "/device"
	}
	return "/login?next=" + url.QueryEscape(v.Next)
}

// beginPasskeyFactor begins a passkey check as the second factor of the
// sign-in waiting in this browser.
func (p *Pages) beginPasskeyFactor(w http.ResponseWriter, r *http.Request) {
	if !p.form(w, r) {
		return
	}
	l, u, ok := p.pendingLogin(r)
	if !ok {
		p.noPendingLogin(w, r)
		return
	}
	c, err := p.cfg.MFA.BeginSecondFactor(r.Context(), u, l.TokenHash)
	if p.passkeyFailed(w, r, err, p.mfaRefusal(w, r, u)) {
		return
	}
	p.showCeremony(w, r, c, passkeyView{Title: "Second factor", Mode: "get",
		Intro:  "Signing in as " + u.Username + ": your browser asks for one of your passkeys.",
		Action: "/mfa/passkey/finish", Back: "/mfa"})
}

// finishPasskeyFactor checks the passkey's answer; the right one ends the
// wait as a right code does (finishSecondFactor). Each answer counts
// against the waiting sign-in's attempts, as a code does.
func (p *Pages) finishPasskeyFactor(w http.ResponseWriter, r *http.Request) {
	if !p.form(w, r) {
		return
	}
	token, answer := p.ceremonyAnswer(w, r)
	l, u, ok := p.attemptLogin(r)
	if !ok {
		p.noPendingLogin(w, r)
		return
	}
	method, err := p.cfg.MFA.FinishSecondFactor(r.Context(), u, l.TokenHash, token, answer, clientaddr.From(r).ThrottleKey())
	if p.passkeyFailed(w, r, err, p.mfaRefusal(w, r, u)) {
		return
	}
	p.finishSecondFactor(w, r, l, u, method)
}
