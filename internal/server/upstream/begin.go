package upstream

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/hubauth/hubauth/internal/secret"
	"github.com/hubauth/hubauth/internal/server/clientaddr"
	"github.com/hubauth/hubauth/internal/storage"
)

// Continuation is where a sign-in goes on after the upstream: an
// authorization request, a device's user code, a page of the hub (Next),
// or, with LinkUserID, the account page of the signed-in user who links
// the identity; and what the hub's request asks of the sign-in.
type Continuation struct {
	AuthRequestID, UserCode, Next, LinkUserID string
	// ForceLogin asks the upstream to sign the user in again
	// (prompt=login): the hub's request has prompt=login or max_age=0. A
	// link always asks it.
	ForceLogin bool
	// MaxAgeSeconds, above 0, is the hub's request's max_age, passed on.
	MaxAgeSeconds int64
}

// continuationOf is the Continuation a sign-in under way stored.
func continuationOf(l storage.UpstreamLogin) Continuation {
	return Continuation{AuthRequestID: l.AuthRequestID, UserCode: l.UserCode, Next: l.Next, LinkUserID: l.LinkUserID,
		ForceLogin: l.ForceLogin, MaxAgeSeconds: l.MaxAgeSeconds}
}

// loginTTL is how long a sign-in at an upstream may take, and the life of
// the cookie binding it to the browser.
const loginTTL = 10 * time.Minute

// cookiePrefix starts the name of the cookie that binds a sign-in under
// way to the browser; the name ends with the start of the state's hash,
// so that sign-ins in several tabs do not overwrite each other. Secure
// cookies carry the __Host- prefix besides (RFC 6265bis §4.1.3.2): the
// browser then keeps them host-only, on Path=/, set over https only.
const (
	cookiePrefix = "hubauth_up_"
	hostPrefix   = "__Host-"
)

// Begin starts a sign-in at provider name (read fresh from the database,
// must be enabled): it stores the UpstreamLogin (10 minutes), sets on w the
// cookie binding it to this browser, and returns the upstream authorization
// URL (code flow, PKCE S256, state, nonce; prompt=login for
// c.ForceLogin and links, max_age for c.MaxAgeSeconds: OpenID Connect
// Core §3.1.2.1) to redirect to. An upstream whose discovery fails gives
// ErrUnreachable or ErrMisconfigured, audited.
func (f *Federation) Begin(w http.ResponseWriter, r *http.Request, name string, c Continuation) (string, error) {
	ctx := r.Context()
	p, err := f.provider(ctx, name)
	if err != nil {
		return "", err
	}
	up, err := f.upstream(ctx, p)
	if err != nil {
		f.auditFailure(ctx, name, c.LinkUserID, clientaddr.From(r).String(), err)
		return "", err
	}
	k := secret.New()
	d := derive(k)
	now := f.now().UTC()
	l := storage.UpstreamLogin{StateHash: secret.Hash(d.state), Provider: p.Name, AuthRequestID: c.AuthRequestID,
		UserCode: c.UserCode, Next: c.Next, LinkUserID: c.LinkUserID, ForceLogin: c.ForceLogin || c.LinkUserID != "",
		MaxAgeSeconds: max(c.MaxAgeSeconds, 0), CreatedAt: now, ExpiresAt: now.Add(loginTTL)}
	if err := f.cfg.Store.CreateUpstreamLogin(ctx, l); err != nil {
		return "", fmt.Errorf("upstream: store the sign-in under way: %w", err)
	}
	http.SetCookie(w, f.cookie(l.StateHash, k, int(loginTTL/time.Second)))
	opts := []oauth2.AuthCodeOption{oauth2.S256ChallengeOption(d.verifier), oidc.Nonce(d.nonce)}
	if l.ForceLogin {
		opts = append(opts, oauth2.SetAuthURLParam("prompt", "login"))
	}
	if l.MaxAgeSeconds > 0 {
		opts = append(opts, oauth2.SetAuthURLParam("max_age", strconv.FormatInt(l.MaxAgeSeconds, 10)))
	}
	return up.oauth.AuthCodeURL(d.state, opts...), nil
}

// derived are the values of one sign-in, all derived from the browser's
// secret k with distinct labels, so that the stored row needs none.
type derived struct{ state, nonce, verifier string }

// derive returns the state, the nonce and the PKCE verifier (RFC 7636
// §4.1: 43 characters of base64url) of browser secret k.
func derive(k string) derived {
	return derived{state: hmac64(k, "state"), nonce: hmac64(k, "nonce"), verifier: hmac64(k, "pkce verifier")}
}

func hmac64(k, label string) string {
	m := hmac.New(sha256.New, []byte(k))
	m.Write([]byte("hubauth upstream " + label))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// cookieName is the name of the cookie of the sign-in with this state hash.
func (f *Federation) cookieName(stateHash string) string {
	if f.cfg.SecureCookies {
		return hostPrefix + cookiePrefix + stateHash[:16]
	}
	return cookiePrefix + stateHash[:16]
}

// cookie returns the cookie binding the sign-in to the browser (maxAge
// seconds; negative deletes it): host-only, Path=/ (the __Host- rule),
// SameSite=Lax: it is sent on the upstream's top-level redirect back.
func (f *Federation) cookie(stateHash, value string, maxAge int) *http.Cookie {
	return &http.Cookie{Name: f.cookieName(stateHash), Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: f.cfg.SecureCookies, SameSite: http.SameSiteLaxMode}
}
