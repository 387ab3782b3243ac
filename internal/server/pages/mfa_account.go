package pages

import (
	"errors"
	"net/http"
	"time"

	"github.com/hubauth/hubauth/internal/server/authn"
	"github.com/hubauth/hubauth/internal/server/clientaddr"
	"github.com/hubauth/hubauth/internal/server/mfa"
	"github.com/hubauth/hubauth/internal/server/throttle"
	"github.com/hubauth/hubauth/internal/storage"
)

// freshSignIn is how long after signing in a user may change second
// factors without typing the password again.
const freshSignIn = 5 * time.Minute

// loadMFA fills the account page's second factors section (keeping an
// Error already set); bs is the request's hub session, already read.
func (p *Pages) loadMFA(r *http.Request, bs storage.BrowserSession, u storage.User, av *accountView) error {
	f, err := p.cfg.MFA.Factors(r.Context(), u)
	if err != nil {
		return err
	}
	av.MFA.TOTP, av.MFA.RecoveryCodes = f.TOTP, f.RecoveryCodes
	av.MFA.Required = p.cfg.MFA.Policy().Requires(u)
	av.MFA.Reauth = !p.fresh(bs)
	av.MFA.PasskeysOff = p.cfg.MFA.PasskeysUnavailable()
	keys, err := p.cfg.MFA.ListPasskeys(r.Context(), u)
	if err != nil {
		return err
	}
	for _, k := range keys {
		av.MFA.Passkeys = append(av.MFA.Passkeys, passkeyRow{ID: k.ID, Name: k.Name, Created: when(k.CreatedAt, ""),
			LastUsed: when(k.LastUsedAt, "never"), Synced: k.BackupEligible})
	}
	return nil
}

// fresh reports whether bs signed in recently enough to change second
// factors without typing the password again.
func (p *Pages) fresh(bs storage.BrowserSession) bool {
	return p.now().Sub(bs.AuthTime) <= freshSignIn
}

// reauth lets a change of second factors through when the sign-in is
// fresh or the form carries the right password; else it shows the account
// page with why, audits the refusal and returns false. Nothing changed.
func (p *Pages) reauth(w http.ResponseWriter, r *http.Request, bs storage.BrowserSession, u storage.User, what string) bool {
	if p.fresh(bs) {
		return true
	}
	pw := formValue(r, "password")
	addr := clientaddr.From(r).ThrottleKey()
	msg := "Enter your password to confirm this change."
	if pw != "" && u.PasswordHash != "" {
		_, err := p.cfg.Authn.Login(r.Context(), u.Username, pw, addr)
		if err == nil {
			return true
		}
		msg = "The password is wrong. " + msg
		var throttled *authn.ThrottledError
		if errors.As(err, &throttled) {
			msg = "Too many failed attempts. Wait " + throttledFor(throttled) + " and try again."
		}
	} else if u.PasswordHash == "" || p.passwordOff() {
		msg = "Sign out and sign in again, then make this change within 5 minutes."
	}
	_ = p.cfg.Store.AppendAudit(r.Context(), storage.AuditEvent{Time: p.now(), Type: storage.AuditMFAFailed, UserID: u.ID,
		Address: addr, Detail: what + " refused: no fresh sign-in"})
	p.accountMFAError(w, r, bs, u, http.StatusForbidden, msg)
	return false
}

func throttledFor(t *authn.ThrottledError) string { return throttle.Rounded(t.RetryAfter).String() }

// accountMFAError shows the account page with msg in the second factors
// section.
func (p *Pages) accountMFAError(w http.ResponseWriter, r *http.Request, bs storage.BrowserSession, u storage.User, status int, msg string) {
	v := p.newTokenForm("", -1, nil)
	v.MFA.Error = msg
	p.showAccount(w, r, status, bs, u, v)
}

// beginTOTP starts setting up an authenticator app from the account page.
func (p *Pages) beginTOTP(w http.ResponseWriter, r *http.Request) {
	bs, u, ok := p.accountForm(w, r)
	if !ok || !p.reauth(w, r, bs, u, "totp set-up") {
		return
	}
	_, err := p.cfg.MFA.Begin(r.Context(), u, bs.ID)
	switch {
	case errors.Is(err, mfa.ErrEnrolled):
		p.accountMFAError(w, r, bs, u, http.StatusConflict, "An authenticator app is already set up. Remove it first to set up another.")
	case err != nil:
		p.failStep(w, r, err)
	default:
		http.Redirect(w, r, "/account/mfa/totp", http.StatusSeeOther)
	}
}

