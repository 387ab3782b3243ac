package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"

	"golang.org/x/oauth2"
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
	m, err := fetchMetadata(ctx, c.cfg.HTTPClient, c.cfg.Server)
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
	ca, errA := canonicalServer(a)
	cb, errB := canonicalServer(b)
	return errA == nil && errB == nil && ca == cb
}

// unreachable describes a failed connection to server without repeating
// the request URL that *url.Error adds.
func unreachable(server string, err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return fmt.Errorf("client: cannot reach %s: %w", server, err)
}

// oauthConfig is the x/oauth2 configuration for clientID at the provider.
// The client is public: its id goes in the request body (RFC 6749 §2.3).
func (c *Client) oauthConfig(m *providerMetadata, clientID string) *oauth2.Config {
	return &oauth2.Config{
		ClientID: clientID,
		Scopes:   c.cfg.Scopes,
		Endpoint: oauth2.Endpoint{
			AuthURL:       m.AuthorizationEndpoint,
			TokenURL:      m.TokenEndpoint,
			DeviceAuthURL: m.DeviceAuthorizationEndpoint,
			AuthStyle:     oauth2.AuthStyleInParams,
		},
	}
}

// oauthContext makes x/oauth2 send its requests with Config.HTTPClient.
func (c *Client) oauthContext(ctx context.Context) context.Context {
	return context.WithValue(ctx, oauth2.HTTPClient, c.cfg.HTTPClient)
}
