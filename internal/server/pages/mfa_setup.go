package pages

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/hubauth/hubauth/internal/server/clientaddr"
	"github.com/hubauth/hubauth/internal/server/mfa"
	"github.com/hubauth/hubauth/internal/storage"
)

// setupForm shows the authenticator set-up of a sign-in whose user must
// have a second factor and has none: right after the first factor, before
// any session, code or token exists.
func (p *Pages) setupForm(w http.ResponseWriter, r *http.Request) {
	l, u, ok := p.setupLogin(w, r)
	if !ok {
		return
	}
	secret, err := p.pendingOrNew(r, u, l.TokenHash)
	if errors.Is(err, mfa.ErrEnrolled) || errors.Is(err, mfa.ErrHasFactor) {
		http.Redirect(w, r, "/mfa", http.StatusSeeOther)
		return
	}
	if err != nil {
		p.failStep(w, r, err)
		return
	}
	p.renderTOTP(w, r, http.StatusOK, p.setupView(u, secret, "/mfa/setup", "/mfa/setup/qr"))
}

// setupLogin is the sign-in waiting in this browser whose user may set up
// a second factor: one whose first factor is fresh (not a step-up of an
// old session whose factor was removed meanwhile) and who has no second
// factor: who has one (from before, or set up meanwhile in another tab)
// goes to the second factor's page, to pass it; the first factor alone
// never adds another. Every step of the login-time set-up (form, QR
// code, confirmation, both passkey steps) goes through it; when it
// returns false it has answered.
func (p *Pages) setupLogin(w http.ResponseWriter, r *http.Request) (storage.MFALogin, storage.User, bool) {
	l, u, ok := p.pendingLogin(r)
	if !ok || p.now().Sub(l.AuthTime) > mfaLoginTTL {
		p.noPendingLogin(w, r)
		return l, u, false
	}
	f, err := p.cfg.MFA.Factors(r.Context(), u)
	if err != nil {
		p.failStep(w, r, err)
		return l, u, false
	}
	if f.Any() {
		http.Redirect(w, r, "/mfa", http.StatusSeeOther)
		return l, u, false
	}
	return l, u, true
}

// setupView is the set-up page of u's key secret.
func (p *Pages) setupView(u storage.User, secret, action, qr string) totpView {
	v := totpView{Account: u.Username, Secret: grouped(secret), Action: action, QR: qr}
	if action == "/mfa/setup" {
		v.Reason = "A second factor is needed to sign in here. Set up an authenticator app to continue."
		if p.cfg.MFA.PasskeysUnavailable() == "" {
			v.Reason = "A second factor is needed to sign in here. Set up an authenticator app, or add a passkey, to continue."
			v.Passkey = true
		}
	}
	return v
}

// pendingOrNew returns the key of u's set-up under way started by owner,
// starting one when there is none.
func (p *Pages) pendingOrNew(r *http.Request, u storage.User, owner string) (string, error) {
	secret, err := p.cfg.MFA.Pending(r.Context(), u, owner)
	if errors.Is(err, mfa.ErrNoEnrolment) {
		return p.cfg.MFA.BeginAtLogin(r.Context(), u, owner)
	}
	return secret, err
}

// setupConfirm confirms the set-up with its first code; that code is the
// sign-in's second factor, so the hub session starts and the new recovery
// codes are shown before the sign-in goes on.
func (p *Pages) setupConfirm(w http.ResponseWriter, r *http.Request) {
	if !p.form(w, r) {
		return
	}
	l, u, ok := p.setupLogin(w, r)
	if !ok {
		return
	}
	codes, err := p.cfg.MFA.ConfirmAtLogin(r.Context(), u, l.TokenHash, formValue(r, "code"), clientaddr.From(r).ThrottleKey())
	if err != nil {
		p.setupFailed(w, r, u, storage.BrowserSession{}, l.TokenHash, err, "/mfa/setup", "/mfa/setup/qr")
		return
	}
	if _, ok := p.consumeLogin(w, r, l, u, storage.AMROTP); !ok {
		return
	}
	p.renderRecovery(w, r, http.StatusOK, continueAfterSetup(l, "Your authenticator app is set up.", codes))
}

// continueAfterSetup is the recovery codes page of a login-time set-up
// (intro says what was set up): its link goes on with the sign-in l
// waited for — the authorization request, the device page or next.
func continueAfterSetup(l storage.MFALogin, intro string, codes []string) recoveryView {
	v := recoveryView{Intro: intro, Codes: codes, UserCode: l.UserCode, Continue: l.Next}
	if l.AuthRequestID != "" {
		v.Continue = "/login?authRequestID=" + url.QueryEscape(l.AuthRequestID)
	}
	if v.Continue == "" && v.UserCode == "" {
		v.Continue = "/"
	}
	return v
}

// setupFailed shows the set-up of owner again with why its code was
// refused; a set-up finished meanwhile (in another tab) goes on to the
// code form. bs is the hub session of an account set-up (zero at login).
func (p *Pages) setupFailed(w http.ResponseWriter, r *http.Request, u storage.User, bs storage.BrowserSession, owner string, err error, action, qr string) {
	status, msg := codeError(w, err)
	if status == 0 && !errors.Is(err, mfa.ErrEnrolled) {
		p.failStep(w, r, err)
		return
	}
	secret, perr := p.cfg.MFA.Pending(r.Context(), u, owner)
	switch {
	case errors.Is(perr, mfa.ErrEnrolled) && action == "/mfa/setup":
		http.Redirect(w, r, "/mfa", http.StatusSeeOther)
		return
	case errors.Is(perr, mfa.ErrNoEnrolment) && action == "/mfa/setup":
		// Spent or expired: the set-up starts again with a new key.
		http.Redirect(w, r, "/mfa/setup", http.StatusSeeOther)
		return
	case errors.Is(perr, mfa.ErrEnrolled), errors.Is(perr, mfa.ErrNoEnrolment):
		p.accountMFAError(w, r, bs, u, http.StatusConflict, "This set-up had too many wrong codes, has expired or is finished. Start again if you need to.")
		return
	case perr != nil:
		p.failStep(w, r, perr)
		return
	}
	v := p.setupView(u, secret, action, qr)
	if action != "/mfa/setup" {
		v.Reauth = !p.fresh(bs)
	}
	v.Error = msg
	p.renderTOTP(w, r, status, v)
}

// grouped writes a key in groups of four, as people copy it into an app
// (which ignores the spaces).
func grouped(key string) string {
	var b strings.Builder
	for i, r := range key {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return b.String()
}
