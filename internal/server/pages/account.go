package pages

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/hubauth/hubauth/internal/names"
	"github.com/hubauth/hubauth/internal/server/account"
	"github.com/hubauth/hubauth/internal/server/clientaddr"
	"github.com/hubauth/hubauth/internal/storage"
)

// accountNotices are the messages a redirect back to /account may show,
// by the value of its done parameter.
var accountNotices = map[string]string{
	"token_revoked":     "The token is revoked: it stops working at once.",
	"session_revoked":   "The login is revoked: that application or device is signed out.",
	"identity_linked":   "The identity is linked: you can sign in with it from now on.",
	"identity_unlinked": "The identity is unlinked: it no longer signs you in.",
	"mfa_removed":       "The authenticator app is removed, and its recovery codes with it.",
	"passkey_added":     "The passkey is added: it signs you in without a password, and counts as a second factor after one.",
	"passkey_renamed":   "The passkey is renamed.",
	"passkey_removed":   "The passkey is removed: it no longer signs you in.",
}

// accountPage shows the profile, personal tokens and login sessions of
// the signed-in user.
func (p *Pages) accountPage(w http.ResponseWriter, r *http.Request) {
	bs, u, ok := p.current(r)
	if !ok {
		p.toLogin(w, r)
		return
	}
	v := p.newTokenForm("", -1, nil)
	v.Notice = accountNotices[r.URL.Query().Get("done")]
	p.showAccount(w, r, http.StatusOK, bs, u, v)
}

// toLogin sends a browser without a hub session to the login page, back to
// /account afterwards.
func (p *Pages) toLogin(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, "/login?next=/account", http.StatusSeeOther)
}

// accountForm reads the form of a signed-in user's change to their
// account; without a hub session it sends the browser to log in first.
func (p *Pages) accountForm(w http.ResponseWriter, r *http.Request) (storage.BrowserSession, storage.User, bool) {
	if !p.form(w, r) {
		return storage.BrowserSession{}, storage.User{}, false
	}
	bs, u, ok := p.current(r)
	if !ok {
		p.toLogin(w, r)
	}
	return bs, u, ok
}

// createToken creates a personal token from the new-token form and shows
// its secret in this response only: it is never stored in clear, logged,
// or put in a URL.
func (p *Pages) createToken(w http.ResponseWriter, r *http.Request) {
	bs, u, ok := p.accountForm(w, r)
	if !ok {
		return
	}
	name := names.Clip(formValue(r, "name"), 1024)
	expiresIn, err := strconv.ParseInt(formValue(r, "expires_in"), 10, 64)
	if err != nil {
		expiresIn = -1 // none given
	}
	set, err := p.cfg.Scopes.Load(r.Context())
	if err != nil {
		p.failStep(w, r, err)
		return
	}
	scopes := chosenScopes(r, set)
	av := p.newTokenForm(name, expiresIn, scopes)
	out, err := p.cfg.Issuer.Issue(r.Context(), account.TokenRequest{UserID: u.ID, Name: name, ExpiresIn: expiresIn,
		Scopes: scopes, Address: clientaddr.From(r).String()})
	var input *account.InputError
	switch {
	case errors.As(err, &input):
		av.FormError = capitalize(input.Description) + "."
		p.showAccount(w, r, http.StatusUnprocessableEntity, bs, u, av)
		return
	case errors.Is(err, storage.ErrAlreadyExists):
		av.FormError = capitalize(account.DuplicateName(name)) + ". Choose another name."
		p.showAccount(w, r, http.StatusConflict, bs, u, av)
		return
	case errors.Is(err, account.ErrTooManyTokens):
		av.FormError = capitalize(account.TooManyTokens()) + "."
		p.showAccount(w, r, http.StatusConflict, bs, u, av)
		return
	case err != nil:
		p.failStep(w, r, err)
		return
	}
	created := p.newTokenForm("", -1, nil)
	created.Secret = &newSecret{Name: out.Name, Token: out.Token}
	p.showAccount(w, r, http.StatusCreated, bs, u, created)
}

// revokeToken revokes one of the user's personal tokens.
func (p *Pages) revokeToken(w http.ResponseWriter, r *http.Request) {
	bs, u, ok := p.accountForm(w, r)
	if !ok {
		return
	}
	_, err := p.cfg.Issuer.Revoke(r.Context(), account.Action{UserID: u.ID, Address: clientaddr.From(r).String()}, r.PathValue("id"))
	if errors.Is(err, storage.ErrNotFound) {
		v := p.newTokenForm("", -1, nil)
		v.Error = "You have no such token: it may already be revoked."
		p.showAccount(w, r, http.StatusNotFound, bs, u, v)
		return
	}
	if err != nil {
		p.failStep(w, r, err)
		return
	}
	http.Redirect(w, r, "/account?done=token_revoked#tokens", http.StatusSeeOther)
}

// rotateToken gives one of the user's personal tokens a new secret (same
// name, scopes and lifetime) and shows it in this response only, as a new
// token's; the old secret stops working at once.
func (p *Pages) rotateToken(w http.ResponseWriter, r *http.Request) {
	bs, u, ok := p.accountForm(w, r)
	if !ok {
		return
	}
	out, err := p.cfg.Issuer.Rotate(r.Context(), account.Action{UserID: u.ID, Address: clientaddr.From(r).String()}, r.PathValue("id"), nil)
	v := p.newTokenForm("", -1, nil)
	switch {
	case errors.Is(err, storage.ErrNotFound):
		v.Error = "You have no such token: it may have been revoked."
		p.showAccount(w, r, http.StatusNotFound, bs, u, v)
	case errors.Is(err, account.ErrNotActive):
		v.Error = "This token has expired: create a new one."
		p.showAccount(w, r, http.StatusConflict, bs, u, v)
	case err != nil:
		p.failStep(w, r, err)
	default:
		v.Secret = &newSecret{Name: out.Name, Token: out.Token, Rotated: true}
		p.showAccount(w, r, http.StatusOK, bs, u, v)
	}
}

// revokeSession ends one of the user's logins: its refresh token family.
func (p *Pages) revokeSession(w http.ResponseWriter, r *http.Request) {
	bs, u, ok := p.accountForm(w, r)
	if !ok {
		return
	}
	id := r.PathValue("id")
	s, err := account.RevokeSession(r.Context(), p.cfg.Store, u.ID, id, p.now())
	if errors.Is(err, storage.ErrNotFound) {
		v := p.newTokenForm("", -1, nil)
		v.Error = "You have no such login: it may already be revoked."
		p.showAccount(w, r, http.StatusNotFound, bs, u, v)
		return
	}
	if err != nil {
		p.failStep(w, r, err)
		return
	}
	p.audit(r, storage.AuditEvent{Type: storage.AuditRevoke, UserID: u.ID, ClientID: s.ClientID, Detail: "session " + id})
	http.Redirect(w, r, "/account?done=session_revoked#sessions", http.StatusSeeOther)
}

// showAccount loads u's groups, tokens and sessions into v and renders the
// account page; bs is the request's hub session (current).
func (p *Pages) showAccount(w http.ResponseWriter, r *http.Request, status int, bs storage.BrowserSession, u storage.User, v accountView) {
	if err := p.loadAccount(r, bs, u, &v); err != nil {
		p.failStep(w, r, err)
		return
	}
	v.User = &u
	p.renderAccount(w, r, status, v)
}
