package provider

import (
	"context"
	"errors"
	"net/http"
	"slices"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"

	"github.com/hubauth/hubauth/internal/names"
	"github.com/hubauth/hubauth/internal/server/audience"
	"github.com/hubauth/hubauth/internal/storage"
)

// RefreshToken is the refresh grant (RFC 6749 §6) with rotation. The client
// and the scopes are checked inside the rotation's transaction, so a refused
// request leaves the token usable; a database failure is a 503, never an
// invalid_grant that would make the client throw its session away. A scope
// an operator removed since the login is left out of the new access token
// (the response's scope says so, §5.1) rather than refused, so the session
// goes on without it; so is one an operator no longer allows the client.
// Asking for such a scope explicitly is refused, as at every grant.
func (s *server) RefreshToken(ctx context.Context, r *op.ClientRequest[oidc.RefreshTokenRequest]) (*op.Response, error) {
	if !op.ValidateGrantType(r.Client, oidc.GrantTypeRefreshToken) {
		return nil, oidc.ErrUnauthorizedClient().WithDescription("the client may not use refresh tokens")
	}
	set, err := s.grantedScopes(ctx, r.Client)
	if err != nil {
		return nil, grantError(err)
	}
	hub, err := s.storage.scopes.Load(ctx)
	if err != nil {
		return nil, grantError(err)
	}
	apis, err := s.storage.cfg.APIs.Load(ctx)
	if err != nil {
		return nil, grantError(err)
	}
	requested := []string(r.Data.Scopes)
	var target *audience.Target // RFC 8707 §2.2: one of the session's resources
	req, err := s.storage.rotateRefresh(ctx, r.Data.RefreshToken, func(sess storage.Session) error {
		if sess.ClientID != r.Client.GetID() {
			return oidc.ErrInvalidGrant().WithDescription("the refresh token was issued to another client")
		}
		if err := exchangeStillAllowed(r.Client, sess); err != nil {
			return err
		}
		if err := s.storage.parentLive(ctx, sess); err != nil {
			return err
		}
		set = refreshScopes(set, hub, sess)
		for _, sc := range requested {
			if !slices.Contains(sess.Scopes, sc) {
				return oidc.ErrInvalidScope().WithDescription("scope %s was not granted to this session", names.Quote(sc))
			}
		}
		if err := invalidScope(set.Check(requested)); err != nil {
			return err
		}
		asked := requested
		if len(asked) == 0 {
			asked = sess.Scopes
		}
		target, err = tokenTarget(apis, r.Form, sess.Resources, set.Keep(asked))
		return err
	})
	if err != nil {
		return nil, grantError(err)
	}
	if len(requested) == 0 {
		requested = req.session.Scopes
	}
	req.SetCurrentScopes(set.Keep(requested))
	req.target = target
	id := idAlways
	if req.session.ParentID != "" {
		id = idNever // an exchanged session: the acting client gets no ID token of the user's login
	}
	resp, err := s.tokenResponse(ctx, req, r.Client, "", r.Data.RefreshToken, id)
	if err != nil {
		return nil, grantError(err)
	}
	return op.NewResponse(resp), nil
}

// grantError keeps OAuth errors as they are and turns storage failures into
// server errors: 503 when the database is unreachable, else 500.
func grantError(err error) error {
	var oe *oidc.Error
	switch {
	case errors.As(err, &oe):
		return err
	case errors.Is(err, storage.ErrNotFound):
		return oidc.ErrInvalidGrant()
	case errors.Is(err, storage.ErrUnavailable):
		return op.NewStatusError(oidc.ErrServerError().WithDescription("the hub cannot reach its database; try again shortly"), http.StatusServiceUnavailable)
	}
	return op.NewStatusError(oidc.ErrServerError().WithParent(err), http.StatusInternalServerError)
}
