// Package upstream signs users in to the hub through upstream OpenID
// Connect providers (hubauth admin idp add): the round trip there and back
// (Begin, Finish) and what the identity it brings back means for the hub's
// accounts (SignIn, Link, Unlink). The HTML steps around it are package
// pages'.
//
// The round trip is the authorization code flow with PKCE (S256), state
// and nonce (OpenID Connect Core §3.1). Begin makes one random secret that
// only the browser keeps, in a cookie; the state, the nonce and the PKCE
// verifier are derived from it, so the database row of the sign-in under
// way (storage.UpstreamLogin, found by the state's hash) holds no secret,
// and a callback counts only in the browser that started it. Finish checks
// the state against that cookie, uses the row once, checks RFC 9207's iss,
// exchanges the code and verifies the ID token with go-oidc (signature,
// issuer, audience, expiry) and its nonce. Upstream tokens are not kept.
//
// Every check that fails is audited (storage.AuditUpstreamFailed) with the
// provider's name and a short reason written here: text from an upstream
// never reaches a page, a log line or the audit log unchecked.
//
// An identity is (provider, upstream sub). SignIn finds its hub user, links
// it by a verified e-mail address where the provider allows it, or
// provisions a user (storage.ProvisionAuto). The upstream's email_verified
// is kept in storage.User.EmailVerified; only a verified address of exactly
// one user, not disabled, not an administrator and not linked to the
// provider already, is linked by.
// At each sign-in the user's name, e-mail and, with a groups claim, the
// memberships of groups under the provider's prefix follow the upstream;
// a disabled hub user stays disabled whatever the upstream says.
package upstream
