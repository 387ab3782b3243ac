// Package provider adapts hubauth's storage to zitadel's OpenID provider
// (op.Storage) and overrides the op.Server steps where the hub's rules are
// stricter than the library's defaults: PKCE (S256 only, required for public
// clients), authorization code replay, refresh token rotation with reuse
// detection, device polling with slow_down, and introspection and userinfo for
// personal tokens.
//
// It owns the OIDC/OAuth endpoints: discovery, authorize, token,
// device_authorization, userinfo, jwks, revocation, introspection and
// end_session. The HTML steps (login, consent, device approval) are in
// internal/server/pages.
package provider
