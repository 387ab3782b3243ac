package provider

import (
	"time"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"

	"github.com/hubauth/hubauth/internal/server/scopes"
	"github.com/hubauth/hubauth/internal/storage"
)

// client adapts a storage.Client to op.Client.
type client struct {
	storage.Client
	loginPath   string
	idTokenLife time.Duration
	scopes      *scopes.Set // what it may ask for (scopes.Catalog.ForClient)
	// redirect is the redirect URI of this authorization request, once
	// VerifyAuthRequest has allowed it by the hub's rule.
	redirect string
}

var _ op.Client = (*client)(nil)

func (c *client) GetID() string                    { return c.ID }
func (c *client) PostLogoutRedirectURIs() []string { return c.Client.RedirectURIs }
func (c *client) LoginURL(id string) string        { return c.loginPath + "?authRequestID=" + id }
func (c *client) AccessTokenType() op.AccessTokenType {
	return op.AccessTokenTypeJWT
}
func (c *client) IDTokenLifetime() time.Duration { return c.idTokenLife }
func (c *client) ClockSkew() time.Duration       { return 0 }

// RedirectURIs are the registered ones, or, once the hub has allowed the
// redirect URI of an authorization request, that one alone: the library
// checks it again, by a loopback rule of its own that the hub's replaces.
func (c *client) RedirectURIs() []string {
	if c.redirect != "" {
		return []string{c.redirect}
	}
	return c.Client.RedirectURIs
}

// DevMode lets the library's check of the redirect URI accept the one the
// hub has allowed (RedirectURIs) without its own loopback rule, which knows
// localhost only in lower case; it changes nothing else in the library.
func (c *client) DevMode() bool { return c.redirect != "" }

func (c *client) ResponseTypes() []oidc.ResponseType {
	return []oidc.ResponseType{oidc.ResponseTypeCode}
}

// ApplicationType is native for public clients so that RFC 8252 loopback
// redirects match on any port.
func (c *client) ApplicationType() op.ApplicationType {
	if c.Public {
		return op.ApplicationTypeNative
	}
	return op.ApplicationTypeWeb
}

func (c *client) AuthMethod() oidc.AuthMethod {
	if c.Public {
		return oidc.AuthMethodNone
	}
	return oidc.AuthMethodBasic
}

func (c *client) GrantTypes() []oidc.GrantType {
	out := make([]oidc.GrantType, len(c.Client.GrantTypes))
	for i, g := range c.Client.GrantTypes {
		out[i] = oidc.GrantType(g)
	}
	return withExchangeRefresh(out)
}

func (c *client) RestrictAdditionalIdTokenScopes() func([]string) []string {
	return func(s []string) []string { return s }
}

func (c *client) RestrictAdditionalAccessTokenScopes() func([]string) []string {
	return func(s []string) []string { return s }
}

// IsScopeAllowed: the library keeps only the scopes it allows at
// authorize, so it must allow the hub's own and the registered ones.
func (c *client) IsScopeAllowed(scope string) bool     { return c.scopes.Has(scope) }
func (c *client) IDTokenUserinfoClaimsAssertion() bool { return false }
