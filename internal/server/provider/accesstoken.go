package provider

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"

	"github.com/hubauth/hubauth/internal/storage"
)

// accessClaims are the claims of the hub's JWT access tokens: the
// library's (op.CreateJWT: iss, sub, aud, exp, iat, nbf, client_id, jti,
// act) and the hub's own (scope, sid, amr, acr), in one struct that is
// marshalled once. The library merges private claims through a map,
// marshalling them three times; on the refresh and client-credentials
// grants that was a fifth of the token's cost.
type accessClaims struct {
	tokenClaims
	NotBefore int64  `json:"nbf,omitempty"`
	JWTID     string `json:"jti,omitempty"`
	Scope     string `json:"scope"`
	SessionID string `json:"sid,omitempty"`
}

// tokenClaims are the claims access and ID tokens share.
type tokenClaims struct {
	Issuer     string            `json:"iss,omitempty"`
	Subject    string            `json:"sub,omitempty"`
	Audience   []string          `json:"aud,omitempty"`
	Expiration int64             `json:"exp,omitempty"`
	IssuedAt   int64             `json:"iat,omitempty"`
	ACR        string            `json:"acr,omitempty"`
	AMR        []string          `json:"amr,omitempty"`
	ClientID   string            `json:"client_id,omitempty"`
	Actor      *oidc.ActorClaims `json:"act,omitempty"`
}

// createAccessToken is op.CreateAccessToken for the hub's JWT access
// tokens: the storage issues the token id, its expiry and, when the
// request carries one, the refresh token; the JWT is signed by
// signAccess.
func (s *Storage) createAccessToken(ctx context.Context, req op.TokenRequest, c op.Client, refreshToken string) (access, next string, validity time.Duration, err error) {
	var id string
	var exp time.Time
	if needsRefreshToken(req, c) {
		id, next, exp, err = s.CreateAccessAndRefreshTokens(ctx, req, refreshToken)
	} else {
		id, exp, err = s.CreateAccessToken(ctx, req)
	}
	if err != nil {
		return "", "", 0, err
	}
	access, err = s.signAccess(ctx, op.IssuerFromContext(ctx), req, exp, id, c.GetID())
	return access, next, exp.Add(c.ClockSkew()).Sub(time.Now()), err
}

// needsRefreshToken is the library's rule of which grants hand out a
// refresh token, for the hub's requests: an authorization code grant
// with offline_access that the client may refresh, and every request
// that is an op.RefreshTokenRequest (a refresh, a device grant that
// asked for offline_access and may refresh, a password login).
func needsRefreshToken(req op.TokenRequest, c op.Client) bool {
	switch r := req.(type) {
	case op.AuthRequest:
		return slices.Contains(r.GetScopes(), oidc.ScopeOfflineAccess) && r.GetResponseType() == oidc.ResponseTypeCode &&
			op.ValidateGrantType(c, oidc.GrantTypeRefreshToken)
	case op.RefreshTokenRequest:
		return true
	}
	return false
}

// signAccess signs the access token id of req, valid until exp, for the
// client clientID.
func (s *Storage) signAccess(ctx context.Context, issuer string, req op.TokenRequest, exp time.Time, id, clientID string) (string, error) {
	key, err := s.keys.Signing(ctx)
	if err != nil {
		return "", err
	}
	now := time.Now().Unix()
	aud := req.GetAudience()
	if len(aud) == 0 {
		aud = []string{clientID}
	}
	claims := accessClaims{tokenClaims: tokenClaims{Issuer: issuer, Subject: req.GetSubject(), Audience: aud,
		Expiration: exp.Unix(), IssuedAt: now, ClientID: clientID},
		NotBefore: now, JWTID: id, Scope: strings.Join(req.GetScopes(), " "), SessionID: sessionOf(req)}
	if amr := recordedAMR(req); len(amr) > 0 {
		claims.AMR = methods(amr)
		claims.ACR = storage.ACR(claims.AMR)
	}
	if a, ok := req.(op.TokenActorRequest); ok {
		claims.Actor = a.GetActor()
	}
	return key.SignJWT(claims)
}

// sessionOf returns the login session a token request belongs to, if any.
func sessionOf(req op.TokenRequest) string {
	switch r := req.(type) {
	case *refreshRequest:
		return r.session.ID
	case *authRequest:
		return r.sessionID
	case *PasswordRequest:
		return r.sessionID
	case deviceRefreshGrant:
		return r.sessionID
	case *exchangeRequest:
		return r.sessionID
	}
	return ""
}
