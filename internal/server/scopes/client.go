package scopes

import (
	"context"
	"slices"

	"github.com/hubauth/hubauth/internal/storage"
)

// SignIn are the scopes a client registered without a list of its own may
// ask for: OpenID Connect sign-in (who the user is, their profile, email
// and groups, and staying signed in), none of the hub's or the platform's
// API scopes.
var SignIn = []string{"openid", "profile", "email", "groups", "offline_access"}

// Restrict returns the part of s that allowed names: what a client limited
// to allowed may ask for. A name s does not hold (a registered scope
// removed since) is left out. Check on the result names the allowed scopes.
func (s *Set) Restrict(allowed []string) *Set {
	keep := make([]storage.Scope, 0, len(allowed))
	for _, sc := range s.all {
		if slices.Contains(allowed, sc.Name) {
			keep = append(keep, sc)
		}
	}
	return newSet(keep, true)
}

// ForClient returns what the client c may ask for now: every scope the hub
// grants, or, when an operator restricted it (storage.Client.RestrictScopes),
// those of them it is allowed. Every grant checks its scopes against this
// one set.
func (c *Catalog) ForClient(ctx context.Context, cl storage.Client) (*Set, error) {
	set, err := c.Load(ctx)
	if err != nil || !cl.RestrictScopes {
		return set, err
	}
	return set.Restrict(cl.AllowedScopes), nil
}
