package pages

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hubauth/hubauth/internal/names"
	"github.com/hubauth/hubauth/internal/secret"
	"github.com/hubauth/hubauth/internal/server/clientaddr"
	"github.com/hubauth/hubauth/internal/server/mfa"
	"github.com/hubauth/hubauth/internal/server/provider"
	"github.com/hubauth/hubauth/internal/storage"
)

// CookieName is the hub session cookie.
const CookieName = "hubauth_session"

// current returns the browser's live hub session and its user, when the
// session passed every factor its user needs now.
func (p *Pages) current(r *http.Request) (storage.BrowserSession, storage.User, bool) {
	bs, u, ok := p.session(r)
	if !ok || p.lacksSecondFactor(r, u, bs) {
		return bs, u, false
	}
	return bs, u, true
}

// session returns the browser's live hub session of an active user,
// whatever factors it passed.
func (p *Pages) session(r *http.Request) (storage.BrowserSession, storage.User, bool) {
	bs, err := LookupSession(r.Context(), p.cfg.Store, r, p.now())
	if err != nil {
		return bs, storage.User{}, false
	}
	u, err := p.cfg.Store.GetUser(r.Context(), bs.UserID)
	if err != nil || u.Disabled {
		return bs, u, false
	}
	return bs, u, true
}

// lacksSecondFactor reports whether bs passed no second factor while u
// needs one: a session from before the policy or before u set one up
// steps up (or signs in again) first.
func (p *Pages) lacksSecondFactor(r *http.Request, u storage.User, bs storage.BrowserSession) bool {
	if mfa.Satisfied(bs.AMR) {
		return false
	}
	need, err := p.cfg.MFA.Needed(r.Context(), u)
	return err != nil || need
}

// passwordOff reports whether password sign-in is off on this hub.
func (p *Pages) passwordOff() bool { return p.cfg.Authn != nil && p.cfg.Authn.PasswordOff }

// LookupSession finds the live hub session named by r's cookie.
func LookupSession(ctx context.Context, store storage.BrowserSessions, r *http.Request, now time.Time) (storage.BrowserSession, error) {
	c, err := r.Cookie(CookieName)
	if err != nil || c.Value == "" || len(c.Value) > 128 {
		return storage.BrowserSession{}, storage.ErrNotFound
	}
	return store.GetBrowserSessionByToken(ctx, secret.Hash(c.Value), now)
}

// WithSession puts the browser's hub session, if any, in the request
// context, where the provider's end_session step finds it.
func WithSession(store storage.BrowserSessions, now func() time.Time, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if bs, err := LookupSession(r.Context(), store, r, now().UTC()); err == nil {
			r = r.WithContext(provider.WithBrowserSession(r.Context(), bs))
		}
		h.ServeHTTP(w, r)
	})
}

// startSession creates a hub session for u, who signed in at authTime
// (now for a password; an upstream's auth_time, never later than now) with
// the methods amr (recorded as they are: storage.FederatedAMR keeps the
// provider), and sets its cookie.
func (p *Pages) startSession(w http.ResponseWriter, r *http.Request, u storage.User, amr []string, authTime time.Time) (storage.BrowserSession, error) {
	token := secret.New()
	now := p.now()
	if authTime.IsZero() || authTime.After(now) {
		authTime = now
	}
	bs := storage.BrowserSession{
		ID: secret.ID(), TokenHash: secret.Hash(token), UserID: u.ID, AuthTime: authTime, AMR: amr,
		Address: clientaddr.From(r).String(), UserAgent: names.Clip(r.UserAgent(), 256), CreatedAt: now, ExpiresAt: now.Add(p.cfg.SessionTTL),
	}
	if err := p.cfg.Store.CreateBrowserSession(r.Context(), bs); err != nil {
		return bs, err
	}
	http.SetCookie(w, &http.Cookie{
		Name: CookieName, Value: token, Path: "/", HttpOnly: true, Secure: p.cfg.SecureCookies,
		SameSite: http.SameSiteLaxMode, Expires: bs.ExpiresAt,
	})
	return bs, nil
}

func (p *Pages) clearCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: CookieName, Value: "", Path: "/", HttpOnly: true,
		Secure: p.cfg.SecureCookies, SameSite: http.SameSiteLaxMode, MaxAge: -1})
}

// requestCookie names the cookie that binds an authorization request to
// the browser that started it.
func requestCookie(id string) string { return "hubauth_ar_" + id }

// bindRequest sets the binding cookie when the library redirects a browser
// from /authorize (request r) to the login step, and carries an idp_hint
// of r's query along (loginForm follows it).
func (p *Pages) bindRequest(w http.ResponseWriter, r *http.Request) {
	loc, err := url.Parse(w.Header().Get("Location"))
	if err != nil || loc.Path != "/login" {
		return
	}
	q := loc.Query()
	id := q.Get("authRequestID")
	if id == "" || len(id) > 64 || strings.Trim(id, idChars) != "" {
		return
	}
	http.SetCookie(w, &http.Cookie{Name: requestCookie(id), Value: "1", Path: "/", HttpOnly: true,
		Secure: p.cfg.SecureCookies, SameSite: http.SameSiteLaxMode, MaxAge: 600})
	if hint := idpHint(r.URL.Query()); hint != "" {
		q.Set("idp_hint", hint)
		loc.RawQuery = q.Encode()
		w.Header().Set("Location", loc.String())
	}
}

// idpHint returns the upstream provider an /authorize query asks to sign
// in with: idp_hint, or Keycloak's kc_idp_hint; "" when none is a valid
// provider name.
func idpHint(q url.Values) string {
	for _, k := range []string{"idp_hint", "kc_idp_hint"} {
		if h := q.Get(k); names.CheckID("provider", h) == nil {
			return h
		}
	}
	return ""
}

const idChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

// startedHere reports whether this browser started authorization request id.
func startedHere(r *http.Request, id string) bool {
	_, err := r.Cookie(requestCookie(id))
	return err == nil
}
