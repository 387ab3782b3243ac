package client

import (
	"context"
	"errors"
	"io"
	"net/http"
	"time"
)

// HTTPClient returns an *http.Client that authenticates its requests with
// c's access token (RFC 6750 §2.1), refreshed as Token does. It is based
// on Config.HTTPClient, whose Timeout, Jar and CheckRedirect it keeps.
//
// Like the transport of x/oauth2, it returns every response unchanged: a
// 401 or 403 is a response, not an error, so that net/http's semantics
// hold. Pass the response to CheckResponse to get an *HTTPError that
// matches ErrNotLoggedIn (401) or ErrForbidden (403).
//
// When the server answers 401 and the request can be sent again (it has
// no body, or GetBody is set, as http.NewRequest does for in-memory
// bodies), the session is refreshed once and the request retried —
// unless this Client refreshed in the last 30 seconds, so that an API
// that refuses every token does not cause a refresh per request.
//
// Without a session the request goes out unauthenticated, so that public
// data stays reachable and a protected resource answers 401. Other token
// failures (ErrSessionExpired, a refresh that cannot reach the server) are
// returned by Do, wrapped in *url.Error, and so is ErrInsecureHTTP for a
// request the token would make insecure (see
// Config.AllowInsecureHTTP). A request that already carries an
// Authorization header is sent as it is. A redirect to another host or
// from https to http does not carry the token.
//
// ctx is not used for requests: each refresh runs under the context of
// the request that needs it.
func (c *Client) HTTPClient(ctx context.Context) *http.Client {
	hc := *c.cfg.HTTPClient
	base := hc.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	hc.Transport = &bearerTransport{c: c, base: base}
	return &hc
}

// bearerTransport adds the bearer token to requests.
type bearerTransport struct {
	c    *Client
	base http.RoundTripper
}

// RoundTrip implements http.RoundTripper. It never modifies req.
func (t *bearerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Header.Get("Authorization") != "" || !sameOrigin(req) {
		return t.base.RoundTrip(req)
	}
	auth, sent, err := t.c.authorization(req.Context())
	if errors.Is(err, ErrNotLoggedIn) {
		return t.base.RoundTrip(req)
	}
	if err == nil {
		err = t.c.checkSecure(req.URL)
	}
	if err != nil {
		closeBody(req)
		return nil, err
	}
	resp, err := t.base.RoundTrip(withHeader(req, auth))
	if err != nil || resp.StatusCode != http.StatusUnauthorized || !t.c.mayRetry() {
		return resp, err
	}
	retry, ok := rewind(req)
	if !ok {
		return resp, nil
	}
	tok, err := t.c.refresh(req.Context(), sent)
	if err != nil {
		closeBody(retry)
		return resp, nil // the 401 is the better answer
	}
	drain(resp)
	return t.base.RoundTrip(withHeader(retry, "Bearer "+tok.AccessToken))
}

// authorization returns the Authorization header for the current token
// and the token itself. With a fresh session it allocates nothing.
func (c *Client) authorization(ctx context.Context) (header, token string, err error) {
	if c.cfg.Token == "" {
		c.mu.RLock()
		if c.has && !c.sess.Expired && c.fresh(&c.sess) {
			header, token = c.bearer, c.sess.AccessToken
		}
		c.mu.RUnlock()
		if header != "" {
			return header, token, nil
		}
	}
	tok, err := c.Token(ctx)
	if err != nil {
		return "", "", err
	}
	return "Bearer " + tok.AccessToken, tok.AccessToken, nil
}

// retryPause is how long after a refresh a 401 is taken as the server's
// verdict on the new token rather than a sign of a stale one: an API that
// refuses every token must not cause a refresh per request.
const retryPause = 30 * time.Second

// mayRetry reports whether a refused token should be refreshed: the
// session can be, and this process has not just done so.
func (c *Client) mayRetry() bool {
	if c.cfg.Token != "" {
		return false
	}
	s, ok := c.session()
	last := time.Unix(0, c.refreshed.Load())
	return ok && s.Refreshable() && c.now().Sub(last) >= retryPause
}

// withHeader returns a shallow copy of req with auth as its Authorization
// header: RoundTrippers must not modify the request they are given. The
// header map is new; its value slices are shared, and none is changed.
func withHeader(req *http.Request, auth string) *http.Request {
	r := new(http.Request)
	*r = *req
	r.Header = make(http.Header, len(req.Header)+1)
	for k, v := range req.Header {
		r.Header[k] = v
	}
	r.Header["Authorization"] = []string{auth}
	return r
}

// rewind returns a copy of req with a fresh body for a second attempt;
// ok is false when the body cannot be replayed.
func rewind(req *http.Request) (*http.Request, bool) {
	if req.Body == nil || req.Body == http.NoBody {
		return req, true
	}
	if req.GetBody == nil {
		return nil, false
	}
	body, err := req.GetBody()
	if err != nil {
		return nil, false
	}
	r := req.Clone(req.Context())
	r.Body = body
	return r, true
}

// sameOrigin reports whether req may carry the token: it is not a
// redirect, or it is redirected to the host of the first request without
// leaving https. net/http copies the header to such redirects only for
// headers set on the request; ours is set by the transport on each hop.
func sameOrigin(req *http.Request) bool {
	if req.Response == nil {
		return true
	}
	first := req
	for first.Response != nil && first.Response.Request != nil {
		first = first.Response.Request
	}
	if first.URL.Scheme == "https" && req.URL.Scheme != "https" {
		return false
	}
	return first.URL.Host == req.URL.Host
}

// drain reads a little of a discarded response so that its connection
// can be reused, then closes it.
func drain(resp *http.Response) {
	_, _ = io.CopyN(io.Discard, resp.Body, 4<<10)
	resp.Body.Close()
}

// closeBody closes req's body, as a RoundTripper must even when it fails.
func closeBody(req *http.Request) {
	if req.Body != nil {
		req.Body.Close()
	}
}
