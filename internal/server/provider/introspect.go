package provider

import (
	"context"
	"errors"
	"net/http"
	"slices"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"

	"github.com/hubauth/hubauth/internal/server/bearer"
	"github.com/hubauth/hubauth/internal/server/scopes"
	"github.com/hubauth/hubauth/internal/storage"
)

// kindRefreshToken is the token_type of an introspected refresh token.
const kindRefreshToken = "refresh_token"

// Introspect answers RFC 7662 for access tokens, personal tokens and the
// refresh tokens the hub would honour, to authenticated confidential
// clients (resource servers), with the token's scopes that the hub still
// grants (for a refresh token, those a refresh would grant).
func (s *server) Introspect(ctx context.Context, r *op.Request[op.IntrospectionRequest]) (*op.Response, error) {
	cc := r.Data.ClientCredentials
	if cc == nil {
		return nil, op.NewStatusError(oidc.ErrInvalidClient().WithDescription("introspection needs the resource server's client credentials"), http.StatusUnauthorized)
	}
	if err := s.storage.AuthorizeClientIDSecret(ctx, cc.ClientID, cc.ClientSecret); err != nil {
		if errors.Is(err, storage.ErrUnavailable) {
			return nil, err
		}
		return nil, op.NewStatusError(oidc.ErrInvalidClient().WithDescription("introspection needs the resource server's client credentials"), http.StatusUnauthorized)
	}
	inactive := op.NewResponse(introspection{})
	if r.Data.IntrospectionRequest == nil {
		return inactive, nil
	}
	p, err := s.principal(ctx, r.Data.Token, r.Form.Get("token_type_hint"))
	if errors.Is(err, bearer.ErrInvalidToken) {
		return inactive, nil
	}
	if err != nil {
		return nil, err
	}
	granted, err := s.storage.scopes.Load(ctx)
	if err != nil {
		return nil, err // not "inactive": the token may well be active
	}
	p.Scopes = granted.Keep(p.Scopes) // a scope removed since it was granted is gone
	info := new(oidc.UserInfo)
	// The username always, and the token's own grants (email, groups).
	show := scopes.ClaimsOf(p.Scopes)
	show.Profile = true
	if err := s.storage.FillUserinfo(ctx, info, p.Subject, show); err != nil {
		if errors.Is(err, storage.ErrUnavailable) {
			return nil, err // not "inactive": the token may well be active
		}
		return inactive, nil
	}
	amr, err := s.storage.sessionAMR(ctx, p.SessionID)
	if err != nil {
		return nil, err // not "inactive": the token may well be active
	}
	setSignIn(info, amr)
	return op.NewResponse(activeIntrospection(p, info, op.IssuerFromContext(ctx))), nil
}

// principal finds what token is, trying the kind the token_type_hint names
// first and then the others (RFC 7662 §2.1: the hint only orders the
// search); bearer.ErrInvalidToken when it is none the hub honours.
func (s *server) principal(ctx context.Context, token, hint string) (bearer.Principal, error) {
	lookups := []func(context.Context, string) (bearer.Principal, error){s.bearer.Verify, s.storage.refreshPrincipal}
	if hint == kindRefreshToken {
		slices.Reverse(lookups)
	}
	for _, lookup := range lookups {
		p, err := lookup(ctx, token)
		if !errors.Is(err, bearer.ErrInvalidToken) {
			return p, err
		}
	}
	return bearer.Principal{}, bearer.ErrInvalidToken
}

