package provider

import (
	"slices"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"

	"github.com/hubauth/hubauth/internal/server/audience"
	"github.com/hubauth/hubauth/internal/storage"
)

// deviceGrant is an approved device authorization redeemed at the token
// endpoint (RFC 8628 §3.5): the library's state with what the library does
// not carry, the login session's label (token_name at /device) and, once
// CreateAccessAndRefreshTokens has started the session, its id for the
// access token's sid claim.
type deviceGrant struct {
	*op.DeviceAuthorizationState
	sessionName string
	sessionID   string
	resources   []string         // the APIs the authorization covers
	target      *audience.Target // what the access token is for
}

// GetAudience is the API the token is for, or the client.
func (g *deviceGrant) GetAudience() []string { return audienceOr(g.target, g.ClientID) }

// GetScopes are the token's scopes: for an API, cut to its own.
func (g *deviceGrant) GetScopes() []string {
	return scopesOr(g.target, g.DeviceAuthorizationState.Scopes)
}

// GetAMR gives the library the methods of the recorded AMR (the state's
// AMR keeps the provider for the login session).
func (g *deviceGrant) GetAMR() []string { return methods(g.DeviceAuthorizationState.AMR) }

// deviceRefreshGrant is a deviceGrant that gets a refresh token, and so a
// login session: the library hands refresh tokens to an
// op.RefreshTokenRequest. The scopes stay those the user approved.
type deviceRefreshGrant struct{ *deviceGrant }

var _ op.RefreshTokenRequest = deviceRefreshGrant{}

func (deviceRefreshGrant) SetCurrentScopes([]string) {}

// newDeviceGrant is the token request of the approved authorization d
// redeemed by client c. As the library decides for its own device state,
// it gets a refresh token when it asked for offline_access and c may use
// the refresh grant (OIDC Core §11).
func newDeviceGrant(d storage.DeviceAuth, c op.Client, target audience.Target) apiRequest {
	g := &deviceGrant{DeviceAuthorizationState: deviceState(d), sessionName: d.SessionName,
		resources: d.Resources, target: &target}
	if slices.Contains(d.Scopes, oidc.ScopeOfflineAccess) && op.ValidateGrantType(c, oidc.GrantTypeRefreshToken) {
		return deviceRefreshGrant{g}
	}
	return g
}
