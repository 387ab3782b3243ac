package client

import (
	"context"
	"errors"
	"net/http"
	"net/url"

	"github.com/hubauth/hubauth/client/internal/store"
)

// endAtHub ends s's login at a hub through its sessions API with s's
// access token alone (GET /api/v1/sessions for the current one, then
// DELETE /api/v1/sessions/{id}): the way out when the refresh token
// cannot be read from the keyring to revoke it. It never refreshes; an
// access token that has expired, or a server that is no hub, is an error.
func (c *Client) endAtHub(ctx context.Context, s store.Session) error {
	if s.AccessToken == "" || (!s.Expiry.IsZero() && !s.Expiry.After(c.now())) {
		return errors.New("its access token has expired")
	}
	var list listResponse[LoginSession]
	if err := c.bearerRequest(ctx, http.MethodGet, "/sessions", s.AccessToken, &list); err != nil {
		return err
	}
	for _, ls := range list.Data {
		if ls.Current {
			return c.bearerRequest(ctx, http.MethodDelete, "/sessions/"+url.PathEscape(ls.ID), s.AccessToken, nil)
		}
	}
	return errors.New("the hub lists no current session for its access token")
}

// bearerRequest sends a request without body to the JSON API at path
// with token, and decodes the answer into out when not nil.
func (c *Client) bearerRequest(ctx context.Context, method, path, token string, out any) error {
	req, err := c.newAPIRequest(ctx, method, path, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := c.providerClient().Do(req)
	if err != nil {
		return unreachable(c.cfg.Server, err)
	}
	defer resp.Body.Close()
	if err := CheckResponse(resp); err != nil {
		return err
	}
	return decodeAPIAnswer(resp, method, path, out)
}
