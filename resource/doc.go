// Package resource is the middleware a data API (a resource server, in
// OAuth terms) uses to accept hubauth tokens:
//
//	m, err := resource.New(ctx, resource.Config{Issuer: "https://auth.example.org", URL: "https://data.example.org"})
//	if err != nil { ... }
//	api.Handle("GET /api/v1/uploads", resource.RequireScope("uploads:read", uploads))
//	mux.Handle("GET "+m.MetadataPath(), m.Metadata())
//	mux.Handle("/", m.Handler(api))
//	http.ListenAndServe(addr, mux)
//	// in uploads: caller, _ := resource.CallerFrom(r.Context())
//
// Two kinds of bearer tokens are accepted (RFC 6750 §2.1, the
// Authorization header only):
//
//   - JWT access tokens, verified offline against the issuer's published
//     keys (RFC 7517/7519): ES256 or RS256 only, never "none" or an HMAC;
//     iss, exp and nbf (with Config.Leeway), and aud. A JWT counts as an
//     access token only when it carries a scope (or scp) claim or the RFC
//     9068 type at+jwt, or with Config.AcceptJWTAudience an aud naming
//     the API and no sign of an ID token (nonce, at_hash, c_hash, payload
//     typ "ID", an azp that is the API's audience), so an ID token is
//     refused.
//     Verified tokens are remembered (keyed by their SHA-256, bounded in
//     number, never past their exp), so the signature is checked once.
//   - Opaque tokens, such as hubauth personal tokens (hubauth_pat_…),
//     checked with the issuer's introspection endpoint (RFC 7662) using the
//     API's own client credentials (Config.ClientID, Config.ClientSecret).
//     Answers are kept at most Config.IntrospectionCacheTTL (30 s), so a
//     revoked personal token stops working within that time; refusals are
//     kept 5 s at most.
//
// # The audience
//
// A token is accepted only when it is meant for this API: its aud (or the
// introspection answer's) names one of Config.Audience, by default
// Config.URL, the API's public URL, which the hub puts in aud once the
// API is registered (hubauth admin api add ID --uri URL). A token the
// user gave another application, whose aud is that client or another
// API, gets 401 invalid_token saying so. New refuses a Config with no
// audience unless Config.AnyAudience says to take every token of the
// issuer. Personal tokens, which hubauth introspects without an aud, are
// their user's own tokens and accepted unless Config.RefusePersonalTokens.
//
// Middleware.Metadata serves the API's protected-resource metadata (RFC
// 9728) at Middleware.MetadataPath, and every 401 names it
// (resource_metadata in WWW-Authenticate), so that a client such as
// hubauth login --for URL finds the hub from the API.
//
// The endpoints come from the issuer's discovery document (OpenID Connect
// Discovery 1.0), which New fetches: the issuer must be reachable when the
// API starts. The keys are fetched on first use and fetched again when a
// token names a key id not seen yet (a rotation), at most once per 10 s.
//
// A refused request gets the RFC 6750 §3 answer: 401 with
// WWW-Authenticate: Bearer error="invalid_token" and a JSON body
// {"error", "error_description"} for a bad, expired or revoked token or a
// malformed Authorization header; 401 with a bare Bearer challenge when
// there is no token (unless Config.AllowAnonymous); 403 insufficient_scope
// naming the scope from RequireScope. When the issuer cannot be reached to
// decide (keys or introspection), the answer is 503 temporarily_unavailable.
//
// # What a Caller holds
//
// Subject, Scopes, ClientID and TokenKind come from every token. Username
// and Groups come from the token's preferred_username (or username) and
// groups claims, or from the introspection answer, when present. A hubauth
// access token carries only sub; hubauth's introspection answer has the
// username but no groups. Set Config.UserInfo to complete both from the
// issuer's userinfo endpoint with the caller's own token (hubauth returns
// groups only to tokens with the groups scope).
//
// A JWT access token is checked offline, so its revocation at the hub is
// not seen before it expires (15 minutes by default on hubauth); a
// personal token's is seen within Config.IntrospectionCacheTTL. With
// Config.UserInfo, a revoked JWT is refused once its cached answer ages
// out, as the userinfo endpoint refuses it.
//
// # API dashboard
//
// Middleware.Dashboard serves Swagger UI (embedded, package web/swaggerui)
// for the API's OpenAPI document, with the issuer's endpoints and the
// API dashboard's public client filled in, so that its Authorize button
// logs the user in at the issuer (authorization code with PKCE).
package resource
