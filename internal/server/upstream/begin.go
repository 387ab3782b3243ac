package upstream

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
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
// the identity.
type Continuation struct{ AuthRequestID, UserCode, Next, LinkUserID string }

// loginTTL is how long a sign-in at an upstream may take, and the life of
// the cookie binding it to the browser.
const loginTTL = 10 * time.Minute

// cookiePrefix starts the name of the cookie that binds a sign-in under
// way to the browser; the name ends with the start of the state's hash,
// so that sign-ins in several tabs do not overwrite each other.
const cookiePrefix = "hubauth_up_"

// Begin starts a sign-in at provider name (read fresh from the database,
// must be enabled): it stores the UpstreamLogin (10 minutes), sets on w the
// cookie binding it to this browser, and returns the upstream authorization
// URL (code flow, PKCE S256, state, nonce) to redirect to. An upstream
// whose discovery fails gives ErrUnreachable, audited.
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
		UserCode: c.UserCode, Next: c.Next, LinkUserID: c.LinkUserID, CreatedAt: now, ExpiresAt: now.Add(loginTTL)}
	if err := f.cfg.Store.CreateUpstreamLogin(ctx, l); err != nil {
		return "", fmt.Errorf("upstream: store the sign-in under way: %w", err)
	}
	http.SetCookie(w, f.cookie(l.StateHash, k, int(loginTTL/time.Second)))
	return up.oauth.AuthCodeURL(d.state, oauth2.S256ChallengeOption(d.verifier), oidc.Nonce(d.nonce)), nil
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
func cookieName(stateHash string) string { return cookiePrefix + stateHash[:16] }

// cookie returns the cookie binding the sign-in to the browser (maxAge
// seconds; negative deletes it). SameSite=Lax: it is sent on the
// upstream's top-level redirect back.
func (f *Federation) cookie(stateHash, value string, maxAge int) *http.Cookie {
	return &http.Cookie{Name: cookieName(stateHash), Value: value, Path: "/login/", MaxAge: maxAge,
		HttpOnly: true, Secure: f.cfg.SecureCookies, SameSite: http.SameSiteLaxMode}
}
