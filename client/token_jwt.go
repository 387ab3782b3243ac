package client

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"time"

	"golang.org/x/oauth2"
)

// jwtClaims are the claims the SDK reads from a token to describe it:
// its expiry and whose it is. They are read WITHOUT verifying the
// signature, only for display and to know when to refresh; the server
// that receives the token verifies it.
type jwtClaims struct {
	Exp               float64 `json:"exp"`
	Subject           string  `json:"sub"`
	PreferredUsername string  `json:"preferred_username"`
	Scope             string  `json:"scope"`
}

// peekJWT returns the claims of token when it is a JWS compact
// serialization (RFC 7515 §7.1); ok is false for an opaque token.
func peekJWT(token string) (claims jwtClaims, ok bool) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return claims, false
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil || json.Unmarshal(payload, &claims) != nil {
		return jwtClaims{}, false
	}
	return claims, true
}

// expiry returns when the JWT expires; zero when it has no exp.
func (j jwtClaims) expiry() time.Time {
	if j.Exp <= 0 {
		return time.Time{}
	}
	return time.Unix(int64(j.Exp), 0).UTC()
}

// expiry is when an access token issued now expires: expires_in seconds
// from now by the Client's clock (RFC 6749 §5.1), else the JWT's exp,
// else unknown (zero).
func (c *Client) expiry(accessToken string, expiresIn int64) time.Time {
	if expiresIn > 0 {
		return c.now().Add(time.Duration(expiresIn) * time.Second).UTC()
	}
	claims, _ := peekJWT(accessToken)
	return claims.expiry()
}

// splitScope splits a space-delimited scope parameter (RFC 6749 §3.3).
func splitScope(scope string) []string { return strings.Fields(scope) }

// staticToken is Config.Token: used as is, never refreshed, never stored.
type staticToken struct {
	value  string
	claims jwtClaims
}

func newStaticToken(value string) staticToken {
	claims, _ := peekJWT(value)
	return staticToken{value: value, claims: claims}
}

// token returns the token unless it is a JWT whose exp has passed.
func (t staticToken) token(now time.Time) (*oauth2.Token, error) {
	exp := t.claims.expiry()
	if !exp.IsZero() && !now.Before(exp) {
		return nil, errStaticExpired
	}
	return &oauth2.Token{AccessToken: t.value, TokenType: "Bearer", Expiry: exp}, nil
}

// info describes the token for Session.
func (t staticToken) info(cfg Config) SessionInfo {
	exp := t.claims.expiry()
	return SessionInfo{
		Server: cfg.Server, Profile: cfg.Profile, ClientID: cfg.ClientID, Method: MethodToken,
		Subject: t.claims.Subject, Username: t.claims.PreferredUsername, Scopes: splitScope(t.claims.Scope),
		Expiry: exp, Expired: !exp.IsZero() && !cfg.Now().Before(exp), Source: SourceEnv,
	}
}
