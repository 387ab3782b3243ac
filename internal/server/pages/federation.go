package pages

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/zitadel/oidc/v3/pkg/oidc"

	"github.com/hubauth/hubauth/internal/names"
	"github.com/hubauth/hubauth/internal/server/clientaddr"
	"github.com/hubauth/hubauth/internal/server/throttle"
	"github.com/hubauth/hubauth/internal/server/upstream"
	"github.com/hubauth/hubauth/internal/storage"
)

// upstreamBegin starts a sign-in at provider {idp} (GET /login/{idp}, the
// login page's buttons): the continuation comes in the query as the
// buttons carry it, and the browser goes on to the upstream.
func (p *Pages) upstreamBegin(w http.ResponseWriter, r *http.Request) {
	if p.cfg.Federation == nil {
		p.notFound(w, r)
		return
	}
	q := r.URL.Query()
	c := upstream.Continuation{AuthRequestID: q.Get("authRequestID"), UserCode: names.Clip(q.Get("user_code"), 32)}
	if c.AuthRequestID == "" && c.UserCode == "" {
		c.Next = safeNext(q.Get("next"))
	}
	if c.AuthRequestID != "" {
		// Refuse a request of another browser before the round trip.
		a, err := p.authRequest(r, c.AuthRequestID)
		if err != nil {
			p.failStep(w, r, err)
			return
		}
		c.ForceLogin, c.MaxAgeSeconds = asksLogin(a)
	}
	p.beginAt(w, r, r.PathValue("idp"), c)
}

// asksLogin is what authorization request a asks of the sign-in, passed on
// to the upstream: a new one (prompt=login, or max_age=0), or one no
// older than max_age seconds (OpenID Connect Core §3.1.2.1).
func asksLogin(a storage.AuthRequest) (force bool, maxAge int64) {
	force = slices.Contains(a.Prompt, oidc.PromptLogin) || a.MaxAgeSeconds == 0
	if a.MaxAgeSeconds > 0 {
		maxAge = a.MaxAgeSeconds
	}
	return force, maxAge
}

