package cli

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"golang.org/x/oauth2"
)

// errResourceIgnored is returned when a token asked for an API (RFC 8707)
// still names the CLI itself in its aud: the provider ignored the resource,
// and handing that account-wide token to the API would let it act as the
// user everywhere the CLI can.
var errResourceIgnored = errors.New("the provider ignored the resource")

// resourceTokenSource returns tokens for the API resource from the
// session of c: client.ResourceTokenSource, refusing any token whose aud
// names the session's own client (errResourceIgnored).
func resourceTokenSource(ctx context.Context, c *userClient, resource string) (oauth2.TokenSource, error) {
	info, has := c.Session()
	if !has {
		return nil, c.notLoggedIn()
	}
	ts, err := c.ResourceTokenSource(ctx, resource)
	if err != nil {
		return nil, &UsageError{Err: err}
	}
	return &audienceChecked{ts: ts, resource: resource, clientID: info.ClientID}, nil
}

// audienceChecked is resourceTokenSource's result.
type audienceChecked struct {
	ts       oauth2.TokenSource
	resource string
	clientID string
}

// Token returns the next token unless its aud names the CLI's client.
func (a *audienceChecked) Token() (*oauth2.Token, error) {
	tok, err := a.ts.Token()
	if err != nil {
		return nil, err
	}
	if a.clientID != "" && slices.Contains(jwtAudience(tok.AccessToken), a.clientID) {
		return nil, fmt.Errorf("%w %s: its token is for %s (your account-wide token), so it is not handed out; ask the hub's administrator to register the API (hubauth admin api add)",
			errResourceIgnored, a.resource, a.clientID)
	}
	return tok, nil
}

// jwtAudience is the aud of token when it is a JWT (a string or a list),
// read without verifying it; nil for an opaque token.
func jwtAudience(token string) []string {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return nil
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return nil
	}
	var claims struct {
		Aud json.RawMessage `json:"aud"`
	}
	if json.Unmarshal(payload, &claims) != nil || len(claims.Aud) == 0 {
		return nil
	}
	var one string
	if json.Unmarshal(claims.Aud, &one) == nil {
		return []string{one}
	}
	var list []string
	_ = json.Unmarshal(claims.Aud, &list)
	return list
}
