package client

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"time"
)

// A LoginSession is one of the user's logins (browser, device, password)
// as the hub lists it: the client it was made with, its name, when and
// from where. It holds no token.
type LoginSession struct {
	ID       string `json:"id"`
	ClientID string `json:"client_id"`
	// ClientName is the client's display name, else its id.
	ClientName string `json:"client_name"`
	// Method is how the user logged in: MethodBrowser, MethodDevice or
	// MethodPassword.
	Method string `json:"method"`
	// Name is the label given at login (--token-name), if any.
	Name string `json:"name"`
	// Address is the network address the login came from, if known.
	Address    string    `json:"address"`
	CreatedAt  time.Time `json:"created_at"`
	LastUsedAt time.Time `json:"last_used_at"`
	// Current reports the session the request was made with.
	Current bool `json:"current"`
	// ActingFor is, for a service acting for the user (RFC 8693 token
	// exchange; Method "exchange"), the ID of the login it acts from, or
	// pat:<id> for a personal token: it ends with that login or token.
	// Actors are the clients acting, this session's first.
	ActingFor string   `json:"acting_for,omitempty"`
	Actors    []string `json:"actors,omitempty"`
	// PersonalToken is, for a service acting from a personal token, that
	// token's ID (Name is its name).
	PersonalToken string `json:"personal_token,omitempty"`
}

// Sessions lists the user's active logins (GET /api/v1/sessions).
func (c *Client) Sessions(ctx context.Context) ([]LoginSession, error) {
	return apiList[LoginSession](ctx, c, "/sessions")
}

// RevokeSession ends the login with id (DELETE /api/v1/sessions/{id}):
// its refresh tokens stop working. An unknown id, or a session of someone
// else, is an *HTTPError matching ErrNotFound. Revoking the current
// session logs this Client out at its next refresh; use Logout for that.
func (c *Client) RevokeSession(ctx context.Context, id string) error {
	if id == "" {
		return errors.New("client: no session id given")
	}
	return c.apiRequest(ctx, http.MethodDelete, "/sessions/"+url.PathEscape(id), nil, nil)
}
