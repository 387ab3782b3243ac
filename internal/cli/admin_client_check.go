package cli

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/hubauth/hubauth/internal/loopback"
)

// Grant types a client may be given, as token endpoint grant_type values.
const (
	grantAuthorizationCode = "authorization_code"
	grantRefreshToken      = "refresh_token"
	grantDeviceCode        = "urn:ietf:params:oauth:grant-type:device_code" // RFC 8628 §3.4
	grantClientCredentials = "client_credentials"
	// grantPassword allows the NOMAD-style /api/v1/auth/token endpoint
	// (public clients only); the OAuth token endpoint has no password grant.
	grantPassword = "password"
)

var grantTypes = []string{grantAuthorizationCode, grantRefreshToken, grantDeviceCode, grantClientCredentials, grantPassword}

// defaultGrants are a new client's grants when --grant is not given.
func defaultGrants(public bool) []string {
	if public {
		return []string{grantAuthorizationCode, grantRefreshToken, grantDeviceCode}
	}
	return []string{grantAuthorizationCode, grantRefreshToken, grantClientCredentials}
}

// clientGrants validates the --grant values (or chooses the defaults).
func clientGrants(grants []string, public bool) ([]string, error) {
	if len(grants) == 0 {
		return defaultGrants(public), nil
	}
	for _, g := range grants {
		if !slices.Contains(grantTypes, g) {
			return nil, fmt.Errorf("unknown grant type %q: use %s", g, strings.Join(grantTypes, ", "))
		}
	}
	if public && slices.Contains(grants, grantClientCredentials) {
		return nil, fmt.Errorf("a public client cannot use %s: it has no secret", grantClientCredentials)
	}
	if !public && slices.Contains(grants, grantPassword) {
		return nil, fmt.Errorf("only public clients may use %s: the password endpoint takes no client secret", grantPassword)
	}
	return dedupe(grants), nil
}

func hasGrant(grants []string, g string) bool { return slices.Contains(grants, g) }

// validateRedirectURI checks a redirect URI: absolute, no fragment
// (RFC 6749 §3.1.2), no user information, https, or http on a loopback host
// as the provider matches it (loopback.Parse; RFC 8252 §7.3, RFC 9700 §2.6
// forbids plain http elsewhere).
func validateRedirectURI(s string) error {
	u, err := url.Parse(s)
	switch {
	case err != nil || !u.IsAbs() || u.Host == "":
		return fmt.Errorf("invalid redirect URI %q: it must be an absolute URL, like https://app.example.org/callback", s)
	case u.Fragment != "" || strings.Contains(s, "#"):
		return fmt.Errorf("invalid redirect URI %q: it must not have a fragment (#…)", s)
	case u.User != nil:
		return fmt.Errorf("invalid redirect URI %q: it must not have user information", s)
	case u.Scheme == "https":
		return nil
	case u.Scheme == "http":
		if _, ok := loopback.Parse(s); ok {
			return nil
		}
		return fmt.Errorf("invalid redirect URI %q: http is allowed only on 127.0.0.1, [::1] or localhost; use https", s)
	}
	return fmt.Errorf("invalid redirect URI %q: use https (or http on 127.0.0.1, [::1] or localhost)", s)
}

// dedupe returns s without repeated values, in first-seen order.
func dedupe(s []string) []string {
	var out []string
	for _, v := range s {
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}
