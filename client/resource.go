package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"

	"github.com/hubauth/hubauth/client/internal/store"
)

// ResourceTokenSource returns access tokens for one API, the resource
// indicator resource (RFC 8707): an absolute URI without a fragment, such
// as https://data.example.org/api. A provider that knows the API puts it
// in the token's aud, so the token is accepted there and nowhere else;
// one that does not support resource indicators ignores the parameter
// (its tokens then have their usual audience).
//
// Each token is obtained by refreshing the session with resource (RFC 8707
// §2.2) when the last one expires within Config.MinValid. The rotated
// refresh token is saved, and the access token is kept with the session
// (store.Session.ResourceTokens, apart from the session's own), so that
// later processes reuse it until it expires within MinValid; a logout, a
// new login or an expired session drops it.
// Errors are those of Token: ErrNotLoggedIn, ErrSessionExpired, …. A
// Client with Config.Token has no refresh token to ask with and fails.
func (c *Client) ResourceTokenSource(ctx context.Context, resource string) (oauth2.TokenSource, error) {
	u, err := url.Parse(resource)
	if err != nil || !u.IsAbs() || u.Fragment != "" || strings.Contains(resource, "#") {
		return nil, fmt.Errorf("client: resource %q must be an absolute URI without a fragment (RFC 8707 §2)", resource)
	}
	if c.cfg.Token != "" {
		return nil, errors.New("client: a token given as is (HUBAUTH_TOKEN) cannot be refreshed for a resource: log in instead")
	}
	return &resourceSource{ctx: ctx, c: c, resource: resource}, nil
}

// resourceSource is ResourceTokenSource's result.
type resourceSource struct {
	ctx      context.Context
	c        *Client
	resource string

	mu  sync.Mutex // one refresh at a time; guards tok
	tok *oauth2.Token
}

// Token returns the last token while it stays valid for MinValid, else a
// new one.
func (s *resourceSource) Token() (*oauth2.Token, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tok != nil && (s.tok.Expiry.IsZero() || s.c.validFor(s.tok.Expiry)) {
		return s.tok, nil
	}
	if cur, has := s.c.session(); has {
		if tok, ok := s.c.keptFor(&cur, s.resource); ok {
			s.tok = tok
			return tok, nil
		}
	}
	tok, err := s.c.refreshFor(s.ctx, s.resource)
	if err != nil {
		return nil, err
	}
	s.tok = tok
	return tok, nil
}

// keptFor returns the token s keeps for resource while it stays valid
// for MinValid; never one of an expired session.
func (c *Client) keptFor(s *store.Session, resource string) (*oauth2.Token, bool) {
	t, ok := s.ResourceToken(resource)
	if !ok || s.Expired || !c.validFor(t.Expiry) {
		return nil, false
	}
	return &oauth2.Token{AccessToken: t.AccessToken, TokenType: t.TokenType, Expiry: t.Expiry}, true
}

// validFor reports whether a token expiring at expiry stays valid for
// MinValid; an unknown (zero) expiry does not.
func (c *Client) validFor(expiry time.Time) bool {
	return !expiry.IsZero() && expiry.Add(-c.cfg.MinValid).After(c.now())
}

// refreshFor redeems the stored session's refresh token for an access
// token for resource, under the sessions file's lock, and saves the
// rotated refresh token where the session keeps it (the file or the
// keyring), as refresh does, with the access token among the session's
// ResourceTokens. A token for resource that another process saved
// meanwhile is used without a request.
func (c *Client) refreshFor(ctx context.Context, resource string) (*oauth2.Token, error) {
	c.refreshMu.Lock()
	defer c.refreshMu.Unlock()
	var (
		tok         *oauth2.Token
		saved, old  store.Session
		found, lost bool
	)
	err := c.store.Update(c.cfg.Server, c.cfg.Profile, func(cur store.Session, ok bool) (*store.Session, error) {
		saved, found, old = cur, ok, cur
		switch {
		case !ok:
			return nil, ErrNotLoggedIn
		case cur.Expired || !cur.Refreshable():
			return nil, ErrSessionExpired
		}
		if t, ok := c.keptFor(&cur, resource); ok {
			tok = t
			return nil, errUnchanged
		}
		open, err := c.unseal(cur)
		if errors.Is(err, ErrSessionLost) { // as good as refused: log in again
			saved.Expired, saved.Keyring, lost = true, "", true
			return &saved, nil
		}
		if err != nil {
			return nil, err
		}
		t, err := c.redeemFor(ctx, open, resource)
		if errors.Is(err, errRefreshRefused) {
			saved.Expired = true
			return &saved, nil
		}
		if err != nil {
			return nil, err
		}
		tok = &oauth2.Token{AccessToken: t.AccessToken, TokenType: t.TokenType, Expiry: c.expiry(t.AccessToken, t.ExpiresIn)}
		if t.RefreshToken != "" {
			open.RefreshToken = t.RefreshToken
		}
		saved = c.seal(open, c.toKeyring(cur, ok)) // the session's access token stays
		saved.PutResourceToken(store.ResourceToken{Resource: resource, AccessToken: tok.AccessToken,
			TokenType: tok.TokenType, Expiry: tok.Expiry, ObtainedAt: c.now().UTC()})
		c.refreshed.Store(c.now().UnixNano())
		return &saved, nil
	})
	if err != nil && err != errUnchanged {
		return nil, err
	}
	if err == nil {
		c.forget(old.Keyring, saved.Keyring)
	}
	c.setSession(saved, found)
	switch {
	case lost:
		return nil, errSessionLost
	case tok == nil:
		return nil, ErrSessionExpired
	}
	return tok, nil
}

// redeemFor is the refresh request of RFC 6749 §6 with RFC 8707's
// resource parameter, which x/oauth2's refreshing TokenSource cannot send.
func (c *Client) redeemFor(ctx context.Context, s store.Session, resource string) (*oauth2.Token, error) {
	m, err := c.discover(ctx)
	if err != nil {
		return nil, err
	}
	a := clientOf(s)
	form := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {s.RefreshToken}, "resource": {resource}}
	basic := m.authStyle(a) == oauth2.AuthStyleInHeader
	if !basic {
		form.Set("client_id", a.ID)
		if a.Secret != "" {
			form.Set("client_secret", a.Secret)
		}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, m.TokenEndpoint, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, fmt.Errorf("client: %w", err)
	}
	if basic {
		req.SetBasicAuth(url.QueryEscape(a.ID), url.QueryEscape(a.Secret)) // RFC 6749 §2.3.1
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	resp, err := c.providerClient().Do(req)
	if err != nil {
		return nil, unreachable(c.cfg.Server, err)
	}
	defer resp.Body.Close()
	err = CheckResponse(resp)
	// Only invalid_grant says the refresh token is no good (RFC 6749 §5.2).
	// Unlike a plain refresh (refreshRefused), any other 400 may be about
	// the resource parameter (invalid_target, a provider's invalid_request
	// or invalid_scope): an error for this resource, the session kept.
	var herr *HTTPError
	if errors.As(err, &herr) && herr.Code == "invalid_grant" {
		return nil, errRefreshRefused
	}
	if err != nil {
		return nil, fmt.Errorf("client: refresh the session for %s: %w", resource, err)
	}
	return decodeTokenResponse(resp.Body)
}
