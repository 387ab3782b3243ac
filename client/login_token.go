package client

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/oauth2"
)

// TokenOptions configure LoginToken.
type TokenOptions struct {
	// Force replaces a live stored session instead of failing with
	// ErrSessionExists.
	Force bool
}

// LoginToken stores token, an access token or personal token obtained
// elsewhere, as the session (method "token"). Such a session is never
// refreshed: once the token expires, Token fails with ErrSessionExpired.
// If token is a JWT, its exp is read (not verified) to know when.
//
// LoginToken asks the provider's userinfo endpoint whose token it is; a
// token the provider refuses there (401) is not stored, and the error
// matches ErrNotLoggedIn.
func (c *Client) LoginToken(ctx context.Context, token string, opts TokenOptions) error {
	token = strings.TrimSpace(token)
	if token == "" {
		return errors.New("client: no token given")
	}
	if claims, ok := peekJWT(token); ok && !claims.expiry().IsZero() && !c.now().Before(claims.expiry()) {
		return fmt.Errorf("client: the token expired at %s", claims.expiry().Format("2006-01-02 15:04:05 MST"))
	}
	if err := c.checkReplace(opts.Force); err != nil {
		return err
	}
	if _, err := c.discover(ctx); err != nil {
		return err
	}
	err := c.finishLogin(ctx, MethodToken, &oauth2.Token{AccessToken: token, TokenType: "Bearer"}, opts.Force)
	if errors.Is(err, ErrNotLoggedIn) {
		return &flowError{msg: "client: " + c.cfg.Server + " does not accept this token: " + trimPrefix(err.Error()), errs: []error{err}}
	}
	return err
}
