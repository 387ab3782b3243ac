package provider

import (
	"context"
	"errors"
	"net/http"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"

	"github.com/hubauth/hubauth/internal/storage"
)

// outage answers 503 on every endpoint of the library whose step met an
// unreachable database (storage.ErrUnavailable anywhere in the error
// chain), whatever status the step or the library would have chosen: a
// client must retry, not drop its session (invalid_grant), blame its
// credentials (invalid_client) or see a 500. It is the one place where the
// protocol layer maps the outage.
type outage struct{ *server }

// unavailable is the 503 answer of the protocol endpoints.
func unavailable(err error) error {
	if err == nil || !errors.Is(err, storage.ErrUnavailable) {
		return err
	}
	return op.NewStatusError(&oidc.Error{ErrorType: "temporarily_unavailable",
		Description: "the hub cannot reach its database; try again shortly"}, http.StatusServiceUnavailable)
}

func (o outage) Keys(ctx context.Context, r *op.Request[struct{}]) (*op.Response, error) {
	resp, err := o.server.Keys(ctx, r)
	return resp, unavailable(err)
}

func (o outage) VerifyAuthRequest(ctx context.Context, r *op.Request[oidc.AuthRequest]) (*op.ClientRequest[oidc.AuthRequest], error) {
	resp, err := o.server.VerifyAuthRequest(ctx, r)
	return resp, unavailable(err)
}

func (o outage) Authorize(ctx context.Context, r *op.ClientRequest[oidc.AuthRequest]) (*op.Redirect, error) {
	resp, err := o.server.Authorize(ctx, r)
	return resp, unavailable(err)
}

func (o outage) DeviceAuthorization(ctx context.Context, r *op.ClientRequest[oidc.DeviceAuthorizationRequest]) (*op.Response, error) {
	resp, err := o.server.DeviceAuthorization(ctx, r)
	return resp, unavailable(err)
}

func (o outage) VerifyClient(ctx context.Context, r *op.Request[op.ClientCredentials]) (op.Client, error) {
	c, err := o.server.VerifyClient(ctx, r)
	return c, unavailable(err)
}

func (o outage) CodeExchange(ctx context.Context, r *op.ClientRequest[oidc.AccessTokenRequest]) (*op.Response, error) {
	resp, err := o.server.CodeExchange(ctx, r)
	return resp, unavailable(err)
}

func (o outage) RefreshToken(ctx context.Context, r *op.ClientRequest[oidc.RefreshTokenRequest]) (*op.Response, error) {
	resp, err := o.server.RefreshToken(ctx, r)
	return resp, unavailable(err)
}

func (o outage) ClientCredentialsExchange(ctx context.Context, r *op.ClientRequest[oidc.ClientCredentialsRequest]) (*op.Response, error) {
	resp, err := o.server.ClientCredentialsExchange(ctx, r)
	return resp, unavailable(err)
}

func (o outage) DeviceToken(ctx context.Context, r *op.ClientRequest[oidc.DeviceAccessTokenRequest]) (*op.Response, error) {
	resp, err := o.server.DeviceToken(ctx, r)
	return resp, unavailable(err)
}

func (o outage) Introspect(ctx context.Context, r *op.Request[op.IntrospectionRequest]) (*op.Response, error) {
	resp, err := o.server.Introspect(ctx, r)
	return resp, unavailable(err)
}

func (o outage) UserInfo(ctx context.Context, r *op.Request[oidc.UserInfoRequest]) (*op.Response, error) {
	resp, err := o.server.UserInfo(ctx, r)
	return resp, unavailable(err)
}

func (o outage) Revocation(ctx context.Context, r *op.ClientRequest[oidc.RevocationRequest]) (*op.Response, error) {
	resp, err := o.server.Revocation(ctx, r)
	return resp, unavailable(err)
}

func (o outage) EndSession(ctx context.Context, r *op.Request[oidc.EndSessionRequest]) (*op.Redirect, error) {
	resp, err := o.server.EndSession(ctx, r)
	return resp, unavailable(err)
}

func (o outage) TokenExchange(ctx context.Context, r *op.ClientRequest[oidc.TokenExchangeRequest]) (*op.Response, error) {
	resp, err := o.server.TokenExchange(ctx, r)
	return resp, unavailable(err)
}
