package provider

import (
	"context"
	"errors"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"

	"github.com/hubauth/hubauth/internal/server/scopes"
)

// invalidScope turns a *scopes.UnknownError into the OAuth error.
func invalidScope(err error) error {
	if ue := (*scopes.UnknownError)(nil); errors.As(err, &ue) {
		return oidc.ErrInvalidScope().WithDescription("%s", ue.Error())
	}
	return err
}

// grantedScopes is the set the client was loaded with (what it may ask
// for: see scopes.Catalog.ForClient): the library has already filtered the
// request's scopes with it, so the hub's own checks of the same request use
// the same set, not a newer one.
func (s *server) grantedScopes(ctx context.Context, c op.Client) (*scopes.Set, error) {
	if hc, ok := c.(*client); ok {
		return hc.scopes, nil
	}
	return s.storage.scopes.Load(ctx)
}

// checkRequested refuses scopes c may not ask for (the hub did not grant
// them when c was loaded, or an operator did not allow them to c) with
// invalid_scope naming the ones it may; a storage error is returned as it
// is.
func (s *server) checkRequested(ctx context.Context, c op.Client, names []string) error {
	set, err := s.grantedScopes(ctx, c)
	if err != nil {
		return err
	}
	return invalidScope(set.Check(names))
}
