package cli

import (
	"errors"
	"strings"
	"unicode"

	"github.com/spf13/cobra"

	"github.com/hubauth/hubauth/client"
	"github.com/hubauth/hubauth/internal/cli/cmdutil"
)

// NewCmdTokens returns `hubauth tokens`: the user's personal tokens.
func NewCmdTokens(f *Factory) *cobra.Command {
	cmd := cmdutil.NewGroup("tokens", "Create, list, rotate and revoke your personal tokens",
		NewCmdTokensCreate(f, nil), NewCmdTokensList(f, nil), NewCmdTokensRotate(f, nil), NewCmdTokensRevoke(f, nil), NewCmdTokensNew(f, nil))
	cmd.Long = `Personal tokens are long-lived, named, scoped tokens for scripts and CI jobs:
use one as HUBAUTH_TOKEN or as a bearer token. The server keeps only a hash:
the secret is shown once, when the token is created. These commands use the
session of hubauth login (or HUBAUTH_TOKEN holding an access token with
the tokens:read and tokens:write scopes: a personal token never manages
personal tokens) on $HUBAUTH_SERVER, else the only stored server. The same
tokens are NOMAD's personal access tokens (/api/v1/auth/pats).`
	return cmd
}

// accountClient returns the client of a command that calls the hub's JSON
// API with the session: without one it is the not-logged-in error (exit
// 4), before any request.
func (o *userOptions) accountClient() (*userClient, error) {
	c, err := o.client(ClientOptions{})
	if err != nil {
		return nil, err
	}
	if _, ok := c.Session(); !ok {
		return nil, c.notLoggedIn()
	}
	return c, nil
}

// apiError is the error of a JSON API call for the user: log in again
// (exit 4) for the SDK's authentication errors and 401, "not a hubauth
// server" for a provider without the API, the server's own message (exit
// 1) for other refusals.
func (c *userClient) apiError(err error) error {
	if errors.Is(err, client.ErrNotLoggedIn) || errors.Is(err, client.ErrSessionExpired) {
		return c.authError(err)
	}
	var nh *client.NotHubError
	if errors.As(err, &nh) {
		return notHubError(nh, c.Command)
	}
	var herr *client.HTTPError
	if errors.As(err, &herr) && herr.Description != "" {
		return &serverError{err: herr}
	}
	return err
}

// serverError shows a server's refusal as its description alone, e.g.
// `you have no token with id "x"`; it unwraps to the *client.HTTPError.
type serverError struct{ err *client.HTTPError }

// Error returns the server's description without control characters.
func (e *serverError) Error() string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, e.err.Description)
}

// Unwrap returns the *client.HTTPError.
func (e *serverError) Unwrap() error { return e.err }

// addJSONFlag adds --json to cmd.
func addJSONFlag(cmd *cobra.Command, p *bool, what string) {
	cmd.Flags().BoolVar(p, "json", false, "print "+what+" as JSON")
}

// runOrF is the RunE tail of every command here: runF when a test gave
// one, else run.
func runOrF[T any](opts T, runF func(T) error, run func(T) error) error {
	if runF != nil {
		return runF(opts)
	}
	return run(opts)
}
