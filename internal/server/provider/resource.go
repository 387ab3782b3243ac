package provider

import (
	"context"
	"errors"
	"net/url"
	"slices"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"

	"github.com/hubauth/hubauth/internal/server/audience"
)

// resourcesOf returns a request's RFC 8707 resource parameters (there may
// be several).
func resourcesOf(form url.Values) []string { return form["resource"] }

// targetError turns an audience refusal into invalid_target (RFC 8707 §2)
// and keeps any other error.
func targetError(err error) error {
	var ae *audience.Error
	if errors.As(err, &ae) {
		return oidc.ErrInvalidTarget().WithDescription("%s", ae.Description)
	}
	return err
}

// grantResources decides the APIs an authorization (authorize, device
// authorization) covers: audience.APIs.Grant over the registered APIs.
func (s *Storage) grantResources(ctx context.Context, form url.Values, scopes []string) ([]string, error) {
	apis, err := s.cfg.APIs.Load(ctx)
	if err != nil {
		return nil, err
	}
	covered, err := apis.Grant(resourcesOf(form), scopes)
	return covered, targetError(err)
}

// grantAndTarget decides, with one load of the APIs, what a grant made
// and used at once (client credentials, the password login) covers and
// what its access token is for: grantResources, then tokenTarget.
func (s *Storage) grantAndTarget(ctx context.Context, form url.Values, scopes []string) ([]string, *audience.Target, error) {
	apis, err := s.cfg.APIs.Load(ctx)
	if err != nil {
		return nil, nil, err
	}
	covered, err := apis.Grant(resourcesOf(form), scopes)
	if err != nil {
		return nil, nil, targetError(err)
	}
	target, err := tokenTarget(apis, form, covered, scopes)
	return covered, target, err
}

// tokenTarget decides what one access token of a grant covering covered,
// with the scopes granted, is for: audience.APIs.Token.
func tokenTarget(apis *audience.APIs, form url.Values, covered, granted []string) (*audience.Target, error) {
	t, err := apis.Token(covered, resourcesOf(form), granted)
	if err != nil {
		return nil, targetError(err)
	}
	return &t, nil
}

// audienceOr is a token request's aud: the API it is for, or the client.
func audienceOr(t *audience.Target, clientID string) []string {
	if t == nil {
		return []string{clientID}
	}
	return t.AudienceOr(clientID)
}

// scopesOr is a token request's scopes: cut to the API's, or all of them.
func scopesOr(t *audience.Target, scopes []string) []string {
	if t == nil {
		return scopes
	}
	return t.Scopes
}

// forClient is t for the ID token, whose audience is always the client
// (OIDC Core §2): the same scopes, no API.
func forClient(t *audience.Target) *audience.Target {
	if t == nil {
		return nil
	}
	return &audience.Target{Scopes: t.Scopes}
}

// grantOf returns the scopes and the resources a login session started by
// req keeps: all the grant's, not the cut of its first access token, so a
// refresh may ask for another of its APIs (RFC 8707 §2.2).
func grantOf(req op.TokenRequest) (scopes, resources []string) {
	switch r := req.(type) {
	case *authRequest:
		return r.AuthRequest.Scopes, r.Resources
	case deviceRefreshGrant:
		return r.DeviceAuthorizationState.Scopes, r.resources
	case *PasswordRequest:
		return r.Scopes, r.covered
	}
	return req.GetScopes(), nil
}

// apiRequest is a token request whose access token may be for an API.
type apiRequest interface {
	op.IDTokenRequest
	// idTokenRequest is the request as the ID token sees it: for the client.
	idTokenRequest() op.IDTokenRequest
}

func (a *authRequest) idTokenRequest() op.IDTokenRequest {
	c := *a
	c.target = forClient(a.target)
	return &c
}

func (r *refreshRequest) idTokenRequest() op.IDTokenRequest {
	c := *r
	c.target = forClient(r.target)
	return &c
}

func (g *deviceGrant) idTokenRequest() op.IDTokenRequest {
	c := *g
	c.target = forClient(g.target)
	return &c
}

func (g deviceRefreshGrant) idTokenRequest() op.IDTokenRequest {
	return deviceRefreshGrant{g.deviceGrant.idTokenRequest().(*deviceGrant)}
}

// idTokenRule is when a token response carries an ID token.
type idTokenRule int

const (
	idAlways    idTokenRule = iota // the code and refresh grants (op.CreateTokenResponse)
	idForOpenID                    // the device grant: only for openid (op.CreateDeviceTokenResponse)
	idNever                        // an exchanged session's refresh: the acting client is no relying party of the login
)

// tokenResponse is op.CreateTokenResponse (and, with idForOpenID, the
// device grant's op.CreateDeviceTokenResponse) with the ID token's
// audience the client whatever API the access token is for.
func (s *server) tokenResponse(ctx context.Context, req apiRequest, c op.Client, code, refreshToken string, id idTokenRule) (*oidc.AccessTokenResponse, error) {
	access, next, validity, err := s.storage.createAccessToken(ctx, req, c, refreshToken)
	if err != nil {
		return nil, err
	}
	resp := &oidc.AccessTokenResponse{AccessToken: access, RefreshToken: next, TokenType: oidc.BearerToken,
		ExpiresIn: uint64(validity.Seconds()), Scope: req.GetScopes()}
	if id == idAlways || (id == idForOpenID && slices.Contains(req.GetScopes(), oidc.ScopeOpenID)) {
		resp.IDToken, err = s.storage.createIDToken(ctx, op.IssuerFromContext(ctx), req.idTokenRequest(), c, access, code)
		if err != nil {
			return nil, err
		}
	}
	if a, ok := req.(op.AuthRequest); ok {
		if err := s.storage.DeleteAuthRequest(ctx, a.GetID()); err != nil {
			return nil, err
		}
	}
	return resp, nil
}
