package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
)

// maxAPIBody bounds a JSON API answer read by the SDK.
const maxAPIBody = 4 << 20

// apiPrefix is the path of hubauth's JSON API, relative to the server.
const apiPrefix = "/api/v1"

// listResponse is the shape of the JSON API's list answers.
type listResponse[T any] struct {
	Data []T `json:"data"`
}

// apiRequest sends a request to hubauth's JSON API at path (below
// /api/v1, with query already escaped into it) with in as its JSON body
// when not nil, and decodes the answer into out when not nil.
//
// It fails with ErrNotLoggedIn or ErrSessionExpired before any request
// when there is no usable session, with a *NotHubError (ErrNotHub) when
// the server is not a hubauth server, and with an *HTTPError when the
// server refuses (matching ErrNotFound, ErrConflict, ErrForbidden or
// ErrNotLoggedIn by status).
func (c *Client) apiRequest(ctx context.Context, method, path string, in, out any) error {
	req, err := c.newAPIRequest(ctx, method, path, in)
	if err != nil {
		return err
	}
	if _, err := c.Token(ctx); err != nil {
		return err
	}
	resp, err := c.HTTPClient(ctx).Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) && (errors.Is(ue.Err, ErrSessionExpired) || errors.Is(ue.Err, ErrNotLoggedIn)) {
			return ue.Err
		}
		return unreachable(c.cfg.Server, err)
	}
	defer resp.Body.Close()
	if err := CheckResponse(resp); err != nil {
		return c.notHub(ctx, err)
	}
	return decodeAPIAnswer(resp, method, path, out)
}

// decodeAPIAnswer decodes the body of the JSON API's successful answer
// to method path into out when not nil.
func decodeAPIAnswer(resp *http.Response, method, path string, out any) error {
	if out == nil {
		return nil
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxAPIBody))
	if err != nil {
		return fmt.Errorf("client: read %s %s: %w", method, apiPrefix+path, err)
	}
	if err := json.Unmarshal(body, out); err != nil {
		return fmt.Errorf("client: the answer to %s %s is not the expected JSON: %w", method, apiPrefix+path, err)
	}
	return nil
}

// newAPIRequest builds the request of apiRequest.
func (c *Client) newAPIRequest(ctx context.Context, method, path string, in any) (*http.Request, error) {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return nil, fmt.Errorf("client: %w", err)
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.cfg.Server+apiPrefix+path, body)
	if err != nil {
		return nil, fmt.Errorf("client: %w", err)
	}
	req.Header.Set("Accept", "application/json")
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return req, nil
}

// apiList GETs a list answer {"data": [...]} and returns its data,
// never nil.
func apiList[T any](ctx context.Context, c *Client, path string) ([]T, error) {
	var out listResponse[T]
	if err := c.apiRequest(ctx, http.MethodGet, path, nil, &out); err != nil {
		return nil, err
	}
	if out.Data == nil {
		out.Data = []T{}
	}
	return out.Data, nil
}
