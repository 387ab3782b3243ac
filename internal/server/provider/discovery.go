package provider

import (
	"context"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"

	"github.com/hubauth/hubauth/internal/storage"
)

// What the hub publishes in its discovery document, and nothing more: the
// library lists grants, response types, claims and signing algorithms of
// its own that the hub does not serve. The endpoints enforce the same
// lists (VerifyAuthRequest, Authorize, JWTProfile).
var (
	// responseTypes: the authorization code flow only (no implicit or
	// hybrid flow, RFC 9700 §2.1.2).
	responseTypes = []string{string(oidc.ResponseTypeCode)}
	// responseModes: the code comes back in the query or the fragment of
	// a redirect; form_post needs an auto-submitting page that the hub's
	// own Content-Security-Policy blocks.
	responseModes = []oidc.ResponseMode{oidc.ResponseModeQuery, oidc.ResponseModeFragment}
	grantTypes    = []oidc.GrantType{oidc.GrantTypeCode, oidc.GrantTypeRefreshToken,
		oidc.GrantTypeClientCredentials, oidc.GrantTypeDeviceCode, oidc.GrantTypeTokenExchange}
	// clientAuthMethods at the token, revocation and device authorization
	// endpoints; introspection takes a secret only.
	clientAuthMethods = []oidc.AuthMethod{oidc.AuthMethodNone, oidc.AuthMethodBasic, oidc.AuthMethodPost}
	secretAuthMethods = []oidc.AuthMethod{oidc.AuthMethodBasic, oidc.AuthMethodPost}
	// claims is what the ID token and userinfo carry (FillUserinfo and the
	// library's ID token), published through op.Config.
	claims = []string{"iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "amr", "azp", "at_hash", "c_hash",
		"client_id", "name", "preferred_username", "email", "email_verified", "groups", "idp", "acr"}
)

// Discovery publishes what the hub serves: every scope it grants in
// scopes_supported, the platform's registered ones included (while the
// database is down, the last ones read), and the lists above.
func (s *server) Discovery(ctx context.Context, r *op.Request[struct{}]) (*op.Response, error) {
	resp, err := s.LegacyServer.Discovery(ctx, r)
	if err != nil {
		return nil, err
	}
	d, ok := resp.Data.(*oidc.DiscoveryConfiguration)
	if !ok {
		return resp, nil
	}
	d.ScopesSupported = s.storage.scopes.Published(ctx).Names()
	d.ResponseTypesSupported = responseTypes
	d.ResponseModesSupported = make([]string, len(responseModes))
	for i, m := range responseModes {
		d.ResponseModesSupported[i] = string(m)
	}
	d.GrantTypesSupported = grantTypes
	d.ACRValuesSupported = []string{storage.ACRMFA} // acr_values=mfa: a second factor (step-up)
	d.TokenEndpointAuthMethodsSupported = clientAuthMethods
	d.RevocationEndpointAuthMethodsSupported = clientAuthMethods
	d.IntrospectionEndpointAuthMethodsSupported = secretAuthMethods
	d.TokenEndpointAuthSigningAlgValuesSupported = nil // no private_key_jwt
	d.RevocationEndpointAuthSigningAlgValuesSupported = nil
	d.IntrospectionEndpointAuthSigningAlgValuesSupported = nil
	return resp, nil
}

// JWTProfile refuses the JWT bearer grant (RFC 7523), which the library
// always offers and the hub does not.
func (s *server) JWTProfile(context.Context, *op.Request[oidc.JWTProfileGrantRequest]) (*op.Response, error) {
	return nil, oidc.ErrUnsupportedGrantType().WithDescription("grant_type %s is not supported", oidc.GrantTypeBearer)
}
