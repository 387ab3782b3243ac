package provider

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"time"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"

	"github.com/hubauth/hubauth/internal/server/mfa"
	"github.com/hubauth/hubauth/internal/storage"
)

// ErrAuthRequestGone means the authorization request is unknown, expired
// or already finished.
var ErrAuthRequestGone = errors.New("provider: the sign-in request is unknown, expired or already used; start again from the application")

// ErrLoginRequired means the authorization request asks for a login that
// the hub session does not satisfy (prompt=login, max_age): the user must
// sign in again before it completes.
var ErrLoginRequired = errors.New("provider: the application asks the user to sign in again")

// NeedsLogin applies prompt=login and max_age (OpenID Connect Core
// §3.1.2.1) to hub session bs: a login made after the request (for it)
// satisfies both; an older one satisfies neither prompt=login nor a max_age
// it exceeds at now.
func NeedsLogin(a storage.AuthRequest, bs storage.BrowserSession, now time.Time) bool {
	if !bs.AuthTime.Before(a.CreatedAt) {
		return false
	}
	if slices.Contains(a.Prompt, oidc.PromptLogin) {
		return true
	}
	return a.MaxAgeSeconds >= 0 && now.Sub(bs.AuthTime) > time.Duration(a.MaxAgeSeconds)*time.Second
}

// NeedsSecondFactor reports whether request a asks for a second factor
// (acr_values=mfa) that hub session bs has not passed: the user steps up
// before it completes.
func NeedsSecondFactor(a storage.AuthRequest, bs storage.BrowserSession) bool {
	return mfa.AskedFor(a.ACRValues) && !mfa.Satisfied(bs.AMR)
}

// AuthRequest returns an authorization request still waiting for the user.
func (p *Provider) AuthRequest(ctx context.Context, id string) (storage.AuthRequest, error) {
	if id == "" || len(id) > 64 {
		return storage.AuthRequest{}, ErrAuthRequestGone
	}
	a, err := p.Storage.store.GetAuthRequest(ctx, id)
	if errors.Is(err, storage.ErrNotFound) || (err == nil && (a.Done || !p.Storage.now().Before(a.ExpiresAt))) {
		return a, ErrAuthRequestGone
	}
	return a, err
}

// Complete records that user approved the request from hub session bs and
// answers the browser with the code, in this same response (RFC 6749
// §4.1.2): there is no separate callback step that another party could
// call with the request's id. Every completion passes here, so here a
// request that still needs a login (NeedsLogin) is refused with
// ErrLoginRequired, whichever step posted it.
func (p *Provider) Complete(w http.ResponseWriter, r *http.Request, id string, u storage.User, bs storage.BrowserSession) error {
	var done storage.AuthRequest
	err := p.Storage.store.UpdateAuthRequest(r.Context(), id, func(a storage.AuthRequest) (storage.AuthRequest, error) {
		if a.Done {
			return a, ErrAuthRequestGone
		}
		if NeedsLogin(a, bs, p.Storage.now()) || NeedsSecondFactor(a, bs) {
			return a, ErrLoginRequired
		}
		a.Done, a.UserID, a.AuthTime, a.AMR, a.BrowserSessionID = true, u.ID, bs.AuthTime, bs.AMR, bs.ID
		done = a
		return a, nil
	})
	if err != nil {
		return err
	}
	op.AuthResponse(&authRequest{AuthRequest: done}, p.OP, w, r.WithContext(op.ContextWithIssuer(r.Context(), p.issuer)))
	return nil
}

// Fail sends the browser back to the client with an OAuth error
// (RFC 6749 §4.1.2.1); the redirect URI was validated at /authorize.
func (p *Provider) Fail(w http.ResponseWriter, r *http.Request, a storage.AuthRequest, e *oidc.Error) {
	op.AuthRequestError(w, r, &authRequest{AuthRequest: a}, e, p.OP)
}
