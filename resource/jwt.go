package resource

import (
	"context"
	"encoding/json"
	"math"
	"slices"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// accessClaims are the claims read: the registered ones (RFC 7519 §4.1)
// and those of an access token and its user. Plain types, decoded in one
// pass: this is on the path of every token not yet cached.
type accessClaims struct {
	Issuer            string     `json:"iss"`
	Subject           string     `json:"sub"`
	Audience          stringList `json:"aud"`
	Expiry            *float64   `json:"exp"`
	NotBefore         *float64   `json:"nbf"`
	IssuedAt          *float64   `json:"iat"`
	Scope             *scopeList `json:"scope"`
	Scp               *scopeList `json:"scp"`
	ClientID          string     `json:"client_id"`
	AuthorizedParty   string     `json:"azp"`
	PreferredUsername string     `json:"preferred_username"`
	Username          string     `json:"username"`
	Groups            []string   `json:"groups"`
	AMR               stringList `json:"amr"`
	ACR               string     `json:"acr"`
	// An ID token's own claims (OpenID Connect Core §2, §3.3.2.11): an
	// access token has none of them.
	Nonce  *string `json:"nonce"`
	AtHash *string `json:"at_hash"`
	CHash  *string `json:"c_hash"`
	// Typ is a payload claim some providers set: Keycloak's "ID" on its
	// ID tokens ("Bearer" on access tokens). Any JSON value: only "ID"
	// counts.
	Typ any `json:"typ"`
}

// scopes are the token's scopes: its scope claim, else its scp claim
// (Azure AD, Okta and others), nil when it has neither.
func (c *accessClaims) scopes() *scopeList {
	if c.Scope != nil {
		return c.Scope
	}
	return c.Scp
}

// verifyJWT checks a JWT access token offline and returns its caller and
// expiry.
func (m *Middleware) verifyJWT(ctx context.Context, token string) (Caller, time.Time, error) {
	tok, err := m.headers.parseJWS(token)
	if err != nil {
		return Caller{}, time.Time{}, err
	}
	atJWT, err := checkType(tok.header.Typ)
	if err != nil {
		return Caller{}, time.Time{}, err
	}
	keys, err := m.keys.find(ctx, tok.header.Kid, tok.header.Alg)
	if err != nil {
		return Caller{}, time.Time{}, err
	}
	if !slices.ContainsFunc(keys, func(k jose.JSONWebKey) bool { return tok.verify(k.Key) }) {
		return Caller{}, time.Time{}, invalid("the token's signature does not verify with the issuer's key")
	}
	var claims accessClaims
	if err := json.Unmarshal(tok.payload, &claims); err != nil {
		return Caller{}, time.Time{}, invalid("the token's claims are not a JSON object of JWT claims")
	}
	if err := m.checkClaims(&claims, atJWT); err != nil {
		return Caller{}, time.Time{}, err
	}
	c := Caller{
		Subject: claims.Subject, ClientID: first(claims.ClientID, claims.AuthorizedParty),
		Username: first(claims.PreferredUsername, claims.Username), Groups: claims.Groups, TokenKind: TokenKindAccess,
		AMR: claims.AMR, ACR: claims.ACR,
	}
	if s := claims.scopes(); s != nil {
		c.Scopes = *s
	}
	return c, unixTime(*claims.Expiry), nil
}

// checkType refuses JWTs typed as something other than an access token
// (logout tokens and others have their own typ), and reports the RFC 9068
// typ at+jwt. An ID token's typ is absent or "JWT", like many access
// tokens': checkClaims tells them apart.
func checkType(typ string) (atJWT bool, err error) {
	switch strings.TrimPrefix(strings.ToLower(typ), "application/") {
	case "", "jwt":
		return false, nil
	case "at+jwt":
		return true, nil
	}
	return false, invalid("the JWT is of type %q, not an access token", clip(typ))
}

// checkClaims checks iss, exp, nbf, iat (with the leeway), aud unless
// Config.AnyAudience, sub, and that the token is an access token
// (isAccessToken).
func (m *Middleware) checkClaims(c *accessClaims, atJWT bool) error {
	now, leeway := m.now(), m.cfg.Leeway
	switch {
	case c.Expiry == nil:
		return invalid("the token has no expiry")
	case !now.Add(-leeway).Before(unixTime(*c.Expiry)):
		return invalid("the token expired at %s", unixTime(*c.Expiry).UTC().Format(time.RFC3339))
	case c.NotBefore != nil && now.Add(leeway).Before(unixTime(*c.NotBefore)),
		c.IssuedAt != nil && now.Add(leeway).Before(unixTime(*c.IssuedAt)):
		return invalid("the token is not valid yet")
	case c.Issuer != m.issuer:
		return invalid("the token was issued by %q, not %q", clip(c.Issuer), m.issuer)
	case c.Subject == "":
		return invalid("the token has no subject")
	}
	if err := m.checkAudience(c.Audience); err != nil {
		return err
	}
	return m.isAccessToken(c, atJWT)
}

// isAccessToken tells an access token from an ID token, which has the
// same signature, issuer and subject: an access token has a scope (or
// scp) claim or the RFC 9068 typ at+jwt; with Config.AcceptJWTAudience,
// one whose aud named the API (checked before) will do too unless it
// looks like an ID token (looksLikeIDToken).
func (m *Middleware) isAccessToken(c *accessClaims, atJWT bool) error {
	switch {
	case c.scopes() != nil || atJWT:
		return nil
	case !m.cfg.AcceptJWTAudience:
		return invalid("the token is not an access token (no scope claim and not typ at+jwt: an ID token?)")
	}
	if why := m.looksLikeIDToken(c); why != "" {
		return invalid("the token is an ID token (%s), not an access token", why)
	}
	return nil
}

// looksLikeIDToken says why a JWT without scope or typ at+jwt may be an
// ID token, "" when nothing does. An ID token's own claims (nonce,
// at_hash, c_hash) are optional in the code flow, so more is checked
// (OpenID Connect Core §2): its aud is the client it was issued to, and
// azp, when present, that same client. So a token whose azp is one of
// the API's audiences, or whose one aud is its azp, was issued to a
// client for sign-in (a one-aud token whose aud is its azp is one case:
// its aud names the API, checked before). Keycloak also types its ID
// tokens "ID" in the payload.
func (m *Middleware) looksLikeIDToken(c *accessClaims) string {
	switch {
	case c.Nonce != nil || c.AtHash != nil || c.CHash != nil:
		return "it has nonce, at_hash or c_hash"
	case c.Typ == "ID":
		return `its typ claim is "ID"`
	case c.AuthorizedParty != "" && m.isAudience(c.AuthorizedParty):
		return "its azp is this API's audience: it was issued to that client"
	}
	return ""
}

// unixTime converts a NumericDate (RFC 7519 §2), seconds that may have a
// fraction.
func unixTime(seconds float64) time.Time {
	whole := math.Floor(seconds)
	return time.Unix(int64(whole), int64((seconds-whole)*1e9))
}

// stringList is a claim that is one string or an array of strings, as
// aud (RFC 7519 §4.1.3).
type stringList []string

// UnmarshalJSON accepts a string or an array of strings.
func (l *stringList) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		var s string
		err := json.Unmarshal(b, &s)
		*l = stringList{s}
		return err
	}
	return json.Unmarshal(b, (*[]string)(l))
}

// scopeList is a scope claim: a space-separated string (RFC 9068 §2.2.3),
// or an array of strings as some providers send.
type scopeList []string

// UnmarshalJSON accepts a space-separated string or an array of strings.
func (l *scopeList) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		var s string
		err := json.Unmarshal(b, &s)
		*l = strings.Fields(s)
		return err
	}
	return json.Unmarshal(b, (*[]string)(l))
}

func first(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
