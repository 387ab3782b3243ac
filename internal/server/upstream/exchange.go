package upstream

import (
	"context"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"slices"
	"strings"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// exchange redeems code with d's PKCE verifier, verifies the ID token and
// its nonce, and returns the identity of its claims, completed by
// userinfo when some are missing. Upstream tokens are dropped here.
func (f *Federation) exchange(ctx context.Context, up *upstream, code string, d derived) (Identity, error) {
	if code == "" {
		return Identity{}, fail(ErrRejected, "no code", nil)
	}
	ctx = f.clientContext(ctx)
	tok, err := up.oauth.Exchange(ctx, code, oauth2.VerifierOption(d.verifier))
	if err != nil {
		return Identity{}, tokenError(err)
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return Identity{}, fail(ErrRejected, "no ID token in the token response", nil)
	}
	idt, err := verify(ctx, up, raw)
	if err != nil {
		return Identity{}, err
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(d.nonce)) != 1 {
		return Identity{}, fail(ErrRejected, "ID token nonce does not match", nil)
	}
	claims := map[string]any{}
	if err := idt.Claims(&claims); err != nil {
		return Identity{}, fail(ErrRejected, "ID token claims unreadable", err)
	}
	if err := checkAzp(idt.Audience, claims["azp"], up.row.ClientID); err != nil {
		return Identity{}, err
	}
	at := upstreamAuthTime(claims["auth_time"]) // the ID token's, not userinfo's
	if needUserinfo(up, claims) {
		if err := userinfo(ctx, up, tok, idt.Subject, claims); err != nil {
			return Identity{}, err
		}
	}
	id, err := identityFrom(up.row, claims)
	id.AuthTime = at
	return id, err
}

// checkAzp applies OpenID Connect Core §3.1.3.7 (items 4 and 5): an ID
// token for several audiences must name the hub as its authorized party
// (azp), and an azp, when present, must be the hub's client ID.
func checkAzp(aud []string, azp any, clientID string) error {
	s, isString := azp.(string)
	switch {
	case azp == nil && len(aud) > 1, azp != nil && (!isString || s != clientID):
		return fail(ErrRejected, "ID token of a wrong authorized party (azp)", nil)
	}
	return nil
}

// tokenError classifies a failed code exchange: the upstream refused the
// hub's client credentials (misconfigured: a wrong or expired client
// secret), refused the code (other 4xx) or could not be reached (network,
// time limit, 5xx).
func tokenError(err error) error {
	var re *oauth2.RetrieveError
	switch {
	case errors.As(err, &re) && re.Response != nil && re.Response.StatusCode >= 500:
		return fail(ErrUnreachable, "token endpoint failed", err)
	case errors.As(err, &re) && (re.ErrorCode == "invalid_client" || re.ErrorCode == "unauthorized_client"):
		return fail(ErrMisconfigured, "token endpoint refused the hub's client ("+re.ErrorCode+")", err)
	case errors.As(err, &re):
		return fail(ErrRejected, "token endpoint refused the code", err)
	case isNetwork(err):
		return fail(ErrUnreachable, "token endpoint unreachable", err)
	}
	return fail(ErrRejected, "token response unusable", err)
}

// verify checks the ID token with go-oidc: signature (keys cached),
// issuer, audience, expiry.
func verify(ctx context.Context, up *upstream, raw string) (*oidc.IDToken, error) {
	var keyErr error
	idt, err := up.verifier.Verify(context.WithValue(ctx, keyErrKey{}, &keyErr), raw)
	var expired *oidc.TokenExpiredError
	switch {
	case err == nil:
		return idt, nil
	case keyErr != nil:
		return nil, fail(ErrUnreachable, "keys unreachable", keyErr)
	case errors.As(err, &expired):
		return nil, fail(ErrRejected, "ID token expired", err)
	}
	return nil, fail(ErrRejected, "ID token refused: "+refusal(up, raw), err)
}

// refusal names what go-oidc refused in raw, for the audit log: it only
// reads the unverified claims to say which check failed.
func refusal(up *upstream, raw string) string {
	parts := strings.Split(raw, ".")
	if len(parts) != 3 {
		return "malformed"
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	var c struct {
		Iss string          `json:"iss"`
		Aud json.RawMessage `json:"aud"`
	}
	if err != nil || json.Unmarshal(payload, &c) != nil {
		return "malformed"
	}
	if c.Iss != up.row.Issuer {
		return "wrong issuer"
	}
	var aud []string
	if json.Unmarshal(c.Aud, &aud) != nil {
		aud = []string{""}
		json.Unmarshal(c.Aud, &aud[0])
	}
	if !slices.Contains(aud, up.row.ClientID) {
		return "wrong audience"
	}
	return "bad signature"
}

// needUserinfo reports whether claims lack what the provider's scopes
// and claim settings ask for, and the upstream has a userinfo endpoint.
func needUserinfo(up *upstream, claims map[string]any) bool {
	if up.provider.UserInfoEndpoint() == "" {
		return false
	}
	p := up.row
	missing := func(c string) bool { _, ok := claims[c]; return !ok }
	return missing(p.UsernameClaim) ||
		(p.GroupsClaim != "" && missing(p.GroupsClaim)) ||
		(slices.Contains(p.Scopes, "profile") && missing("name")) ||
		(slices.Contains(p.Scopes, "email") && missing("email"))
}

// userinfo adds to claims those of the userinfo endpoint that the ID
// token lacks; the userinfo's sub must be the ID token's (OpenID Connect
// Core §5.3.2).
func userinfo(ctx context.Context, up *upstream, tok *oauth2.Token, sub string, claims map[string]any) error {
	ui, err := up.provider.UserInfo(ctx, oauth2.StaticTokenSource(tok))
	if err != nil {
		if isNetwork(err) {
			return fail(ErrUnreachable, "userinfo unreachable", err)
		}
		return fail(ErrRejected, "userinfo refused", err)
	}
	if ui.Subject != sub {
		return fail(ErrRejected, "userinfo of another subject", nil)
	}
	more := map[string]any{}
	if err := ui.Claims(&more); err != nil {
		return fail(ErrRejected, "userinfo claims unreadable", err)
	}
	for k, v := range more {
		if _, ok := claims[k]; !ok {
			claims[k] = v
		}
	}
	return nil
}
