package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// maxBody bounds how much of a response body is read; token responses are
// far smaller.
const maxBody = 64 << 10

// Endpoints are the server URLs the scenarios use.
type Endpoints struct {
	// Token, DeviceAuthorization and Introspection come from OIDC discovery.
	Token, DeviceAuthorization, Introspection string
	// Password is hubauth's NOMAD-style <issuer>/api/v1/auth/token.
	Password string
	// UsersMe and Tokens are hubauth's <issuer>/api/v1/users/me and
	// <issuer>/api/v1/tokens.
	UsersMe, Tokens string
}

// newHTTPClient returns the one client every worker shares: keep-alive
// connections, at most concurrency of them to the server.
func newHTTPClient(concurrency int) *http.Client {
	tr := &http.Transport{
		Proxy:               http.ProxyFromEnvironment,
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        concurrency,
		MaxIdleConnsPerHost: concurrency,
		MaxConnsPerHost:     concurrency,
		IdleConnTimeout:     90 * time.Second,
		TLSHandshakeTimeout: 5 * time.Second,
		DisableCompression:  true,
		ForceAttemptHTTP2:   true,
	}
	return &http.Client{Transport: tr, Timeout: 30 * time.Second}
}

// discover reads <issuer>/.well-known/openid-configuration.
func discover(ctx context.Context, hc *http.Client, issuer string) (Endpoints, error) {
	issuer = strings.TrimSuffix(issuer, "/")
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, issuer+"/.well-known/openid-configuration", nil)
	if err != nil {
		return Endpoints{}, fmt.Errorf("discovery: %w", err)
	}
	resp, err := hc.Do(req)
	if err != nil {
		return Endpoints{}, fmt.Errorf("discovery: %w", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if resp.StatusCode != http.StatusOK {
		return Endpoints{}, fmt.Errorf("discovery: %s", describe(resp.StatusCode, body))
	}
	var doc struct {
		Token  string `json:"token_endpoint"`
		Device string `json:"device_authorization_endpoint"`
		Intro  string `json:"introspection_endpoint"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		return Endpoints{}, fmt.Errorf("discovery: %w", err)
	}
	if doc.Token == "" {
		return Endpoints{}, fmt.Errorf("discovery: no token_endpoint at %s", issuer)
	}
	return Endpoints{Token: doc.Token, DeviceAuthorization: doc.Device, Introspection: doc.Intro, Password: issuer + "/api/v1/auth/token",
		UsersMe: issuer + "/api/v1/users/me", Tokens: issuer + "/api/v1/tokens"}, nil
}

// reply is a response as the scenarios need it: status, body and the
// Retry-After delay, if any.
type reply struct {
	status     int
	body       []byte
	retryAfter time.Duration
}

// throttled reports whether the server asked the client to come back later
// (429 or 503 with Retry-After).
func (r reply) throttled() bool {
	return (r.status == http.StatusTooManyRequests || r.status == http.StatusServiceUnavailable) && r.retryAfter > 0
}

// String describes the reply for error samples.
func (r reply) String() string { return describe(r.status, r.body) }

// postForm POSTs the form body to target, with the extra header (such as
// HTTP basic client authentication) when not nil.
func postForm(ctx context.Context, hc *http.Client, target, body string, header http.Header) (reply, error) {
	h := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}, "Accept": {"application/json"}}
	for k, v := range header {
		h[k] = v
	}
	return send(ctx, hc, http.MethodPost, target, body, h)
}

// get GETs target with header.
func get(ctx context.Context, hc *http.Client, target string, header http.Header) (reply, error) {
	return send(ctx, hc, http.MethodGet, target, "", header)
}

// send sends a request (no body when body is empty) and reads the whole
// response, so the connection is reused.
func send(ctx context.Context, hc *http.Client, method, target, body string, header http.Header) (reply, error) {
	var rd io.Reader = http.NoBody
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, target, rd)
	if err != nil {
		return reply{}, err
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := hc.Do(req)
	if err != nil {
		return reply{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return reply{}, err
	}
	return reply{status: resp.StatusCode, body: b, retryAfter: parseRetryAfter(resp.Header.Get("Retry-After"))}, nil
}

// basicAuth builds the Authorization header of RFC 6749 §2.3.1: client ID
// and secret are form-encoded before base64.
func basicAuth(id, secret string) string {
	req := http.Request{Header: http.Header{}}
	req.SetBasicAuth(url.QueryEscape(id), url.QueryEscape(secret))
	return req.Header.Get("Authorization")
}

// parseRetryAfter reads delay-seconds or an HTTP date; 0 when absent.
func parseRetryAfter(v string) time.Duration {
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(v); err == nil && s >= 0 {
		return max(time.Duration(s)*time.Second, time.Millisecond)
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(time.Until(t), time.Millisecond)
	}
	return 0
}

// describe renders a status and a (truncated, single-line) body.
func describe(status int, body []byte) string {
	s := strings.Join(strings.Fields(string(body)), " ")
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return fmt.Sprintf("status %d: %s", status, s)
}
