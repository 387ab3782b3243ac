package pages

import (
	"errors"
	"net/http"
	"time"

	"github.com/hubauth/hubauth/internal/server/authn"
	"github.com/hubauth/hubauth/internal/server/clientaddr"
	"github.com/hubauth/hubauth/internal/server/mfa"
	"github.com/hubauth/hubauth/internal/storage"
)

// passkeyCookie binds a passkey ceremony to the browser that began it;
// the hub keeps the ceremony (its challenge) under the cookie's hash, so
// any node finishes it, once.
const passkeyCookie = "hubauth_passkey"

// passkeyView is passkey.html: the page that runs a WebAuthn ceremony
// with web/static/passkey.js — create (Mode "create") or use ("get") a
// passkey with Options, the answer posted to Action with where the
// sign-in goes on (AuthRequestID, UserCode, Next); Back leads away.
type passkeyView struct {
	layout
	Title, Intro, Mode, Options, Action, Back string
	AuthRequestID, UserCode, Next             string
}

// renderPasskey writes passkey.html with status, the one page that runs
// a script (passkey.js).
func (p *Pages) renderPasskey(w http.ResponseWriter, r *http.Request, status int, v passkeyView) {
	scriptCSP(w)
	p.execute(w, r, status, p.tmpl.passkeyTmpl, v)
}

// showCeremony sets the ceremony's cookie and shows the page that runs it.
func (p *Pages) showCeremony(w http.ResponseWriter, r *http.Request, c mfa.Ceremony, v passkeyView) {
	http.SetCookie(w, &http.Cookie{Name: passkeyCookie, Value: c.Token, Path: "/", HttpOnly: true, Secure: p.cfg.SecureCookies,
		SameSite: http.SameSiteLaxMode, MaxAge: int(mfa.PasskeyTTL / time.Second)})
	v.Options = string(c.Options)
	p.renderPasskey(w, r, http.StatusOK, v)
}

// ceremonyAnswer returns this browser's ceremony token and the answer
// posted, and forgets the cookie: a ceremony finishes once.
func (p *Pages) ceremonyAnswer(w http.ResponseWriter, r *http.Request) (token string, answer []byte) {
	if c, err := r.Cookie(passkeyCookie); err == nil {
		token = c.Value
	}
	http.SetCookie(w, &http.Cookie{Name: passkeyCookie, Value: "", Path: "/", HttpOnly: true, Secure: p.cfg.SecureCookies,
		SameSite: http.SameSiteLaxMode, MaxAge: -1})
	return token, []byte(formValue(r, "credential"))
}

// passkeyError is the status and message of a refused passkey step; 0
// for an error that is the hub's (failStep's).
func (p *Pages) passkeyError(w http.ResponseWriter, err error) (int, string) {
	var throttled *authn.ThrottledError
	switch {
	case errors.Is(err, mfa.ErrPasskeysOff):
		return http.StatusConflict, p.cfg.MFA.PasskeysUnavailable()
	case errors.Is(err, mfa.ErrNoCeremony):
		return http.StatusConflict, "This passkey request has expired, was already used, or was started in another browser. Start again."
	case errors.Is(err, mfa.ErrPasskeyCloned):
		return http.StatusUnauthorized, "This passkey was refused: its signature counter went backwards, so it may have been copied. Sign in another way and tell an administrator."
	case errors.Is(err, mfa.ErrPasskeyRefused), errors.Is(err, mfa.ErrNoFactor):
		return http.StatusUnauthorized, "The passkey was not accepted: it is not registered here for this account, or the browser's answer does not match this request. Try again."
	case errors.Is(err, mfa.ErrHasFactor):
		return http.StatusConflict, "You have a second factor already: use it to sign in."
	case errors.Is(err, mfa.ErrPasskeyExists):
		return http.StatusConflict, "This passkey is registered already."
	case errors.Is(err, mfa.ErrPasskeyName):
		return http.StatusBadRequest, "Give the passkey a name of 1 to 64 characters, such as “laptop”."
	case errors.As(err, &throttled):
		return tooManyFailures(w, throttled)
	}
	return 0, ""
}

