package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"golang.org/x/oauth2"

	"github.com/hubauth/hubauth/client/internal/store"
)

// Token returns an access token valid for at least Config.MinValid,
// refreshing the session first when needed. The token carries no refresh
// token.
//
// Config.Token, when set, is returned as is; it fails with
// ErrSessionExpired once a JWT's exp has passed. Otherwise Token fails
// with ErrNotLoggedIn when no session is stored and ErrSessionExpired
// when the session can no longer be refreshed.
//
// Refreshes are serialized within the process and, through the sessions
// file's lock, across processes: a Client that finds the file already
// refreshed by another process uses that token without a request. The
// rotated refresh token is saved. A refresh the token endpoint refuses
// with a 400 or invalid_grant marks the stored session expired: see
// refreshRefused; so does a refresh token whose keyring entry is gone
// (ErrSessionLost).
func (c *Client) Token(ctx context.Context) (*oauth2.Token, error) {
	if c.cfg.Token != "" {
		return c.static.token(c.now())
	}
	c.mu.RLock()
	if c.has && !c.sess.Expired && c.fresh(&c.sess) { // the common case, without copying the session
		tok := oauthToken(&c.sess)
		c.mu.RUnlock()
		return tok, nil
	}
	s, has := c.sess, c.has
	c.mu.RUnlock()
	if tok, done, err := c.usable(s, has); done {
		return tok, err
	}
	return c.refresh(ctx, s.AccessToken)
}

// TokenSource returns c as an oauth2.TokenSource whose Token calls
// c.Token(ctx). Wrap it in oauth2.ReuseTokenSource only if a token
// younger than MinValid is acceptable; c already caches.
func (c *Client) TokenSource(ctx context.Context) oauth2.TokenSource {
	return tokenSource{ctx: ctx, c: c}
}

type tokenSource struct {
	ctx context.Context
	c   *Client
}

func (ts tokenSource) Token() (*oauth2.Token, error) { return ts.c.Token(ts.ctx) }

// usable decides from s alone, when it can: done is false when s needs a
// refresh.
func (c *Client) usable(s store.Session, has bool) (tok *oauth2.Token, done bool, err error) {
	switch {
	case !has:
		return nil, true, ErrNotLoggedIn
	case s.Expired:
		return nil, true, ErrSessionExpired
	case c.fresh(&s):
		return oauthToken(&s), true, nil
	case !s.Refreshable():
		return nil, true, ErrSessionExpired
	}
	return nil, false, nil
}

// refresh renews the session whose access token stale is too old or was
// refused. Under the sessions file's lock it re-reads the session: if
// another goroutine or process has replaced stale with a fresh token, that
// token is used without a request.
func (c *Client) refresh(ctx context.Context, stale string) (*oauth2.Token, error) {
	c.refreshMu.Lock()
	defer c.refreshMu.Unlock()
	if s, has := c.session(); !has || s.AccessToken != stale {
		if tok, done, err := c.usable(s, has); done {
			return tok, err
		}
	}
	var (
		got, old    store.Session
		found, lost bool
	)
	err := c.store.Update(c.cfg.Server, c.cfg.Profile, func(cur store.Session, ok bool) (*store.Session, error) {
		got, found, old = cur, ok, cur
		if !ok || cur.Expired || (cur.AccessToken != stale && c.fresh(&cur)) || !cur.Refreshable() {
			return nil, errUnchanged // nothing to write: a nil session would delete it
		}
		open, err := c.unseal(cur)
		if errors.Is(err, ErrSessionLost) { // as good as refused: log in again
			got.Expired, got.Keyring, lost = true, "", true
			return &got, nil
		}
		if err != nil {
			return nil, err
		}
		next, err := c.redeem(ctx, open)
		if errors.Is(err, errRefreshRefused) {
			got.Expired = true
			return &got, nil
		}
		if err != nil {
			return nil, err
		}
		got = c.seal(next, c.toKeyring(cur, ok))
		c.refreshed.Store(c.now().UnixNano())
		return &got, nil
	})
	if err != nil && err != errUnchanged {
		return nil, err
	}
	if err == nil {
		c.forget(old.Keyring, got.Keyring) // the token moved back to the file
	}
	c.setSession(got, found)
	if lost {
		return nil, errSessionLost
	}
	if tok, done, err := c.usable(got, found); done {
		return tok, err
	}
	return oauthToken(&got), nil // refreshed, but the provider grants less than MinValid
}

// errUnchanged ends a store.Update that has nothing to write.
var errUnchanged = errors.New("client: session unchanged")

// errRefreshRefused reports a refresh token the provider no longer accepts.
var errRefreshRefused = errors.New("client: refresh refused")

// refreshRefused reports whether the token endpoint refused the refresh
// token itself, rather than failing: invalid_grant (RFC 6749 §5.2), or
// any other 400, which §5.2 reserves for a request the server will not
// honour as sent. Dex answers invalid_request when its one refresh token
// per user and client has been replaced; retrying cannot help.
func refreshRefused(err error) bool {
	var re *oauth2.RetrieveError
	return errors.As(err, &re) &&
		(re.ErrorCode == "invalid_grant" || (re.Response != nil && re.Response.StatusCode == http.StatusBadRequest))
}

// redeem exchanges s's refresh token for a new token (RFC 6749 §6) and
// returns s updated with it. The refresh token is bound to the client
// that obtained it, so s's client is used.
func (c *Client) redeem(ctx context.Context, s store.Session) (store.Session, error) {
	m, err := c.discover(ctx)
	if err != nil {
		return s, err
	}
	src := c.oauthConfig(m, clientOf(s)).TokenSource(c.oauthContext(ctx), &oauth2.Token{RefreshToken: s.RefreshToken})
	tok, err := src.Token()
	if refreshRefused(err) {
		return s, errRefreshRefused
	}
	if err != nil {
		return s, fmt.Errorf("client: refresh the session: %w", err)
	}
	return c.applyToken(s, tok), nil
}

// applyToken returns s carrying tok's tokens, expiry and granted scopes.
// A response without a new refresh token keeps the old one.
func (c *Client) applyToken(s store.Session, tok *oauth2.Token) store.Session {
	s.AccessToken, s.TokenType, s.Expired = tok.AccessToken, tok.TokenType, false
	if tok.RefreshToken != "" {
		s.RefreshToken = tok.RefreshToken
	}
	if id, _ := tok.Extra("id_token").(string); id != "" {
		s.IDToken = id
	}
	if scope, _ := tok.Extra("scope").(string); scope != "" {
		s.Scopes = splitScope(scope)
	}
	s.Expiry = c.expiry(tok.AccessToken, tok.ExpiresIn)
	return s
}

// oauthToken is the x/oauth2 view of s. It carries no refresh token: the
// Client alone refreshes, so that rotation stays serialized.
func oauthToken(s *store.Session) *oauth2.Token {
	return &oauth2.Token{AccessToken: s.AccessToken, TokenType: s.TokenType, Expiry: s.Expiry}
}
