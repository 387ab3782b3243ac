package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"
)

// ResourceMetadata is a protected resource's metadata (RFC 9728 §2): what
// a data API publishes about itself, and above all which authorization
// servers (hubs) issue its tokens.
type ResourceMetadata struct {
	// Resource is the API's resource identifier, its URL.
	Resource string `json:"resource"`
	// AuthorizationServers are the issuers whose tokens the API takes.
	AuthorizationServers []string `json:"authorization_servers"`
	// ScopesSupported are the scopes the API uses, when it says.
	ScopesSupported []string `json:"scopes_supported,omitempty"`
	// BearerMethodsSupported are how the API takes tokens ("header").
	BearerMethodsSupported []string `json:"bearer_methods_supported,omitempty"`
	// ResourceName is the API's name for people, when it says.
	ResourceName string `json:"resource_name,omitempty"`
}

// ErrNoResourceMetadata means an API publishes no protected-resource
// metadata: nothing at its well-known URL and no resource_metadata in a
// 401 challenge.
var ErrNoResourceMetadata = errors.New("client: the API publishes no protected-resource metadata (RFC 9728)")

// resourceWellKnown is where a protected resource publishes its metadata,
// before the resource identifier's path (RFC 9728 §3).
const resourceWellKnown = "/.well-known/oauth-protected-resource"

// DiscoverOptions are the options of DiscoverResource.
type DiscoverOptions struct {
	// HTTPClient sends the requests. Default: a client with a 10 s
	// timeout.
	HTTPClient *http.Client
	// AllowInsecureHTTP allows plain http to a host that is not this
	// machine, as Config.AllowInsecureHTTP does for the hub.
	AllowInsecureHTTP bool
}

// DiscoverResource reads the protected-resource metadata (RFC 9728) of the
// data API whose resource identifier is resourceURL, e.g.
// https://data.example.org: from its well-known URL (§3.1), or else from
// the resource_metadata of the 401 that a request to resourceURL without
// a token gets (§5). Redirects are not followed (a 3xx counts as no
// metadata there): RFC 9728's lookups need none, and one could send the
// request to another host or to plain http. The metadata must name resourceURL as its resource
// (§3.3) — a trailing slash after the host aside — and at least one
// authorization server, or it is refused. No credentials are sent.
func DiscoverResource(ctx context.Context, resourceURL string, opts DiscoverOptions) (ResourceMetadata, error) {
	u, err := parseResourceURL(resourceURL, opts.AllowInsecureHTTP)
	if err != nil {
		return ResourceMetadata{}, err
	}
	hc := noRedirects(opts.HTTPClient)
	wellKnown := u.Scheme + "://" + u.Host + resourceWellKnown + trimRoot(u.EscapedPath())
	status, body, _, err := get(ctx, hc, wellKnown)
	if err != nil {
		return ResourceMetadata{}, err
	}
	if status == http.StatusOK {
		return parseResourceMetadata(body, resourceURL)
	}
	status, _, header, err := get(ctx, hc, resourceURL)
	if err != nil {
		return ResourceMetadata{}, err
	}
	meta := bearerParams(header.Get("WWW-Authenticate"))["resource_metadata"]
	if status != http.StatusUnauthorized || meta == "" {
		return ResourceMetadata{}, fmt.Errorf("%w: %s answered %d, and %s %d without naming resource_metadata", ErrNoResourceMetadata, wellKnown, status, resourceURL, status)
	}
	if _, err := parseResourceURL(meta, opts.AllowInsecureHTTP); err != nil {
		return ResourceMetadata{}, fmt.Errorf("client: %s names resource_metadata %q: %w", resourceURL, meta, err)
	}
	status, body, _, err = get(ctx, hc, meta)
	if err != nil {
		return ResourceMetadata{}, err
	}
	if status != http.StatusOK {
		return ResourceMetadata{}, fmt.Errorf("%w: %s, named by %s, answered %d", ErrNoResourceMetadata, meta, resourceURL, status)
	}
	return parseResourceMetadata(body, resourceURL)
}

// noRedirects is a copy of hc (default: a 10 s timeout) that returns a
// redirect as the response instead of following it; hc is not changed.
func noRedirects(hc *http.Client) *http.Client {
	c := &http.Client{Timeout: 10 * time.Second}
	if hc != nil {
		copied := *hc
		c = &copied
	}
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return c
}

// parseResourceMetadata decodes a protected-resource metadata document and
// checks it: its resource must be resource (RFC 9728 §3.3; a trailing
// slash after the host aside), and it must name at least one
// authorization server, each an absolute http(s) URL.
func parseResourceMetadata(body []byte, resource string) (ResourceMetadata, error) {
	var m ResourceMetadata
	if err := json.Unmarshal(body, &m); err != nil {
		return ResourceMetadata{}, fmt.Errorf("client: the metadata of %s is not a JSON object of RFC 9728 metadata: %w", resource, err)
	}
	if !sameResource(m.Resource, resource) {
		return ResourceMetadata{}, fmt.Errorf("client: the metadata fetched for %s names the resource %q: refused (RFC 9728 §3.3)", resource, printable(m.Resource))
	}
	if len(m.AuthorizationServers) == 0 {
		return ResourceMetadata{}, fmt.Errorf("client: the metadata of %s names no authorization server", resource)
	}
	for _, as := range m.AuthorizationServers {
		if u, err := url.Parse(as); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			return ResourceMetadata{}, fmt.Errorf("client: the metadata of %s names an authorization server %q that is not an http(s) URL", resource, printable(as))
		}
	}
	return m, nil
}

// parseResourceURL checks that s is an absolute http(s) URL without
// fragment or user info, and not plain http to another machine unless
// allowed.
func parseResourceURL(s string, allowInsecure bool) (*url.URL, error) {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.Fragment != "" || u.User != nil {
		return nil, fmt.Errorf("client: %q is not an API's URL: give an absolute http(s) URL such as https://data.example.org", s)
	}
	if !allowInsecure && insecure(u) {
		return nil, &insecureHTTPError{origin: u.Scheme + "://" + u.Host}
	}
	return u, nil
}

// sameResource compares resource identifiers as strings (RFC 9728 §3.3),
// except that a lone "/" after the host counts as no path.
func sameResource(a, b string) bool {
	return a != "" && trimRoot(a) == trimRoot(b)
}

// trimRoot drops a path that is only "/" at the end of s.
func trimRoot(s string) string {
	if u, err := url.Parse(s); err == nil && u.Path == "/" && u.RawQuery == "" {
		return s[:len(s)-1]
	}
	return s
}

// maxMetadata bounds a metadata document.
const maxMetadata = 64 << 10

// get sends a GET without credentials and returns the status, the start of
// the body and the headers.
func get(ctx context.Context, hc *http.Client, u string) (int, []byte, http.Header, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return 0, nil, nil, fmt.Errorf("client: %w", err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		return 0, nil, nil, unreachable(u, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxMetadata))
	if err != nil {
		return 0, nil, nil, unreachable(u, err)
	}
	return resp.StatusCode, body, resp.Header, nil
}
