package provider

import (
	"context"
	"slices"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// idClaims are the claims of the hub's ID tokens (OIDC Core §2): those
// op.CreateIDToken writes for the hub's requests, with the user claims
// the hub adds (groups, idp, and acr for a refresh or device grant) as
// fields, so that they are marshalled once and signed by keys.SignJWT.
// The library merges them through a map and signs with go-jose, whose
// JSON encoder alone made a fifth of a refresh's allocations.
type idClaims struct {
	tokenClaims
	AuthTime        int64    `json:"auth_time,omitempty"`
	Nonce           string   `json:"nonce,omitempty"`
	AuthorizedParty string   `json:"azp,omitempty"`
	AccessTokenHash string   `json:"at_hash,omitempty"`
	CodeHash        string   `json:"c_hash,omitempty"`
	Groups          []string `json:"groups,omitzero"` // [] with the groups scope and no groups
	IDP             string   `json:"idp,omitempty"`
}

// createIDToken is op.CreateIDToken for the hub's token responses, which
// always carry an access token: at_hash is set, and the userinfo scopes
// (profile, email, address, phone) add nothing to the ID token, as the
// library does for a client that does not ask for userinfo claims in it
// (the hub's never do: client.IDTokenUserinfoClaimsAssertion). code, if
// any, sets c_hash.
func (s *Storage) createIDToken(ctx context.Context, issuer string, req op.IDTokenRequest, c op.Client, accessToken, code string) (string, error) {
	key, err := s.keys.Signing(ctx)
	if err != nil {
		return "", err
	}
	now := time.Now()
	claims := idClaims{tokenClaims: tokenClaims{Issuer: issuer, Subject: req.GetSubject(),
		Audience:   oidc.AppendClientIDToAudience(req.GetClientID(), req.GetAudience()),
		Expiration: now.Add(c.ClockSkew()).Add(c.IDTokenLifetime()).Unix(), IssuedAt: now.Add(-c.ClockSkew()).Unix(),
		AMR: req.GetAMR(), ClientID: req.GetClientID()}, AuthorizedParty: req.GetClientID()}
	if t := req.GetAuthTime(); !t.IsZero() {
		claims.AuthTime = t.Add(-c.ClockSkew()).Unix()
	}
	if a, ok := req.(op.AuthRequest); ok {
		claims.ACR, claims.Nonce = a.GetACR(), a.GetNonce()
	}
	if a, ok := req.(op.TokenActorRequest); ok {
		claims.Actor = a.GetActor()
	}
	if claims.AccessTokenHash, err = oidc.ClaimHash(accessToken, jose.ES256); err != nil {
		return "", err
	}
	if code != "" {
		if claims.CodeHash, err = oidc.ClaimHash(code, jose.ES256); err != nil {
			return "", err
		}
	}
	if err := s.setIDUser(ctx, &claims, req, c); err != nil {
		return "", err
	}
	return key.SignJWT(claims)
}

// setIDUser adds the user claims of req's scopes other than the userinfo
// ones; as the library, it asks for none when no scope is left.
func (s *Storage) setIDUser(ctx context.Context, claims *idClaims, req op.IDTokenRequest, c op.Client) error {
	scopes := slices.DeleteFunc(c.RestrictAdditionalIdTokenScopes()(slices.Clone(req.GetScopes())), func(sc string) bool {
		return sc == oidc.ScopeProfile || sc == oidc.ScopeEmail || sc == oidc.ScopeAddress || sc == oidc.ScopePhone
	})
	if len(scopes) == 0 {
		return nil
	}
	info := new(oidc.UserInfo)
	if err := s.SetUserinfoFromRequest(ctx, info, req, scopes); err != nil {
		return err
	}
	claims.Subject = info.Subject
	claims.Groups, _ = info.Claims["groups"].([]string)
	claims.IDP, _ = info.Claims["idp"].(string)
	if claims.ACR == "" {
		claims.ACR, _ = info.Claims["acr"].(string)
	}
	return nil
}