// accountSetupForm shows the set-up under way: QR code, key, code form.
func (p *Pages) accountSetupForm(w http.ResponseWriter, r *http.Request) {
	bs, u, ok := p.current(r)
	if !ok {
		p.toLogin(w, r)
		return
	}
	secret, err := p.cfg.MFA.Pending(r.Context(), u, bs.ID)
	if errors.Is(err, mfa.ErrNoEnrolment) || errors.Is(err, mfa.ErrEnrolled) {
		http.Redirect(w, r, "/account#mfa", http.StatusSeeOther)
		return
	}
	if err != nil {
		p.failStep(w, r, err)
		return
	}
	v := p.setupView(u, secret, "/account/mfa/totp/confirm", "/account/mfa/totp/qr")
	v.Reauth = !p.fresh(bs)
	p.renderTOTP(w, r, http.StatusOK, v)
}

// confirmTOTP finishes the set-up with its first code and shows the new
// recovery codes once.
func (p *Pages) confirmTOTP(w http.ResponseWriter, r *http.Request) {
	bs, u, ok := p.accountForm(w, r)
	if !ok || !p.reauth(w, r, bs, u, "totp set-up") {
		return
	}
	codes, err := p.cfg.MFA.Confirm(r.Context(), u, bs.ID, formValue(r, "code"), clientaddr.From(r).ThrottleKey())
	if errors.Is(err, mfa.ErrNoEnrolment) || errors.Is(err, mfa.ErrEnrolled) {
		p.accountMFAError(w, r, bs, u, http.StatusConflict, "This set-up has expired or is finished. Start again if you need to.")
		return
	}
	if err != nil {
		p.setupFailed(w, r, u, bs, bs.ID, err, "/account/mfa/totp/confirm", "/account/mfa/totp/qr")
		return
	}
	p.renderRecovery(w, r, http.StatusOK, recoveryView{layout: layout{User: &u}, Intro: "Your authenticator app is set up: from now on the hub asks for its code after your password.",
		Codes: codes, Continue: "/account#mfa"})
}

// removeTOTP removes the authenticator app (and the recovery codes with
// it), unless the policy requires a second factor.
func (p *Pages) removeTOTP(w http.ResponseWriter, r *http.Request) {
	bs, u, ok := p.accountForm(w, r)
	if !ok || !p.reauth(w, r, bs, u, "totp removal") {
		return
	}
	err := p.cfg.MFA.RemoveTOTP(r.Context(), u, clientaddr.From(r).String(), u.Username)
	p.factorRemoved(w, r, bs, u, err, "This hub requires a second factor: your authenticator app is your last one, so it stays.", "mfa_removed")
}

// factorRemoved answers the removal of a second factor that ended in err:
// a 409 saying required when the policy keeps the factor, back to the
// account page when it was gone already, the account page with done set
// when removed.
func (p *Pages) factorRemoved(w http.ResponseWriter, r *http.Request, bs storage.BrowserSession, u storage.User, err error, required, done string) {
	switch {
	case errors.Is(err, mfa.ErrRequired):
		p.accountMFAError(w, r, bs, u, http.StatusConflict, required)
	case errors.Is(err, mfa.ErrNoFactor):
		http.Redirect(w, r, "/account#mfa", http.StatusSeeOther)
	case err != nil:
		p.failStep(w, r, err)
	default:
		http.Redirect(w, r, "/account?done="+done+"#mfa", http.StatusSeeOther)
	}
}

// regenerateRecovery replaces the recovery codes and shows the new ones
// once.
func (p *Pages) regenerateRecovery(w http.ResponseWriter, r *http.Request) {
	bs, u, ok := p.accountForm(w, r)
	if !ok || !p.reauth(w, r, bs, u, "recovery codes") {
		return
	}
	codes, err := p.cfg.MFA.RegenerateRecovery(r.Context(), u, clientaddr.From(r).String())
	switch {
	case errors.Is(err, mfa.ErrNoFactor):
		p.accountMFAError(w, r, bs, u, http.StatusConflict, "Set up an authenticator app first: recovery codes stand in for it.")
	case err != nil:
		p.failStep(w, r, err)
	default:
		p.renderRecovery(w, r, http.StatusOK, recoveryView{layout: layout{User: &u}, Intro: "New recovery codes: the old ones no longer work.",
			Codes: codes, Continue: "/account#mfa"})
	}
}
