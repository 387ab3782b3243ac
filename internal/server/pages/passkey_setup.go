package pages

import (
	"errors"
	"net/http"

	"github.com/hubauth/hubauth/internal/server/clientaddr"
	"github.com/hubauth/hubauth/internal/server/mfa"
	"github.com/hubauth/hubauth/internal/storage"
)

// beginSetupPasskey begins the login-time set-up (a user the policy
// requires a second factor of, who has none) with a passkey instead of an
// authenticator app: right after the first factor, bound to the waiting
// sign-in.
func (p *Pages) beginSetupPasskey(w http.ResponseWriter, r *http.Request) {
	if !p.form(w, r) {
		return
	}
	l, u, ok := p.setupLogin(w, r)
	if !ok {
		return
	}
	c, err := p.cfg.MFA.BeginRegistrationAtLogin(r.Context(), u, l.TokenHash, formValue(r, "name"))
	if p.passkeyFailed(w, r, err, p.setupRefusal(w, r, l, u)) {
		return
	}
	p.showCeremony(w, r, c, passkeyView{Title: "Add a passkey", Mode: "create",
		Intro:  "Signing in as " + u.Username + ": your browser asks where to keep the new passkey.",
		Action: "/mfa/setup/passkey/finish", Back: "/mfa/setup"})
}

// finishSetupPasskey stores the new passkey; as the set-up's code does, it
// passes as the sign-in's second factor, so the hub session starts, the
// recovery codes are shown (when new) and the sign-in goes on.
func (p *Pages) finishSetupPasskey(w http.ResponseWriter, r *http.Request) {
	if !p.form(w, r) {
		return
	}
	token, answer := p.ceremonyAnswer(w, r)
	l, u, ok := p.setupLogin(w, r)
	if !ok {
		return
	}
	key, codes, err := p.cfg.MFA.FinishRegistrationAtLogin(r.Context(), u, l.TokenHash, token, answer, clientaddr.From(r).ThrottleKey())
	if p.passkeyFailed(w, r, err, p.setupRefusal(w, r, l, u)) {
		return
	}
	bs, ok := p.consumeLogin(w, r, l, u, storage.PasskeyMethod(key.BackupEligible))
	if !ok {
		return
	}
	v := loginView{AuthRequestID: l.AuthRequestID, UserCode: l.UserCode, Next: l.Next}
	if len(codes) == 0 {
		p.continueLogin(w, r, v, u, bs)
		return
	}
	p.renderRecovery(w, r, http.StatusOK, continueAfterSetup(l, "Your passkey “"+key.Name+"” is added.", codes))
}

// setupRefusal shows the login-time set-up of the sign-in l again with
// why the passkey was refused.
func (p *Pages) setupRefusal(w http.ResponseWriter, r *http.Request, l storage.MFALogin, u storage.User) func(status int, msg string) {
	return func(status int, msg string) {
		secret, err := p.pendingOrNew(r, u, l.TokenHash)
		if errors.Is(err, mfa.ErrHasFactor) || errors.Is(err, mfa.ErrEnrolled) {
			http.Redirect(w, r, "/mfa", http.StatusSeeOther) // set up meanwhile
			return
		}
		if err != nil {
			p.failStep(w, r, err)
			return
		}
		v := p.setupView(u, secret, "/mfa/setup", "/mfa/setup/qr")
		v.Error = msg
		p.renderTOTP(w, r, status, v)
	}
}
