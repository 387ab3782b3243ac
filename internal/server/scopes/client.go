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
	return set.restrictFor(cl.ID, cl.AllowedScopes), nil
}

// restriction is a client's part of a Set, with the allowed scopes it was
// built from.
type restriction struct {
	allowed []string
	set     *Set
}

// restrictFor returns s.Restrict(allowed) for the client id, built once per
// Set (a Catalog loads a new one at most every CacheTTL) and client row:
// every request of the client asks for it, and an operator rarely changes
// the client's scopes (a change builds it anew). The memo holds at most one
// entry per registered client.
func (s *Set) restrictFor(id string, allowed []string) *Set {
	if v, ok := s.restricted.Load(id); ok {
		if r := v.(restriction); slices.Equal(r.allowed, allowed) {
			return r.set
		}
	}
	r := restriction{allowed: slices.Clone(allowed), set: s.Restrict(allowed)}
	s.restricted.Store(id, r)
	return r.set
}
