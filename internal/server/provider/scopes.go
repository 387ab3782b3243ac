package provider

import (
	"context"
	"errors"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"

	"github.com/hubauth/hubauth/internal/server/scopes"
)

// checkScopes refuses a request for a scope the hub does not grant with
// invalid_scope naming the valid ones (so a client learns what to ask for
// before it starts); a storage error is returned as it is.
func (s *Storage) checkScopes(ctx context.Context, names []string) error {
	return invalidScope(s.scopes.Check(ctx, names))
}

// invalidScope turns a *scopes.UnknownError into the OAuth error.
func invalidScope(err error) error {
	if ue := (*scopes.UnknownError)(nil); errors.As(err, &ue) {
		return oidc.ErrInvalidScope().WithDescription("%s", ue.Error())
	}
	return err
}

// grantedScopes is the set the client was loaded with: the library has
// already filtered the request's scopes with it, so the hub's own checks
// of the same request use the same set, not a newer one.
func (s *server) grantedScopes(ctx context.Context, c op.Client) (*scopes.Set, error) {
	if hc, ok := c.(*client); ok {
		return hc.scopes, nil
	}
	return s.storage.scopes.Load(ctx)
}

// checkRequested refuses scopes the hub did not grant when c was loaded
// with invalid_scope naming the valid ones; a storage error is returned
// as it is.
func (s *server) checkRequested(ctx context.Context, c op.Client, names []string) error {
	set, err := s.grantedScopes(ctx, c)
	if err != nil {
		return err
	}
	return invalidScope(set.Check(names))
}
