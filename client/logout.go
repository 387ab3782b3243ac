package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"golang.org/x/oauth2"

	"github.com/hubauth/hubauth/client/internal/store"
)

// Logout ends the stored session: it revokes the refresh token (or, for
// a session without one, the access token) at the provider's revocation
// endpoint (RFC 7009), then deletes the session locally, with its
// keyring entry if it has one.
//
// The local session is deleted even when the provider cannot be told (it
// is unreachable, has no revocation endpoint, or refuses): the error then
// matches ErrServerNotTold and wraps the cause. Logout fails with
// ErrNotLoggedIn when no session is stored. Config.Token is not touched.
//
// When the refresh token is in a keyring that cannot be read (locked, or
// not answering), a hub's login is ended through its sessions API with
// the access token instead (endAtHub); if that fails too, the session is
// kept, so that the refresh token is not left valid with nothing to
// revoke it, and the error matches ErrKeyringUnavailable.
func (c *Client) Logout(ctx context.Context) error {
	s, ok, err := c.store.Load(c.cfg.Server, c.cfg.Profile)
	if err != nil {
		return err
	}
	if !ok {
		c.setSession(store.Session{}, false)
		return ErrNotLoggedIn
	}
	open, err := c.unseal(s)
	var revokeErr error
	switch {
	case errors.Is(err, ErrKeyringUnavailable):
		if hubErr := c.endAtHub(ctx, s); hubErr != nil {
			return fmt.Errorf("%w; logout kept the session, so as not to leave that token valid at %s, which could not end it otherwise (%s): log out again once the keyring is unlocked",
				err, c.cfg.Server, trimPrefix(hubErr.Error()))
		}
	case err != nil: // the entry is gone: revoke the access token instead
		open.RefreshToken = ""
		revokeErr = c.revoke(ctx, open)
	default:
		revokeErr = c.revoke(ctx, open)
	}
	if _, err := c.store.Delete(c.cfg.Server, c.cfg.Profile); err != nil {
		return err
	}
	c.forget(s.Keyring, "")
	c.setSession(store.Session{}, false)
	if revokeErr != nil {
		return &flowError{msg: fmt.Sprintf("%v (%s)", ErrServerNotTold, trimPrefix(revokeErr.Error())), errs: []error{ErrServerNotTold, revokeErr}}
	}
	return nil
}

// LogoutAll ends every session in the sessions file, as Logout does for
// each; c's own Server and Profile do not matter. Each error names its
// server and profile; they are joined (errors.Join), so errors.Is(err,
// ErrServerNotTold) reports whether any server was not told.
func (c *Client) LogoutAll(ctx context.Context) error {
	list, err := c.store.List()
	if err != nil {
		return err
	}
	var errs []error
	for _, s := range list {
		cfg := c.cfg
		cfg.Server, cfg.Profile, cfg.ClientID, cfg.Token = s.Server, s.Profile, s.ClientID, ""
		other := &Client{cfg: cfg, store: c.store, vault: c.vault}
		if err := other.Logout(ctx); err != nil && !errors.Is(err, ErrNotLoggedIn) {
			errs = append(errs, &flowError{msg: fmt.Sprintf("client: %s (%s): %s", s.Server, s.Profile, trimPrefix(err.Error())), errs: []error{err}})
		}
	}
	if c.cfg.Token == "" {
		s, ok, _ := c.store.Load(c.cfg.Server, c.cfg.Profile)
		c.setSession(s, ok)
	}
	return errors.Join(errs...)
}

// revoke asks the provider to revoke s's refresh token, else its access
// token (RFC 7009 §2.1), as the client that obtained it: by client_id
// alone for a public client, else with its secret as at the token
// endpoint.
func (c *Client) revoke(ctx context.Context, s store.Session) error {
	m, err := c.discover(ctx)
	if err != nil {
		return err
	}
	if m.RevocationEndpoint == "" {
		return fmt.Errorf("client: %s has no revocation endpoint", c.cfg.Server)
	}
	form := url.Values{"token": {s.RefreshToken}, "token_type_hint": {"refresh_token"}}
	if s.RefreshToken == "" {
		form.Set("token", s.AccessToken)
		form.Set("token_type_hint", "access_token")
	}
	a := clientOf(s)
	basic := m.authStyle(a) == oauth2.AuthStyleInHeader
	if !basic {
		form.Set("client_id", a.ID)
	}
	if !basic && a.Secret != "" {
		form.Set("client_secret", a.Secret)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, m.RevocationEndpoint, strings.NewReader(form.Encode()))
	if err != nil {
		return fmt.Errorf("client: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if basic { // RFC 6749 §2.3.1: both form-encoded first
		req.SetBasicAuth(url.QueryEscape(a.ID), url.QueryEscape(a.Secret))
	}
	resp, err := c.providerClient().Do(req)
	if err != nil {
		return unreachable(c.cfg.Server, err)
	}
	defer resp.Body.Close()
	// RFC 7009 §2.2: 200 even for an unknown token. A refusal is not
	// returned as an *HTTPError: a 401 here is no sign of being logged out.
	if err := CheckResponse(resp); err != nil {
		return errors.New("client: the revocation was refused: " + trimPrefix(err.Error()))
	}
	return nil
}