// passkeyFailed answers a passkey step that ended in err and reports
// whether it did (err is not nil): a refusal the user can act on goes to
// refuse with its status and message, any other error to failStep.
func (p *Pages) passkeyFailed(w http.ResponseWriter, r *http.Request, err error, refuse func(status int, msg string)) bool {
	if status, msg := p.passkeyError(w, err); status != 0 {
		refuse(status, msg)
		return true
	}
	if err != nil {
		p.failStep(w, r, err)
		return true
	}
	return false
}

// accountRefusal shows a refused passkey step on u's account page.
func (p *Pages) accountRefusal(w http.ResponseWriter, r *http.Request, bs storage.BrowserSession, u storage.User) func(status int, msg string) {
	return func(status int, msg string) { p.accountMFAError(w, r, bs, u, status, msg) }
}

// beginPasskey begins adding a passkey from the account page, after a
// fresh sign-in (the rule of every change of second factors, reauth).
func (p *Pages) beginPasskey(w http.ResponseWriter, r *http.Request) {
	bs, u, ok := p.accountForm(w, r)
	if !ok || !p.reauth(w, r, bs, u, "passkey set-up") {
		return
	}
	c, err := p.cfg.MFA.BeginRegistration(r.Context(), u, bs.ID, formValue(r, "name"))
	if p.passkeyFailed(w, r, err, p.accountRefusal(w, r, bs, u)) {
		return
	}
	p.showCeremony(w, r, c, passkeyView{layout: layout{User: &u}, Title: "Add a passkey", Mode: "create",
		Intro:  "Your browser asks where to keep the new passkey: this device, a phone or a security key.",
		Action: "/account/passkeys/finish", Back: "/account#mfa"})
}

// finishPasskey stores the passkey the browser created, and shows the
// recovery codes of a user who had none.
func (p *Pages) finishPasskey(w http.ResponseWriter, r *http.Request) {
	bs, u, ok := p.accountForm(w, r)
	if !ok {
		return
	}
	token, answer := p.ceremonyAnswer(w, r)
	key, codes, err := p.cfg.MFA.FinishRegistration(r.Context(), u, bs.ID, token, answer, clientaddr.From(r).ThrottleKey())
	if p.passkeyFailed(w, r, err, p.accountRefusal(w, r, bs, u)) {
		return
	}
	if len(codes) > 0 {
		p.renderRecovery(w, r, http.StatusOK, recoveryView{layout: layout{User: &u}, Codes: codes, Continue: "/account#passkeys",
			Intro: "Your passkey “" + key.Name + "” is added: it signs you in without a password, and counts as a second factor after one."})
		return
	}
	http.Redirect(w, r, "/account?done=passkey_added#passkeys", http.StatusSeeOther)
}

// renamePasskey renames one of the user's passkeys.
func (p *Pages) renamePasskey(w http.ResponseWriter, r *http.Request) {
	bs, u, ok := p.accountForm(w, r)
	if !ok {
		return
	}
	err := p.cfg.MFA.RenamePasskey(r.Context(), u, r.PathValue("id"), formValue(r, "name"))
	switch status, msg := p.passkeyError(w, err); {
	case errors.Is(err, mfa.ErrNoFactor):
		http.Redirect(w, r, "/account#mfa", http.StatusSeeOther)
	case status != 0:
		p.accountMFAError(w, r, bs, u, status, msg)
	case err != nil:
		p.failStep(w, r, err)
	default:
		http.Redirect(w, r, "/account?done=passkey_renamed#mfa", http.StatusSeeOther)
	}
}

// removePasskey removes one of the user's passkeys, after a fresh
// sign-in, unless it is the last second factor the policy requires.
func (p *Pages) removePasskey(w http.ResponseWriter, r *http.Request) {
	bs, u, ok := p.accountForm(w, r)
	if !ok || !p.reauth(w, r, bs, u, "passkey removal") {
		return
	}
	err := p.cfg.MFA.RemovePasskey(r.Context(), u, r.PathValue("id"), clientaddr.From(r).String(), u.Username)
	p.factorRemoved(w, r, bs, u, err, "This hub requires a second factor: this passkey is your last one, so it stays. Add another first.", "passkey_removed")
}
