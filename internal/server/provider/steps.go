package provider

import (
	"context"
	"errors"
	"net/http"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"

	"github.com/hubauth/hubauth/internal/storage"
)

// ErrAuthRequestGone means the authorization request is unknown, expired
// or already finished.
var ErrAuthRequestGone = errors.New("provider: the sign-in request is unknown, expired or already used; start again from the application")

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
// call with the request's id.
func (p *Provider) Complete(w http.ResponseWriter, r *http.Request, id string, u storage.User, bs storage.BrowserSession) error {
	var done storage.AuthRequest
	err := p.Storage.store.UpdateAuthRequest(r.Context(), id, func(a storage.AuthRequest) (storage.AuthRequest, error) {
		if a.Done {
			return a, ErrAuthRequestGone
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