// beginAt sends the browser to provider name, to continue with c after.
func (p *Pages) beginAt(w http.ResponseWriter, r *http.Request, name string, c upstream.Continuation) {
	if ok, wait := p.cfg.UpstreamStarts.Allow(clientaddr.From(r).ThrottleKey()); !ok {
		w.Header().Set("Retry-After", strconv.Itoa(throttle.Seconds(wait)))
		p.backTo(w, r, c, http.StatusTooManyRequests, "Too many sign-ins started. Wait a moment and try again.")
		return
	}
	to, err := p.cfg.Federation.Begin(w, r, name, c)
	if err != nil {
		p.upstreamFailed(w, r, name, c, err)
		return
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// upstreamCallback ends a sign-in at provider {idp}: a link to the
// signed-in user, or a hub session for the user of the identity that
// continues like a password login.
func (p *Pages) upstreamCallback(w http.ResponseWriter, r *http.Request) {
	if p.cfg.Federation == nil {
		p.notFound(w, r)
		return
	}
	name := r.PathValue("idp")
	id, c, err := p.cfg.Federation.Finish(w, r, name)
	if err != nil {
		p.upstreamFailed(w, r, name, c, err)
		return
	}
	if c.LinkUserID != "" {
		p.finishLink(w, r, id, c)
		return
	}
	u, err := p.cfg.Federation.SignIn(r.Context(), id, clientaddr.From(r).String())
	if err != nil {
		p.upstreamFailed(w, r, name, c, err)
		return
	}
	p.signedIn(w, r, loginView{AuthRequestID: c.AuthRequestID, UserCode: c.UserCode, Next: safeNext(c.Next)}, u,
		storage.FederatedAMR(id.Provider.Name), id.AuthTime)
}

// finishLink links the identity to the signed-in user who started the
// link, and only to them.
func (p *Pages) finishLink(w http.ResponseWriter, r *http.Request, id upstream.Identity, c upstream.Continuation) {
	_, u, ok := p.current(r)
	if !ok || u.ID != c.LinkUserID {
		p.fail(w, r, http.StatusForbidden, "access_denied",
			"This link was started by another account, or your hub session has ended. Sign in and start again from your account page.")
		return
	}
	if err := p.cfg.Federation.Link(r.Context(), u, id, clientaddr.From(r).String()); err != nil {
		p.upstreamFailed(w, r, id.Provider.Name, c, err)
		return
	}
	http.Redirect(w, r, "/account?done=identity_linked#identities", http.StatusSeeOther)
}

// upstreamFailed tells why a sign-in at provider name failed, back where
// it started (backTo), so the user can retry or choose another way.
func (p *Pages) upstreamFailed(w http.ResponseWriter, r *http.Request, name string, c upstream.Continuation, err error) {
	status, message := upstreamMessage(err, p.providerDisplay(r, name))
	if status == 0 {
		p.failStep(w, r, err)
		return
	}
	p.backTo(w, r, c, status, message)
}

// upstreamMessage is the status and message of a failed upstream sign-in
// at the provider shown as display; status 0 for an unexpected error.
func upstreamMessage(err error, display string) (int, string) {
	switch {
	case errors.Is(err, upstream.ErrUnknownProvider):
		return http.StatusNotFound, "There is no such sign-in provider on this hub, or it is turned off."
	case errors.Is(err, upstream.ErrUnreachable):
		return http.StatusBadGateway, display + " could not be reached, try again or use another way to sign in."
	case errors.Is(err, upstream.ErrMisconfigured):
		return http.StatusBadGateway, display + " is not set up correctly on this hub; tell an administrator."
	case errors.Is(err, upstream.ErrCancelled):
		return http.StatusUnauthorized, "Sign-in at " + display + " was cancelled."
	case errors.Is(err, upstream.ErrRejected):
		return http.StatusBadRequest, "The sign-in at " + display + " could not be verified. Start again."
	case errors.Is(err, upstream.ErrNoAccount):
		return http.StatusForbidden, "There is no account for this identity — ask an administrator."
	case errors.Is(err, upstream.ErrUserDisabled):
		return http.StatusForbidden, "Your hub account is disabled — ask an administrator."
	case errors.Is(err, upstream.ErrLinkedElsewhere):
		return http.StatusConflict, "This " + display + " identity is already linked to another account."
	case errors.Is(err, storage.ErrUnavailable):
		return http.StatusServiceUnavailable, "The hub cannot reach its database. Try again in a moment."
	}
	return 0, ""
}

// backTo answers a refused or failed upstream step where it started: the
// account page for a link, else the login page with the same
// continuation, so the user can try again.
func (p *Pages) backTo(w http.ResponseWriter, r *http.Request, c upstream.Continuation, status int, message string) {
	if c.LinkUserID != "" {
		if bs, u, ok := p.current(r); ok && u.ID == c.LinkUserID {
			v := p.newTokenForm("", -1, nil)
			v.IdentityError = message
			p.showAccount(w, r, status, bs, u, v)
			return
		}
	}
	v := loginView{AuthRequestID: c.AuthRequestID, UserCode: c.UserCode, Next: c.Next, layout: layout{Error: message}}
	if v.AuthRequestID != "" {
		if a, err := p.authRequest(r, v.AuthRequestID); err == nil {
			v.Client = p.clientName(r, a.ClientID)
		}
	}
	p.renderLogin(w, r, status, v)
}

func (p *Pages) notFound(w http.ResponseWriter, r *http.Request) {
	p.fail(w, r, http.StatusNotFound, "not_found", "There is no such page on this hub.")
}

// providerButtons are the login page's buttons: a link per enabled
// provider to /login/NAME, carrying c.
func (p *Pages) providerButtons(r *http.Request, c upstream.Continuation) []providerButton {
	list := p.enabledProviders(r)
	q := url.Values{}
	for k, v := range map[string]string{"authRequestID": c.AuthRequestID, "user_code": c.UserCode, "next": c.Next} {
		if v != "" {
			q.Set(k, v)
		}
	}
	out := make([]providerButton, 0, len(list))
	for _, ip := range list {
		href := "/login/" + url.PathEscape(ip.Name)
		if len(q) > 0 {
			href += "?" + q.Encode()
		}
		out = append(out, providerButton{Name: ip.Name, Display: displayOf(ip), Href: href})
	}
	return out
}

// enabledProviders lists the enabled upstream providers; when they cannot
// be read the pages show none (and the password form where it is on).
func (p *Pages) enabledProviders(r *http.Request) []storage.IdentityProvider {
	if p.cfg.Federation == nil {
		return nil
	}
	list, err := p.cfg.Federation.Enabled(r.Context())
	if err != nil {
		p.cfg.Logger.WarnContext(r.Context(), "list upstream providers", "err", err)
		return nil
	}
	return list
}

// providerDisplay names provider name for a message: its display name when
// it is enabled, else its name as given (clipped; pages escape it).
func (p *Pages) providerDisplay(r *http.Request, name string) string {
	for _, ip := range p.enabledProviders(r) {
		if ip.Name == name {
			return displayOf(ip)
		}
	}
	return names.Clip(name, names.MaxID)
}

func displayOf(ip storage.IdentityProvider) string {
	if ip.DisplayName != "" {
		return ip.DisplayName
	}
	return ip.Name
}

// continuationOf is where the login page v continues after a sign-in.
func continuationOf(v loginView) upstream.Continuation {
	return upstream.Continuation{AuthRequestID: v.AuthRequestID, UserCode: v.UserCode, Next: v.Next}
}

// hinted returns the enabled provider an idp_hint names.
func (p *Pages) hinted(r *http.Request, hint string) (string, bool) {
	if hint == "" {
		return "", false
	}
	for _, ip := range p.enabledProviders(r) {
		if ip.Name == hint {
			return ip.Name, true
		}
	}
	return "", false
}
