package resource

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// introspection is an RFC 7662 §2.2 answer, with the user claims hubauth
// adds (username, preferred_username) and groups where a server sends them.
type introspection struct {
	Active            bool       `json:"active"`
	Scope             string     `json:"scope"`
	ClientID          string     `json:"client_id"`
	Username          string     `json:"username"`
	PreferredUsername string     `json:"preferred_username"`
	Groups            []string   `json:"groups"`
	TokenType         string     `json:"token_type"`
	Subject           string     `json:"sub"`
	Issuer            string     `json:"iss"`
	Audience          stringList `json:"aud"`
	Expiry            int64      `json:"exp"`
	NotBefore         int64      `json:"nbf"`
	AMR               stringList `json:"amr"`
	ACR               string     `json:"acr"`
}

// introspectAndCache asks the issuer about an opaque token, completes the
// caller from userinfo when configured, and caches the verdict: an
// acceptance until the TTL or the token's exp, a refusal briefly.
func (m *Middleware) introspectAndCache(ctx context.Context, token string, k tokenKey) (Caller, error) {
	now := m.now()
	c, exp, err := m.introspect(ctx, token)
	if err == nil && m.cfg.UserInfo {
		c, err = m.userInfo(ctx, token, c)
	}
	switch {
	case err == nil:
		m.opaque.put(k, c, earliest(exp, now.Add(m.cfg.IntrospectionCacheTTL)), now)
	case errors.Is(err, ErrInvalidToken):
		m.refused.put(k, err, now.Add(min(negativeTTL, m.cfg.IntrospectionCacheTTL)), now)
	}
	return c, err
}

// introspect posts the token to the introspection endpoint with the API's
// client credentials (RFC 7662 §2.1; HTTP basic with the form-encoded id
// and secret, RFC 6749 §2.3.1) and checks the answer.
func (m *Middleware) introspect(ctx context.Context, token string) (Caller, time.Time, error) {
	form := url.Values{"token": {token}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, m.disc.IntrospectionEndpoint, strings.NewReader(form.Encode()))
	if err != nil {
		return Caller{}, time.Time{}, unavailable(err, "the introspection request could not be made")
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(url.QueryEscape(m.cfg.ClientID), url.QueryEscape(m.cfg.ClientSecret))
	var in introspection
	if err := doJSON(m.cfg.HTTPClient, req, &in); err != nil {
		var se *statusError
		if errors.As(err, &se) && se.code == http.StatusUnauthorized {
			return Caller{}, time.Time{}, unavailable(err, "the issuer refused the API's introspection credentials")
		}
		return Caller{}, time.Time{}, unavailable(err, "the issuer could not introspect the token")
	}
	personal := in.TokenType == TokenKindPersonal || strings.HasPrefix(token, PersonalTokenPrefix)
	if err := m.checkIntrospection(&in, personal); err != nil {
		return Caller{}, time.Time{}, err
	}
	c := Caller{
		Subject: in.Subject, Scopes: strings.Fields(in.Scope), ClientID: in.ClientID,
		Username: first(in.Username, in.PreferredUsername), Groups: in.Groups, TokenKind: TokenKindAccess,
		AMR: in.AMR, ACR: in.ACR,
	}
	if personal {
		c.TokenKind = TokenKindPersonal
	}
	var exp time.Time
	if in.Expiry != 0 {
		exp = time.Unix(in.Expiry, 0)
	}
	return c, exp, nil
}

// checkIntrospection refuses inactive tokens and answers for another
// issuer or audience, or out of their validity (with the leeway). A
// personal token is refused with Config.RefusePersonalTokens and, when
// the answer names no audience (hubauth's does not: the token is good at
// every API of its hub), accepted whatever the API's audience.
func (m *Middleware) checkIntrospection(in *introspection, personal bool) error {
	now := m.now()
	switch {
	case !in.Active:
		return invalid("the token is unknown, expired or revoked")
	case in.Subject == "":
		return invalid("the token has no subject")
	case in.Issuer != "" && in.Issuer != m.issuer:
		return invalid("the token was issued by %q, not %q", clip(in.Issuer), m.issuer)
	case in.Expiry != 0 && !now.Before(time.Unix(in.Expiry, 0).Add(m.cfg.Leeway)):
		return invalid("the token expired at %s", time.Unix(in.Expiry, 0).UTC().Format(time.RFC3339))
	case in.NotBefore != 0 && now.Add(m.cfg.Leeway).Before(time.Unix(in.NotBefore, 0)):
		return invalid("the token is not valid yet")
	}
	switch {
	case personal && m.cfg.RefusePersonalTokens:
		return invalid("personal tokens are not accepted by this API: use an access token for it")
	case personal && len(in.Audience) == 0:
		return nil
	}
	return m.checkAudience(in.Audience)
}

// userInfoAnswer is what is used of a userinfo answer (OpenID Connect Core
// §5.3.2).
type userInfoAnswer struct {
	Subject           string   `json:"sub"`
	PreferredUsername string   `json:"preferred_username"`
	Groups            []string `json:"groups"`
}

// userInfo completes c's username and groups from the issuer's userinfo
// endpoint, called with the caller's own token. The issuer refusing the
// token (401, 403) refuses it here too: hubauth's userinfo sees
// revocations that an offline check cannot.
func (m *Middleware) userInfo(ctx context.Context, token string, c Caller) (Caller, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, m.disc.UserinfoEndpoint, nil)
	if err != nil {
		return Caller{}, unavailable(err, "the userinfo request could not be made")
	}
	req.Header.Set("Authorization", "Bearer "+token)
	var in userInfoAnswer
	if err := doJSON(m.cfg.HTTPClient, req, &in); err != nil {
		var se *statusError
		if errors.As(err, &se) && (se.code == http.StatusUnauthorized || se.code == http.StatusForbidden) {
			return Caller{}, invalid("the issuer's userinfo endpoint refused the token (revoked?)")
		}
		return Caller{}, unavailable(err, "the issuer's userinfo endpoint could not be read")
	}
	if in.Subject != c.Subject {
		return Caller{}, invalid("the userinfo answer is for another subject")
	}
	if c.Username == "" {
		c.Username = in.PreferredUsername
	}
	if c.Groups == nil {
		c.Groups = in.Groups
	}
	return c, nil
}