// refreshPrincipal describes a refresh token the token endpoint would
// honour now: live, not rotated outside the grace window, of an active user
// and an enabled client. Its scopes are those a refresh would grant (see
// server.RefreshToken): the session's, less any the client may no longer
// ask for. Any other token is bearer.ErrInvalidToken.
func (s *Storage) refreshPrincipal(ctx context.Context, token string) (bearer.Principal, error) {
	t, x, err := s.store.GetRefreshToken(ctx, refreshKey(token))
	if errors.Is(err, storage.ErrNotFound) || (err == nil && !t.Honoured(x, s.now(), s.cfg.RefreshGrace)) {
		return bearer.Principal{}, bearer.ErrInvalidToken
	}
	if err != nil {
		return bearer.Principal{}, err
	}
	if _, err := s.activeUser(ctx, x.UserID); err != nil {
		return bearer.Principal{}, refused(err)
	}
	c, err := s.enabledClient(ctx, x.ClientID)
	if err != nil {
		return bearer.Principal{}, refused(err)
	}
	exp := t.ExpiresAt
	if x.ExpiresAt.Before(exp) {
		exp = x.ExpiresAt
	}
	return bearer.Principal{Subject: x.UserID, ClientID: x.ClientID, Scopes: c.scopes.Keep(x.Scopes), Kind: kindRefreshToken,
		SessionID: x.ID, IssuedAt: t.CreatedAt, ExpiresAt: exp}, nil
}

// refused turns the OAuth error of a check (a disabled user or client) into
// bearer.ErrInvalidToken and keeps storage failures.
func refused(err error) error {
	if oe := (*oidc.Error)(nil); errors.As(err, &oe) {
		return bearer.ErrInvalidToken
	}
	return err
}

// introspection is the RFC 7662 §2.2 answer: the members the library's
// oidc.IntrospectionResponse writes for the hub's tokens, and its extra
// claims (sid, amr, acr, idp, groups) as fields too, so that it is
// marshalled once. The library merges extra claims through a map,
// marshalling the answer three times: a fifth of the endpoint's CPU.
type introspection struct {
	Active            bool                     `json:"active"`
	Scope             oidc.SpaceDelimitedArray `json:"scope,omitempty"`
	ClientID          string                   `json:"client_id,omitempty"`
	TokenType         string                   `json:"token_type,omitempty"`
	Expiration        int64                    `json:"exp,omitempty"`
	IssuedAt          int64                    `json:"iat,omitempty"`
	Subject           string                   `json:"sub,omitempty"`
	Audience          []string                 `json:"aud,omitempty"` // the client, or the API the token is for
	Issuer            string                   `json:"iss,omitempty"`
	JWTID             string                   `json:"jti,omitempty"`
	Username          string                   `json:"username,omitempty"`
	Actor             *oidc.ActorClaims        `json:"act,omitempty"` // RFC 8693 §4.1: who acts for the user
	Name              string                   `json:"name,omitempty"`
	PreferredUsername string                   `json:"preferred_username,omitempty"`
	Email             string                   `json:"email,omitempty"`
	EmailVerified     bool                     `json:"email_verified,omitempty"`
	Groups            []string                 `json:"groups,omitzero"` // [] when the grant shows groups and there are none
	SessionID         string                   `json:"sid,omitempty"`
	AMR               []string                 `json:"amr,omitempty"`
	ACR               string                   `json:"acr,omitempty"`
	IDP               string                   `json:"idp,omitempty"`
}

// activeIntrospection is the answer for the active token p of the user
// info describes.
func activeIntrospection(p bearer.Principal, info *oidc.UserInfo, issuer string) introspection {
	r := introspection{Active: true, Scope: p.Scopes, ClientID: p.ClientID, TokenType: p.Kind,
		IssuedAt: int64(oidc.FromTime(p.IssuedAt)), Subject: p.Subject, Audience: p.Audience, Issuer: issuer,
		JWTID: p.TokenID, Username: info.PreferredUsername, Actor: p.Actor, Name: info.Name,
		PreferredUsername: info.PreferredUsername, Email: info.Email, EmailVerified: bool(info.EmailVerified),
		SessionID: p.SessionID}
	r.Expiration = int64(oidc.FromTime(p.ExpiresAt))
	r.Groups, _ = info.Claims["groups"].([]string)
	r.AMR, _ = info.Claims["amr"].([]string)
	r.ACR, _ = info.Claims["acr"].(string)
	r.IDP, _ = info.Claims["idp"].(string)
	return r
}
