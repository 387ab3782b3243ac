package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"

	"golang.org/x/oauth2"

	"github.com/hubauth/hubauth/client/internal/store"
)

// discoveryPath is where an OpenID provider publishes its metadata,
// relative to the issuer (OpenID Connect Discovery 1.0 §4).
const discoveryPath = "/.well-known/openid-configuration"

// providerMetadata is the part of the discovery document the SDK uses
// (OpenID Connect Discovery 1.0 §3, RFC 8414 §2).
type providerMetadata struct {
	Issuer                      string   `json:"issuer"`
	AuthorizationEndpoint       string   `json:"authorization_endpoint"`
	TokenEndpoint               string   `json:"token_endpoint"`
	DeviceAuthorizationEndpoint string   `json:"device_authorization_endpoint"`
	RevocationEndpoint          string   `json:"revocation_endpoint"`
	UserinfoEndpoint            string   `json:"userinfo_endpoint"`
	GrantTypesSupported         []string `json:"grant_types_supported"`
	TokenEndpointAuthMethods    []string `json:"token_endpoint_auth_methods_supported"`
	// AccountManagementURI is where the provider's users manage their
	// account (Matrix MSC4191), shown by NotHubError.
	AccountManagementURI string `json:"account_management_uri"`
}

// supportsGrant reports whether the provider lists grant in
// grant_types_supported.
func (m *providerMetadata) supportsGrant(grant string) bool {
	for _, g := range m.GrantTypesSupported {
		if g == grant {
			return true
		}
	}
	return false
}

// discover returns the provider's metadata, fetched on first use and then
// kept for the life of the Client. A failed fetch is retried next time.
func (c *Client) discover(ctx context.Context) (*providerMetadata, error) {
	c.discMu.Lock()
	defer c.discMu.Unlock()
	if c.meta != nil {
		return c.meta, nil
	}
	m, err := fetchMetadata(ctx, c.providerClient(), c.cfg.Server)
	if err != nil {
		return nil, err
	}
	c.meta = m
	return m, nil
}

// fetchMetadata reads server's discovery document and checks that it
// names server as its issuer (OpenID Connect Discovery 1.0 §4.3): a
// document that names another issuer is refused.
func fetchMetadata(ctx context.Context, hc *http.Client, server string) (*providerMetadata, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, server+discoveryPath, nil)
	if err != nil {
		return nil, fmt.Errorf("client: %w", err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		return nil, unreachable(server, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, unreachable(server, err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("client: %s has no OpenID Connect discovery document (%s answered %s)", server, discoveryPath, resp.Status)
	}
	var m providerMetadata
	if err := json.Unmarshal(body, &m); err != nil {
		return nil, fmt.Errorf("client: %s: the discovery document is not valid JSON", server)
	}
	if !sameServer(m.Issuer, server) {
		return nil, fmt.Errorf("client: wrong issuer: %s says it is %q; use that URL as the server", server, m.Issuer)
	}
	if m.TokenEndpoint == "" {
		return nil, fmt.Errorf("client: %s: the discovery document has no token_endpoint", server)
	}
	return &m, nil
}

// sameServer compares issuer URLs as the store does: scheme and host
// case-insensitively, trailing slashes ignored.
func sameServer(a, b string) bool {
	ca, errA := store.CanonicalServer(a)
	cb, errB := store.CanonicalServer(b)
	return errA == nil && errB == nil && ca == cb
}

// unreachable describes a failed connection to server without repeating
// the request URL that *url.Error adds.
func unreachable(server string, err error) error {
	var ie *insecureHTTPError
	if errors.As(err, &ie) {
		return ie // not sent, rather than not reached
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return fmt.Errorf("client: cannot reach %s: %w", server, err)
}

// clientAuth is how the SDK's client identifies itself to the provider:
// a public client by its id alone (RFC 6749 §2.3), a confidential one
// with its secret too.
type clientAuth struct {
	ID, Secret string
}

// clientOf is the client that obtained s, which alone may refresh or
// revoke its tokens.
func clientOf(s store.Session) clientAuth { return clientAuth{ID: s.ClientID, Secret: s.ClientSecret} }

// authStyle is how a sends its credentials to the token endpoint: in the
// body for a public client; for a confidential one HTTP Basic, which
// every server supports (RFC 6749 §2.3.1) and RFC 8414 §2 makes the
// default, unless the provider lists client_secret_post alone.
func (m *providerMetadata) authStyle(a clientAuth) oauth2.AuthStyle {
	methods := m.TokenEndpointAuthMethods
	if a.Secret == "" || (slices.Contains(methods, "client_secret_post") && !slices.Contains(methods, "client_secret_basic")) {
		return oauth2.AuthStyleInParams
	}
	return oauth2.AuthStyleInHeader
}

// oauthConfig is the x/oauth2 configuration for client a at the
// provider.
func (c *Client) oauthConfig(m *providerMetadata, a clientAuth) *oauth2.Config {
	return &oauth2.Config{
		ClientID:     a.ID,
		ClientSecret: a.Secret,
		Scopes:       c.cfg.Scopes,
		Endpoint: oauth2.Endpoint{
			AuthURL:       m.AuthorizationEndpoint,
			TokenURL:      m.TokenEndpoint,
			DeviceAuthURL: m.DeviceAuthorizationEndpoint,
			AuthStyle:     m.authStyle(a),
		},
	}
}

// loginClient is the client a login is made for: Config's.
func (c *Client) loginClient() clientAuth {
	return clientAuth{ID: c.cfg.ClientID, Secret: c.cfg.ClientSecret}
}

// oauthContext makes x/oauth2 send its requests with providerClient.
func (c *Client) oauthContext(ctx context.Context) context.Context {
	return context.WithValue(ctx, oauth2.HTTPClient, c.providerClient())
}
