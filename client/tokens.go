package client

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"time"
)

// A PersonalToken is one of the user's personal (app) tokens as the hub
// lists it: never the secret.
type PersonalToken struct {
	ID     string   `json:"id"`
	Name   string   `json:"name"`
	Scopes []string `json:"scopes"`
	// CreatedAt is when the token was created.
	CreatedAt time.Time `json:"created_at"`
	// ExpiresAt is when it stops working; zero for a token that does not
	// expire (where the operator allows them).
	ExpiresAt time.Time `json:"expires_at"`
	// LastUsedAt is when a request last presented it; zero if never.
	LastUsedAt time.Time `json:"last_used_at"`
}

// NewToken is a personal token just created: its description and its
// secret, which the hub shows this once and keeps only as a hash.
type NewToken struct {
	PersonalToken
	// Token is the secret (hubauth_pat_…), to be used as a bearer token.
	Token string `json:"token"`
}

// TokenRequest describes a personal token to create.
type TokenRequest struct {
	// Name labels the token; it must be unique among the user's tokens
	// (1 to 64 characters, no surrounding spaces).
	Name string
	// ExpiresIn is the token's lifetime, in whole seconds, at most the
	// server's maximum (720h by default). It is required unless
	// NeverExpires is set.
	ExpiresIn time.Duration
	// NeverExpires asks for a token without expiry, which a server allows
	// only where its operator chose to (hubauth serve
	// --app-token-no-expiry); ExpiresIn must then be zero.
	NeverExpires bool
	// Scopes are the scopes the token grants, a subset of those of the
	// session creating it. Empty means none beyond the user's identity.
	Scopes []string
}

// CreateToken creates a personal token (POST /api/v1/tokens) and returns
// it with its secret. The server refuses, as an *HTTPError, an unknown
// scope (422 invalid_scope, listing the valid scopes), an expiry over its
// maximum or a token without expiry it does not allow (422, naming the
// maximum), a name in use (409, matching ErrConflict) and
// a scope the session does not hold itself (403, matching ErrForbidden).
// A personal token cannot create another one: log in first.
func (c *Client) CreateToken(ctx context.Context, r TokenRequest) (NewToken, error) {
	switch {
	case r.NeverExpires && r.ExpiresIn != 0:
		return NewToken{}, errors.New("client: a token cannot both expire and never expire")
	case !r.NeverExpires && r.ExpiresIn < time.Second:
		return NewToken{}, errors.New("client: a token needs an expiry of at least one second, or NeverExpires")
	}
	in := struct {
		Name      string   `json:"name"`
		ExpiresIn int64    `json:"expires_in"`
		Scopes    []string `json:"scopes"`
	}{r.Name, int64(r.ExpiresIn / time.Second), r.Scopes}
	if in.Scopes == nil {
		in.Scopes = []string{}
	}
	var out NewToken
	if err := c.apiRequest(ctx, http.MethodPost, "/tokens", in, &out); err != nil {
		return NewToken{}, err
	}
	return out, nil
}

// Tokens lists the user's personal tokens (GET /api/v1/tokens), without
// their secrets.
func (c *Client) Tokens(ctx context.Context) ([]PersonalToken, error) {
	return apiList[PersonalToken](ctx, c, "/tokens")
}

// RevokeToken revokes the personal token with id (DELETE
// /api/v1/tokens/{id}): it stops working at once on the hub. An unknown
// id, or a token of someone else, is an *HTTPError matching ErrNotFound.
func (c *Client) RevokeToken(ctx context.Context, id string) error {
	if id == "" {
		return errors.New("client: no token id given")
	}
	return c.apiRequest(ctx, http.MethodDelete, "/tokens/"+url.PathEscape(id), nil, nil)
}

// RotateToken gives the personal token with id a new secret (POST
// /api/v1/tokens/{id}/rotate) and returns it: the same name, scopes and
// lifetime, counted from now. The old secret stops working at once. An
// unknown id, or a token of someone else, is an *HTTPError matching
// ErrNotFound; a revoked or expired token one matching ErrConflict. A
// personal token cannot rotate one: log in first.
func (c *Client) RotateToken(ctx context.Context, id string) (NewToken, error) {
	if id == "" {
		return NewToken{}, errors.New("client: no token id given")
	}
	var out NewToken
	if err := c.apiRequest(ctx, http.MethodPost, "/tokens/"+url.PathEscape(id)+"/rotate", nil, &out); err != nil {
		return NewToken{}, err
	}
	return out, nil
}
