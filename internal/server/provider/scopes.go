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
	err := s.scopes.Check(ctx, names)
	if ue := (*scopes.UnknownError)(nil); errors.As(err, &ue) {
		return oidc.ErrInvalidScope().WithDescription("%s", ue.Error())
	}
	return err
}

// Discovery publishes every scope the hub grants in scopes_supported,
// the platform's registered ones included; while the database is down,
// the last ones read.
func (s *server) Discovery(ctx context.Context, r *op.Request[struct{}]) (*op.Response, error) {
	resp, err := s.LegacyServer.Discovery(ctx, r)
	if err != nil {
		return nil, err
	}
	if d, ok := resp.Data.(*oidc.DiscoveryConfiguration); ok {
		d.ScopesSupported = s.storage.scopes.Published(ctx).Names()
	}
	return resp, nil
}
