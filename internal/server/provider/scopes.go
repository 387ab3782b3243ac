package provider

import (
	"slices"
	"strings"

	"github.com/zitadel/oidc/v3/pkg/oidc"
)

// hubScopes are the hub's API scopes every client may request besides the
// OIDC standard ones.
var hubScopes = []string{"groups", "tokens:read", "tokens:write", "users:read", "groups:read"}

// standardScopes are the OIDC scopes the hub answers.
var standardScopes = []string{oidc.ScopeOpenID, oidc.ScopeProfile, oidc.ScopeEmail, oidc.ScopeOfflineAccess}

// CheckScopes refuses a request for a scope the hub does not know, naming
// the valid ones (so a client learns what to ask for before it starts).
func CheckScopes(scopes []string) *oidc.Error {
	for _, sc := range scopes {
		if !slices.Contains(standardScopes, sc) && !slices.Contains(hubScopes, sc) {
			return oidc.ErrInvalidScope().WithDescription("unknown scope %s; valid scopes: %s",
				quote(sc), strings.Join(append(slices.Clone(standardScopes), hubScopes...), " "))
		}
	}
	return nil
}
