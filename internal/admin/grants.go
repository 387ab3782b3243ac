package admin

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/hubauth/hubauth/internal/loopback"
	"github.com/hubauth/hubauth/internal/names"
	"github.com/hubauth/hubauth/internal/storage"
)

// GrantTokenExchangeShort names storage.GrantTokenExchange on the command
// line (--grant token-exchange).
const GrantTokenExchangeShort = "token-exchange"

// DefaultGrants are a new client's grant types when none are given.
func DefaultGrants(public bool) []string {
	if public {
		return []string{storage.GrantAuthorizationCode, storage.GrantRefreshToken, storage.GrantDeviceCode}
	}
	return []string{storage.GrantAuthorizationCode, storage.GrantRefreshToken, storage.GrantClientCredentials}
}

// clientGrants validates a new client's grant types (or chooses the
// defaults). A public client has no secret to authenticate
// client_credentials with (RFC 6749 §4.4.2). The password grant suits
// both: a confidential client authenticates with its secret there (in the
// body or a Basic header, RFC 6749 §4.3.2), a public one without.
func clientGrants(grants []string, public bool) ([]string, error) {
	if len(grants) == 0 {
		return DefaultGrants(public), nil
	}
	all := storage.GrantTypes()
	grants = slices.Clone(grants)
	for i, g := range grants {
		if g == GrantTokenExchangeShort {
			g, grants[i] = storage.GrantTokenExchange, storage.GrantTokenExchange
		}
		if !slices.Contains(all, g) {
			return nil, fmt.Errorf("unknown grant type %q: use %s", g, strings.Join(all, ", "))
		}
	}
	for _, g := range []string{storage.GrantClientCredentials, storage.GrantTokenExchange} {
		if public && slices.Contains(grants, g) {
			return nil, fmt.Errorf("a public client cannot use %s: it has no secret", g)
		}
	}
	return names.Dedupe(grants), nil
}

// CheckRedirectURI checks a redirect URI: absolute, no fragment
// (RFC 6749 §3.1.2), no user information, https, or http on a loopback host
// as the provider matches it (loopback.Parse; RFC 8252 §7.3, RFC 9700 §2.6
// forbids plain http elsewhere).
func CheckRedirectURI(s string) error {
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
