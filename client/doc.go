// Package client is the hubauth SDK: it logs a user in to an OpenID Connect
// provider from a program, keeps the session on disk, refreshes it, and
// sends authenticated requests.
//
// It works with any standards-compliant provider, not only hubauth serve:
// every endpoint comes from the provider's discovery document
// (OpenID Connect Discovery 1.0), and the flows are the standard ones —
// authorization code with PKCE S256 on a loopback redirect (RFC 7636,
// RFC 8252), the device authorization grant (RFC 8628), a token given as
// is, and a password login (the resource owner password grant where the
// provider offers it, else hubauth's POST /api/v1/auth/token). Logout
// revokes at the provider (RFC 7009).
//
// A Client is made from a Config with New, which restores the session
// stored for the server and profile without any network request:
//
//	c, err := client.New(ctx, client.Config{Server: "https://auth.example.org"})
//	if err != nil { ... }
//	if _, ok := c.Session(); !ok {
//		err = c.LoginBrowser(ctx, client.BrowserOptions{})
//	}
//	resp, err := c.HTTPClient(ctx).Get("https://data.example.org/api/v1/uploads")
//	if err == nil {
//		err = client.CheckResponse(resp)
//	}
//	if errors.Is(err, client.ErrNotLoggedIn) { ... }
//
// Credentials are looked up in a fixed order: Config.Token (the CLI fills
// it from HUBAUTH_TOKEN), then the session stored for Config.Server and
// Config.Profile. Sessions live in tokens.json in the platform data
// directory (see DataDir), an owner-only file written atomically under a
// lock, so that several processes share one session and refresh it once.
// Only a Client writes a session (login, refresh, logout); StoredSessions
// lists them without their tokens. With Config.Store set to StoreKeyring
// the refresh token is kept in the operating system's keychain instead
// (Config.Keyring; package client/keyring provides it), and a keychain
// that fails or hangs leaves it in the file, with a warning.
//
// Errors that callers branch on are sentinels (ErrNotLoggedIn,
// ErrSessionExpired, ErrForbidden, ...) tested with errors.Is; protocol
// failures carry their fields in *HTTPError and *AuthorizationError. No
// error or warning ever contains a token or a password.
package client
