package resource

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// maxBody bounds what is read from the issuer.
const maxBody = 1 << 20

// discovery is what the middleware uses of the issuer's OpenID Connect
// discovery document.
type discovery struct {
	Issuer                string `json:"issuer"`
	AuthorizationEndpoint string `json:"authorization_endpoint"`
	TokenEndpoint         string `json:"token_endpoint"`
	JWKSURI               string `json:"jwks_uri"`
	IntrospectionEndpoint string `json:"introspection_endpoint"`
	UserinfoEndpoint      string `json:"userinfo_endpoint"`
}

// discover reads the discovery document of cfg.Issuer and checks that it
// names the same issuer (OpenID Connect Discovery 1.0 §4.3) and the
// endpoints cfg needs.
func discover(ctx context.Context, cfg *Config) (*discovery, error) {
	u := cfg.Issuer + "/.well-known/openid-configuration"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, fmt.Errorf("resource: discovery: %w", err)
	}
	var d discovery
	if err := doJSON(cfg.HTTPClient, req, &d); err != nil {
		return nil, fmt.Errorf("resource: discovery at %s: %w", u, err)
	}
	switch {
	case strings.TrimSuffix(d.Issuer, "/") != cfg.Issuer:
		return nil, fmt.Errorf("resource: discovery at %s names issuer %q, not %q", u, d.Issuer, cfg.Issuer)
	case d.JWKSURI == "":
		return nil, fmt.Errorf("resource: discovery at %s has no jwks_uri", u)
	case cfg.ClientID != "" && d.IntrospectionEndpoint == "":
		return nil, fmt.Errorf("resource: discovery at %s has no introspection_endpoint, needed for opaque tokens", u)
	case cfg.UserInfo && d.UserinfoEndpoint == "":
		return nil, fmt.Errorf("resource: discovery at %s has no userinfo_endpoint, needed with Config.UserInfo", u)
	}
	return &d, nil
}

// statusError is a non-200 answer from the issuer.
type statusError struct{ code int }

func (e *statusError) Error() string { return fmt.Sprintf("status %d", e.code) }

// doJSON sends req and decodes a 200 JSON answer into v.
func doJSON(client *http.Client, req *http.Request, v any) error {
	req.Header.Set("Accept", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return &statusError{resp.StatusCode}
	}
	if len(body) > maxBody {
		return errors.New("answer larger than 1 MiB")
	}
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("answer is not the expected JSON: %w", err)
	}
	return nil
}
