package pages

import (
	"bytes"
	"fmt"
	"html/template"
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/hubauth/hubauth/internal/storage"
	"github.com/hubauth/hubauth/web"
)

// templates holds one parsed template per page, each with the shared
// layout. Every page renders through its own method below, with its own
// view type, so what a template may show is written beside it.
type templates struct {
	loginTmpl, consentTmpl, deviceTmpl, doneTmpl *template.Template
	errorTmpl, homeTmpl, logoutTmpl, accountTmpl *template.Template
	mfaTmpl, totpTmpl, recoveryTmpl, passkeyTmpl *template.Template
}

// loadTemplates parses every template of web at start-up: a broken
// template, one a page needs that is missing, or one no page renders stops
// the hub from starting instead of failing a user's request.
func loadTemplates() (templates, error) {
	all, err := web.Templates()
	if err != nil {
		return templates{}, fmt.Errorf("pages: parse templates: %w", err)
	}
	var missing []string
	take := func(name string) *template.Template {
		t, ok := all[name]
		if !ok {
			missing = append(missing, name)
		}
		delete(all, name)
		return t
	}
	t := templates{
		loginTmpl: take("login.html"), consentTmpl: take("consent.html"), deviceTmpl: take("device.html"),
		doneTmpl: take("done.html"), errorTmpl: take("error.html"), homeTmpl: take("home.html"),
		logoutTmpl: take("logout.html"), accountTmpl: take("account.html"),
		mfaTmpl: take("mfa.html"), totpTmpl: take("totp.html"), recoveryTmpl: take("recovery.html"),
		passkeyTmpl: take("passkey.html"),
	}
	if len(missing) > 0 {
		return templates{}, fmt.Errorf("pages: no template %s in web", strings.Join(missing, ", "))
	}
	if len(all) > 0 {
		unused := slices.Sorted(maps.Keys(all))
		return templates{}, fmt.Errorf("pages: no page renders template %s", strings.Join(unused, ", "))
	}
	return t, nil
}

// layout is what layout.html shows around every page: the signed-in user
// in the header, an error or a notice above the content, and a wide card.
type layout struct {
	User          *storage.User
	Error, Notice string
	Wide          bool
}

// loginView is login.html: the sign-in form, carrying where to continue
// afterwards (an authorization request, a device code, or a page).
type loginView struct {
	layout
	Client        string // the application signed in to, if any
	AuthRequestID string
	UserCode      string
	Next          string
	Username      string // prefilled: the login hint or the name typed
	// Providers are the "Sign in with …" buttons, carrying where to
	// continue; PasswordOff hides the password form. renderLogin fills both.
	Providers   []providerButton
	PasswordOff bool
	// Passkeys offers "Sign in with a passkey"; PasskeysOff says why the
	// hub cannot (its address). renderLogin fills both.
	Passkeys    bool
	PasskeysOff string
}

// providerButton is an enabled upstream provider: a "Sign in with
// Display" link to Href, or a "Link Display" form posting Name.
type providerButton struct{ Name, Display, Href string }

// renderLogin renders login.html with the buttons of the enabled upstream
// providers, so every way to the login page (an application, a device
// code, the account page) offers them.
func (p *Pages) renderLogin(w http.ResponseWriter, r *http.Request, status int, v loginView) {
	v.PasswordOff = p.passwordOff()
	v.PasskeysOff = p.cfg.MFA.PasskeysUnavailable()
	v.Passkeys = v.PasskeysOff == ""
	v.Providers = p.providerButtons(r, continuationOf(v))
	p.execute(w, r, status, p.tmpl.loginTmpl, v)
}

// consentView is consent.html: allow or deny Client the Scopes, for the
// APIs (RFC 8707 resources) the tokens will be for, for an authorization
// request or a device code; the form posts to Action.
type consentView struct {
	layout
	Client        string
	AuthRequestID string
	UserCode      string
	Scopes        []storage.Scope
	APIs          []storage.API
	Action        string
}

func (p *Pages) renderConsent(w http.ResponseWriter, r *http.Request, status int, v consentView) {
	p.execute(w, r, status, p.tmpl.consentTmpl, v)
}

// deviceView is device.html: the user-code form.
type deviceView struct {
	layout
	UserCode string
}

func (p *Pages) renderDevice(w http.ResponseWriter, r *http.Request, status int, v deviceView) {
	p.execute(w, r, status, p.tmpl.deviceTmpl, v)
}

// doneView is done.html: the end of a step (a device decided, signed out).
type doneView struct {
	layout
	Title, Message string
}

func (p *Pages) renderDone(w http.ResponseWriter, r *http.Request, status int, v doneView) {
	p.execute(w, r, status, p.tmpl.doneTmpl, v)
}

// errorView is error.html: an OAuth error code and what the user can do.
type errorView struct {
	layout
	Code, Message string
}

func (p *Pages) renderError(w http.ResponseWriter, r *http.Request, status int, v errorView) {
	p.execute(w, r, status, p.tmpl.errorTmpl, v)
}

// homeView is home.html: who is signed in (layout.User, required).
type homeView struct{ layout }

func (p *Pages) renderHome(w http.ResponseWriter, r *http.Request, status int, v homeView) {
	p.execute(w, r, status, p.tmpl.homeTmpl, v)
}

// logoutView is logout.html: the sign-out question.
type logoutView struct{ layout }

func (p *Pages) renderLogout(w http.ResponseWriter, r *http.Request, status int, v logoutView) {
	p.execute(w, r, status, p.tmpl.logoutTmpl, v)
}

// renderAccount renders account.html (accountView, layout.User required)
// in the wide card.
func (p *Pages) renderAccount(w http.ResponseWriter, r *http.Request, status int, v accountView) {
	v.Wide = true
	p.execute(w, r, status, p.tmpl.accountTmpl, v)
}

// execute writes page t with data; it renders into a buffer first so a
// template failure never sends half a page. The security headers are set
// before, by Secure, for every page.
func (p *Pages) execute(w http.ResponseWriter, r *http.Request, status int, t *template.Template, data any) {
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", data); err != nil {
		p.cfg.Logger.ErrorContext(r.Context(), "render page", "page", t.Name(), "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}
