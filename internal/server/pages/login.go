package pages

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/zitadel/oidc/v3/pkg/oidc"

	"github.com/hubauth/hubauth/internal/names"
	"github.com/hubauth/hubauth/internal/server/authn"
	"github.com/hubauth/hubauth/internal/server/clientaddr"
	"github.com/hubauth/hubauth/internal/server/provider"
	"github.com/hubauth/hubauth/internal/server/throttle"
	"github.com/hubauth/hubauth/internal/storage"
)

// loginForm shows the login page, or completes an authorization request at
// once when the browser already has a hub session (single sign-on).
func (p *Pages) loginForm(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	id := q.Get("authRequestID")
	if id == "" {
		p.plainLoginForm(w, r)
		return
	}
	a, err := p.authRequest(r, id)
	if err != nil {
		p.failStep(w, r, err)
		return
	}
	if bs, u, ok := p.session(r); ok && !provider.NeedsLogin(a, bs, p.now()) {
		if provider.NeedsSecondFactor(a, bs) || p.lacksSecondFactor(r, u, bs) {
			p.stepUp(w, r, a, u, bs)
			return
		}
		p.finish(w, r, a, u, bs)
		return
	}
	if slices.Contains(a.Prompt, oidc.PromptNone) {
		p.cfg.Provider.Fail(w, r, a, oidc.ErrLoginRequired().WithDescription("the user is not signed in"))
		return
	}
	if name, ok := p.hinted(r, q.Get("idp_hint")); ok {
		http.Redirect(w, r, "/login/"+url.PathEscape(name)+"?authRequestID="+url.QueryEscape(id), http.StatusSeeOther)
		return
	}
	p.renderLogin(w, r, http.StatusOK, loginView{AuthRequestID: id, Client: p.clientName(r, a.ClientID), Username: a.LoginHint})
}

func (p *Pages) plainLoginForm(w http.ResponseWriter, r *http.Request) {
	next := safeNext(r.URL.Query().Get("next"))
	if bs, u, ok := p.session(r); ok {
		if !p.lacksSecondFactor(r, u, bs) {
			http.Redirect(w, r, next, http.StatusSeeOther)
			return
		}
		p.stepUpSession(w, r, loginView{Next: next, Username: u.Username}, u, bs)
		return
	}
	v := loginView{Next: next}
	if r.URL.Query().Has("logged_out") {
		v.Notice = "You are signed out."
	}
	p.renderLogin(w, r, http.StatusOK, v)
}

// login checks the password, starts a hub session and continues where the
// user was going: an authorization request, a device code, or a page.
func (p *Pages) login(w http.ResponseWriter, r *http.Request) {
	if !p.form(w, r) {
		return
	}
	v := loginView{AuthRequestID: formValue(r, "authRequestID"), UserCode: formValue(r, "user_code"),
		Next: safeNext(formValue(r, "next")), Username: names.Clip(formValue(r, "username"), 256)}
	u, err := p.cfg.Authn.Login(r.Context(), formValue(r, "username"), formValue(r, "password"), clientaddr.From(r).ThrottleKey())
	if err != nil {
		p.loginFailed(w, r, v, err)
		return
	}
	p.signedIn(w, r, v, u, []string{storage.AMRPassword}, p.now())
}

// continueLogin goes on after a sign-in (a password or an upstream one)
// where v says: an authorization request, a device code, or a page.
func (p *Pages) continueLogin(w http.ResponseWriter, r *http.Request, v loginView, u storage.User, bs storage.BrowserSession) {
	switch {
	case v.AuthRequestID != "":
		a, err := p.authRequest(r, v.AuthRequestID)
		if err != nil {
			p.failStep(w, r, err)
			return
		}
		p.finish(w, r, a, u, bs)
	case v.UserCode != "":
		if p.allowCodeEntry(w, r) {
			p.showDevice(w, r, u, v.UserCode)
		}
	default:
		http.Redirect(w, r, v.Next, http.StatusSeeOther)
	}
}

func (p *Pages) loginFailed(w http.ResponseWriter, r *http.Request, v loginView, err error) {
	var throttled *authn.ThrottledError
	switch {
	case errors.Is(err, authn.ErrBadCredentials):
		v.Error = "Invalid username or password."
		p.renderLogin(w, r, http.StatusUnauthorized, v)
	case errors.Is(err, authn.ErrMalformed):
		v.Error, v.Username = "The username is not valid text.", ""
		p.renderLogin(w, r, http.StatusBadRequest, v)
	case errors.Is(err, authn.ErrPasswordLoginOff):
		v.Error = "Password sign-in is turned off on this hub; use one of the buttons."
		p.renderLogin(w, r, http.StatusForbidden, v)
	case errors.As(err, &throttled):
		w.Header().Set("Retry-After", strconv.Itoa(throttle.Seconds(throttled.RetryAfter)))
		v.Error = "Too many failed attempts. Wait " + throttle.Rounded(throttled.RetryAfter).String() + " and try again."
		p.renderLogin(w, r, http.StatusTooManyRequests, v)
	case errors.Is(err, authn.ErrBusy):
		w.Header().Set("Retry-After", "1")
		v.Error = "The hub is busy. Try again in a moment."
		p.renderLogin(w, r, http.StatusServiceUnavailable, v)
	default:
		p.failStep(w, r, err)
	}
}

