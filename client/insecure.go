package client

import (
	"net/http"
	"net/netip"
	"net/url"
	"strings"
)

// insecureHTTPError is the refusal to send a request over plain http to
// a host that is not this machine: anyone on the network between could
// read the password, code, token or client secret it carries. It matches
// ErrInsecureHTTP. Config.AllowInsecureHTTP lifts the rule.
type insecureHTTPError struct {
	origin string // the refused server, as scheme://host[:port]
}

// Error says what was refused, why, and how to allow it.
func (e *insecureHTTPError) Error() string {
	return "client: refusing to send credentials to " + e.origin + " over plain http, where anyone on the network can read them: " +
		"use https, or allow plain http on a network you trust (Config.AllowInsecureHTTP, hubauth --insecure-http)"
}

// Unwrap returns ErrInsecureHTTP.
func (e *insecureHTTPError) Unwrap() error { return ErrInsecureHTTP }

// insecure reports whether u is plain http to a host other than loopback
// (127.0.0.0/8, ::1, localhost), whose traffic never leaves the machine
// (RFC 8252 §8.3).
func insecure(u *url.URL) bool {
	if !strings.EqualFold(u.Scheme, "http") {
		return false
	}
	host := u.Hostname()
	if strings.EqualFold(host, "localhost") {
		return false
	}
	ip, err := netip.ParseAddr(host)
	return err != nil || !ip.Unmap().IsLoopback()
}

// checkSecure returns an *insecureHTTPError for a request to u that
// Config.AllowInsecureHTTP does not allow: the one rule of every request
// that carries credentials.
func (c *Client) checkSecure(u *url.URL) error {
	return CheckSecure(u, c.cfg.AllowInsecureHTTP)
}

// secureTransport sends the SDK's own requests to the provider (discovery,
// token, device authorization, revocation, userinfo, password login):
// each request is checked by checkSecure, redirects included.
type secureTransport struct {
	c    *Client
	base http.RoundTripper
}

// RoundTrip implements http.RoundTripper.
func (t *secureTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if err := t.c.checkSecure(req.URL); err != nil {
		closeBody(req)
		return nil, err
	}
	return t.base.RoundTrip(req)
}

// providerClient returns Config.HTTPClient with its transport behind
// checkSecure, for the SDK's requests to the provider.
func (c *Client) providerClient() *http.Client {
	hc := *c.cfg.HTTPClient
	base := hc.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	hc.Transport = &secureTransport{c: c, base: base}
	return &hc
}

// CheckSecure returns an error matching ErrInsecureHTTP when u is plain
// http to a host other than loopback and allowInsecure is false: the SDK's
// rule for every request that carries credentials, for callers that hand
// a token to another program (such as a git credential helper).
func CheckSecure(u *url.URL, allowInsecure bool) error {
	if allowInsecure || !insecure(u) {
		return nil
	}
	return &insecureHTTPError{origin: u.Scheme + "://" + u.Host}
}
