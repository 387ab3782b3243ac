package upstream

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/hubauth/hubauth/internal/names"
	"github.com/hubauth/hubauth/internal/secret"
	"github.com/hubauth/hubauth/internal/server/clientaddr"
	"github.com/hubauth/hubauth/internal/storage"
)

// maxState bounds the state accepted from the query: ours are 43
// characters.
const maxState = 128

// Finish handles GET /login/{name}/callback: the state bound to the
// browser's cookie, used once; RFC 9207 iss; then an error response
// (errorResponse: access_denied is ErrCancelled); the code exchanged with the PKCE verifier; the ID token verified by
// go-oidc (signature, issuer, audience, expiry) and its nonce; userinfo
// when claims are missing. The provider is read fresh: a disabled one is
// refused. Every failure is audited (AuditUpstreamFailed). The
// Continuation is returned with errors too when the state was known.
// Config.FinishTimeout bounds the whole callback.
func (f *Federation) Finish(w http.ResponseWriter, r *http.Request, name string) (Identity, Continuation, error) {
	ctx, cancel := context.WithTimeout(r.Context(), f.finishTimeout)
	defer cancel()
	id, c, err := f.finish(w, r.WithContext(ctx), name)
	if err != nil {
		ctx := r.Context()
		f.auditFailure(ctx, name, c.LinkUserID, clientaddr.From(r).String(), err)
		f.log.InfoContext(ctx, "upstream sign-in failed", "provider", name, "reason", reason(err))
		f.log.DebugContext(ctx, "upstream sign-in failed", "provider", name, "err", causeText(err))
	}
	return id, c, err
}

func (f *Federation) finish(w http.ResponseWriter, r *http.Request, name string) (Identity, Continuation, error) {
	ctx := r.Context()
	q := r.URL.Query()
	l, d, err := f.takeLogin(w, r, name, q.Get("state"))
	c := continuationOf(l)
	if err != nil { // an error response too: only one of this browser counts
		return Identity{}, c, err
	}
	p, err := f.provider(ctx, name)
	if err != nil {
		return Identity{}, c, err
	}
	up, err := f.upstream(ctx, p)
	if err != nil {
		return Identity{}, c, err
	}
	if err := checkIss(q, up); err != nil {
		return Identity{}, c, err
	}
	if q.Has("error") { // OpenID Connect Core §3.1.2.6
		return Identity{}, c, errorResponse(q.Get("error"))
	}
	id, err := f.exchange(ctx, up, q.Get("code"), d)
	if err != nil {
		return Identity{}, c, err
	}
	id.AuthTime, err = authTime(id.AuthTime, l, f.now().UTC())
	if err != nil {
		return Identity{}, c, err
	}
	return id, c, nil
}

// takeLogin finds the sign-in of state: the browser's cookie must hold
// the secret state derives from, and the stored row is consumed (single
// use). The cookie is cleared.
func (f *Federation) takeLogin(w http.ResponseWriter, r *http.Request, name, state string) (storage.UpstreamLogin, derived, error) {
	var l storage.UpstreamLogin
	if state == "" || len(state) > maxState {
		return l, derived{}, fail(ErrRejected, "missing or malformed state", nil)
	}
	h := secret.Hash(state)
	ck, err := r.Cookie(f.cookieName(h))
	if err != nil || ck.Value == "" {
		return l, derived{}, fail(ErrRejected, "no sign-in cookie for this state (another browser?)", nil)
	}
	http.SetCookie(w, f.cookie(h, "", -1))
	d := derive(ck.Value)
	if subtle.ConstantTimeCompare([]byte(d.state), []byte(state)) != 1 {
		return l, derived{}, fail(ErrRejected, "state does not match the browser's cookie", nil)
	}
	l, err = f.cfg.Store.ConsumeUpstreamLogin(r.Context(), h, f.now())
	switch {
	case errors.Is(err, storage.ErrNotFound):
		return l, derived{}, fail(ErrRejected, "unknown, expired or replayed state", nil)
	case err != nil:
		return l, derived{}, fmt.Errorf("upstream: consume the sign-in under way: %w", err)
	case l.Provider != name:
		return l, derived{}, fail(ErrRejected, "state of provider "+l.Provider, nil)
	}
	return l, d, nil
}

// errorResponse is the failure of an error response (RFC 6749 §4.1.2.1,
// OpenID Connect Core §3.1.2.6): the user did not sign in (access_denied,
// or an interaction the upstream would not do), the upstream is down
// (server_error, temporarily_unavailable), it refused the hub's request
// as invalid (misconfigured), or an unknown code (rejected). The code is
// clipped and escaped, the description never kept.
func errorResponse(code string) error {
	kind := ErrRejected
	switch code {
	case "access_denied", "login_required", "consent_required", "interaction_required", "account_selection_required":
		kind = ErrCancelled
	case "server_error", "temporarily_unavailable":
		kind = ErrUnreachable
	case "invalid_request", "unauthorized_client", "unsupported_response_type", "invalid_scope",
		"invalid_request_uri", "invalid_request_object", "request_not_supported", "request_uri_not_supported",
		"registration_not_supported":
		kind = ErrMisconfigured
	}
	if code == "access_denied" {
		return fail(kind, "cancelled at the upstream (access_denied)", nil)
	}
	return fail(kind, "upstream error "+names.Escape(names.Clip(code, 64)), nil)
}

// checkIss applies RFC 9207 §2.4: an iss parameter must be the
// upstream's issuer, and one that announces it must send it.
func checkIss(q url.Values, up *upstream) error {
	switch {
	case q.Has("iss") && q.Get("iss") != up.row.Issuer:
		return fail(ErrRejected, "iss parameter names another issuer (RFC 9207)", nil)
	case !q.Has("iss") && up.issParam:
		return fail(ErrRejected, "iss parameter missing (RFC 9207)", nil)
	}
	return nil
}

// auditFailure audits a failed sign-in at provider: its name and the
// failure's short reason.
func (f *Federation) auditFailure(ctx context.Context, provider, userID, addr string, err error) {
	provider = names.Escape(names.Clip(provider, names.MaxID)) // from the request's path
	f.audit(ctx, storage.AuditUpstreamFailed, userID, addr, "provider "+provider+": "+reason(err))
}

// causeText is err's cause for a debug log line: clipped and escaped, as
// it may quote the upstream.
func causeText(err error) string {
	var fl *failure
	if errors.As(err, &fl) && fl.cause != nil {
		err = fl.cause
	}
	return names.Escape(names.Clip(err.Error(), 300))
}
