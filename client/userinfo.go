package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
)

// UserInfo is the OpenID Connect userinfo response (OpenID Connect Core
// 1.0 §5.3): the standard claims the SDK names, and all of them in Claims.
type UserInfo struct {
	Subject  string `json:"sub"`
	Username string `json:"preferred_username"`
	Name     string `json:"name"`
	Email    string `json:"email"`
	// Claims holds every claim of the response, the above included.
	Claims map[string]any `json:"-"`
}

// Userinfo asks the provider's userinfo endpoint who the session belongs
// to, refreshing the session as HTTPClient does. It fails with an error
// matching ErrNotLoggedIn when the provider refuses the token, and with
// errors.ErrUnsupported when the provider has no userinfo endpoint. A
// session that cannot be used (expired, or none) fails before any request.
func (c *Client) Userinfo(ctx context.Context) (*UserInfo, error) {
	if _, err := c.Token(ctx); err != nil {
		return nil, err
	}
	m, err := c.discover(ctx)
	if err != nil {
		return nil, err
	}
	if m.UserinfoEndpoint == "" {
		return nil, fmt.Errorf("client: %s has no userinfo endpoint: %w", c.cfg.Server, errors.ErrUnsupported)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, m.UserinfoEndpoint, nil)
	if err != nil {
		return nil, fmt.Errorf("client: %w", err)
	}
	resp, err := c.HTTPClient(ctx).Do(req)
	if err != nil {
		return nil, unreachable(c.cfg.Server, err)
	}
	return readUserinfo(resp)
}

// fetchUserinfo asks the userinfo endpoint about accessToken, with no
// refresh: it identifies a session before it is stored.
func (c *Client) fetchUserinfo(ctx context.Context, endpoint, accessToken string) (*UserInfo, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, endpoint, nil)
	if err != nil {
		return nil, fmt.Errorf("client: %w", err)
	}
	req.Header.Set("Authorization", "Bearer "+accessToken)
	resp, err := c.providerClient().Do(req)
	if err != nil {
		return nil, unreachable(c.cfg.Server, err)
	}
	return readUserinfo(resp)
}

// readUserinfo decodes a userinfo response and closes it.
func readUserinfo(resp *http.Response) (*UserInfo, error) {
	defer resp.Body.Close()
	if err := CheckResponse(resp); err != nil {
		return nil, err
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, fmt.Errorf("client: read userinfo: %w", err)
	}
	var info UserInfo
	if err := json.Unmarshal(body, &info); err != nil {
		return nil, fmt.Errorf("client: the userinfo response is not a JSON object")
	}
	if err := json.Unmarshal(body, &info.Claims); err != nil {
		return nil, fmt.Errorf("client: the userinfo response is not a JSON object")
	}
	return &info, nil
}
