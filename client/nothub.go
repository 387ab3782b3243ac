package client

import (
	"context"
	"errors"
	"net/http"
	"net/url"
)

// ErrNotHub means the server is an OpenID provider but not a hubauth
// server: it has no hubauth JSON API (/api/v1), so personal tokens,
// sessions, users and groups cannot be managed through the SDK there. The
// error is a *NotHubError.
var ErrNotHub = errors.New("client: not a hubauth server")

// NotHubError is the error of a hubauth API call (PersonalTokens,
// Sessions, Users, …) to a provider that is not a hubauth server.
type NotHubError struct {
	Server string
	// AccountURI is where the provider says its accounts are managed
	// (account_management_uri of its discovery document, as Matrix's
	// MSC4191 defines it), "" when it says nothing.
	AccountURI string
}

// Error says which server, and where its accounts are managed if known.
func (e *NotHubError) Error() string {
	msg := "client: " + e.Server + " is not a hubauth server (it has no " + apiPrefix + ")"
	if e.AccountURI != "" {
		msg += "; its accounts are managed at " + e.AccountURI
	}
	return msg
}

// Is reports whether target is ErrNotHub.
func (e *NotHubError) Is(target error) bool { return target == ErrNotHub }

// hubNotFound is the error code of every 404 of hubauth's JSON API: an
// unknown path and an unknown token, session, user or group alike.
const hubNotFound = "not_found"

// notHub returns a *NotHubError when err, an answer of the JSON API, is a
// 404 that hubauth would not give (not its JSON error): the one place the
// SDK decides that a server is not a hub. Other errors are returned as
// they are.
func (c *Client) notHub(ctx context.Context, err error) error {
	var herr *HTTPError
	if !errors.As(err, &herr) || herr.StatusCode != http.StatusNotFound || herr.Code == hubNotFound {
		return err
	}
	e := &NotHubError{Server: c.cfg.Server}
	if m, err := c.discover(ctx); err == nil && isWebURL(m.AccountManagementURI) {
		e.AccountURI = m.AccountManagementURI
	}
	return e
}

// isWebURL reports whether s is an absolute http(s) URL.
func isWebURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}