// finish asks for consent unless the client is first-party.
func (p *Pages) finish(w http.ResponseWriter, r *http.Request, a storage.AuthRequest, u storage.User, bs storage.BrowserSession) {
	c, err := p.cfg.Store.GetClient(r.Context(), a.ClientID)
	if err != nil {
		p.failStep(w, r, err)
		return
	}
	if c.FirstParty {
		p.complete(w, r, a, u, bs)
		return
	}
	if slices.Contains(a.Prompt, oidc.PromptNone) {
		p.cfg.Provider.Fail(w, r, a, &oidc.Error{ErrorType: "consent_required", Description: "the user must approve this application"})
		return
	}
	described, err := p.describeScopes(r.Context(), a.Scopes)
	if err != nil {
		p.failStep(w, r, err)
		return
	}
	apis, err := p.describeAPIs(r.Context(), a.Resources)
	if err != nil {
		p.failStep(w, r, err)
		return
	}
	p.renderConsent(w, r, http.StatusOK, consentView{layout: layout{User: &u}, Client: displayName(c), AuthRequestID: a.ID,
		Scopes: described, APIs: apis, Action: "/consent"})
}

// consent records the user's decision for a third-party client.
func (p *Pages) consent(w http.ResponseWriter, r *http.Request) {
	if !p.form(w, r) {
		return
	}
	bs, u, ok := p.current(r)
	if !ok {
		p.fail(w, r, http.StatusUnauthorized, "login_required", "Your hub session has ended. Start again from the application.")
		return
	}
	a, err := p.authRequest(r, formValue(r, "authRequestID"))
	if err != nil {
		p.failStep(w, r, err)
		return
	}
	if formValue(r, "decision") != "approve" {
		p.cfg.Provider.Fail(w, r, a, oidc.ErrAccessDenied().WithDescription("the user denied the request"))
		return
	}
	p.complete(w, r, a, u, bs)
}

// complete finishes request a for u; one that still needs a login
// (provider.ErrLoginRequired: a consent posted while the login form was
// shown) goes back to the login form instead of getting a code.
func (p *Pages) complete(w http.ResponseWriter, r *http.Request, a storage.AuthRequest, u storage.User, bs storage.BrowserSession) {
	err := p.cfg.Provider.Complete(w, r, a.ID, u, bs)
	if errors.Is(err, provider.ErrLoginRequired) {
		http.Redirect(w, r, "/login?authRequestID="+url.QueryEscape(a.ID), http.StatusSeeOther)
		return
	}
	if err != nil {
		p.failStep(w, r, err)
	}
}

// authRequest returns the pending authorization request id if this browser
// started it.
func (p *Pages) authRequest(r *http.Request, id string) (storage.AuthRequest, error) {
	if !startedHere(r, id) {
		return storage.AuthRequest{}, errOtherBrowser
	}
	return p.cfg.Provider.AuthRequest(r.Context(), id)
}

// errOtherBrowser: the authorization request was started in another browser.
var errOtherBrowser = errors.New("pages: the sign-in request was started in another browser")

// failStep renders the error page for an error of a browser step.
func (p *Pages) failStep(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, errOtherBrowser):
		p.fail(w, r, http.StatusBadRequest, "invalid_request", "This sign-in request was started in another browser. Start again from the application, in this browser.")
	case errors.Is(err, provider.ErrAuthRequestGone):
		p.fail(w, r, http.StatusBadRequest, "invalid_request", "This sign-in request is unknown, expired or already used. Start again from the application.")
	case errors.Is(err, storage.ErrUnavailable):
		p.fail(w, r, http.StatusServiceUnavailable, "temporarily_unavailable", "The hub cannot reach its database. Try again in a moment.")
	default:
		p.cfg.Logger.ErrorContext(r.Context(), "browser step failed", "path", r.URL.Path, "err", err)
		p.fail(w, r, http.StatusInternalServerError, "server_error", "Something went wrong on the hub. Try again.")
	}
}

func (p *Pages) clientName(r *http.Request, id string) string {
	c, err := p.cfg.Store.GetClient(r.Context(), id)
	if err != nil {
		return id
	}
	return displayName(c)
}

func displayName(c storage.Client) string {
	if c.Name != "" {
		return c.Name
	}
	return c.ID
}

// safeNext keeps post-login redirects on this site: a path with no scheme,
// no host, no backslash and no control character (browsers drop tabs and
// newlines, which would turn "/\t/evil" into "//evil").
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.ContainsRune(next, '\\') {
		return "/"
	}
	for _, c := range next {
		if c < 0x20 || c == 0x7f {
			return "/"
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return "/"
	}
	return next
}
