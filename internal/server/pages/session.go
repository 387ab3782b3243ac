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
	"github.com/hubauth/hubauth/internal/server/provider"
	"github.com/hubauth/hubauth/internal/storage"
)

// CookieName is the hub session cookie.
const CookieName = "hubauth_session"

// current returns the browser's live hub session and its user.
func (p *Pages) current(r *http.Request) (storage.BrowserSession, storage.User, bool) {
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

// startSession creates a hub session for u and sets its cookie.
func (p *Pages) startSession(w http.ResponseWriter, r *http.Request, u storage.User) (storage.BrowserSession, error) {
	token := secret.New()
	now := p.now()
	bs := storage.BrowserSession{
		ID: secret.ID(), TokenHash: secret.Hash(token), UserID: u.ID, AuthTime: now, AMR: []string{"pwd"},
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
// from /authorize to the login step.
func (p *Pages) bindRequest(w http.ResponseWriter) {
	loc, err := url.Parse(w.Header().Get("Location"))
	if err != nil || loc.Path != "/login" {
		return
	}
	id := loc.Query().Get("authRequestID")
	if id == "" || len(id) > 64 || strings.Trim(id, idChars) != "" {
		return
	}
	http.SetCookie(w, &http.Cookie{Name: requestCookie(id), Value: "1", Path: "/", HttpOnly: true,
		Secure: p.cfg.SecureCookies, SameSite: http.SameSiteLaxMode, MaxAge: 600})
}

const idChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

// startedHere reports whether this browser started authorization request id.
func startedHere(r *http.Request, id string) bool {
	_, err := r.Cookie(requestCookie(id))
	return err == nil
}
