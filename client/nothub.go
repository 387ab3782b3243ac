package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
)

// ErrNotHub means the server is an OpenID provider but not a hubauth
// server: it has no hubauth JSON API (/api/v1), so personal tokens,
// sessions, users and groups cannot be managed through the SDK there. The
// error is a *NotHubError.
var ErrNotHub = errors.New("client: not a hubauth server")

// NotHubError is the error of a hubauth API call (Tokens, CreateToken,
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

// checkHubPath is a path below /api/v1 that no hub serves (the API's root
// is its dashboard, an HTML page): CheckHub expects the hub's 404 there.
const checkHubPath = "/check-hub"

// hubNotFound is the error code of every 404 of hubauth's JSON API: an
// unknown path and an unknown token, session, user or group alike.
const hubNotFound = "not_found"

// hubs404 reports whether herr is a 404 as hubauth's JSON API gives it,
// with its JSON error "not_found": the one rule by which the SDK tells a
// hub from another server.
func hubs404(herr *HTTPError) bool {
	return herr.StatusCode == http.StatusNotFound && herr.Code == hubNotFound
}

// notHub returns a *NotHubError when err, an answer of the JSON API, is a
// 404 that is not a hub's (hubs404). Other errors are returned as they
// are.
func (c *Client) notHub(ctx context.Context, err error) error {
	var herr *HTTPError
	if !errors.As(err, &herr) || herr.StatusCode != http.StatusNotFound || hubs404(herr) {
		return err
	}
	return c.notHubError(ctx)
}

// CheckHub tells, with one request that carries no credentials, whether
// the server is a hubauth server: nil if it is, a *NotHubError (ErrNotHub)
// if not, another error if it cannot be told (unreachable, a server error
// or 429). It asks for checkHubPath, which a hub answers with its own 404
// (hubs404); any other answer is another server's.
func (c *Client) CheckHub(ctx context.Context) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.cfg.Server+apiPrefix+checkHubPath, nil)
	if err != nil {
		return fmt.Errorf("client: %w", err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := c.providerClient().Do(req)
	if err != nil {
		return unreachable(c.cfg.Server, err)
	}
	defer resp.Body.Close()
	var herr *HTTPError
	if errors.As(CheckResponse(resp), &herr) {
		switch {
		case hubs404(herr):
			return nil
		case herr.StatusCode >= 500 || herr.StatusCode == http.StatusTooManyRequests:
			return herr
		}
	}
	return c.notHubError(ctx)
}

// notHubError is the *NotHubError for this Client's server.
func (c *Client) notHubError(ctx context.Context) error {
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
