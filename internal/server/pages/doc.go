// Package pages serves the hub's HTML steps: /login (username and
// password or a passkey, single sign-on through the hub session cookie),
// the second factor (/mfa: a code or a passkey; the set-up the policy
// requires), the consent step for third-party clients, /device (enter a
// user code, approve or deny a device), /account (profile, second factors,
// personal tokens: create and revoke, active logins: revoke), /logout and
// the signed-in home page.
//
// Every route is protected against cross-site form posts by
// net/http.CrossOriginProtection and answers with a strict Content Security
// Policy (script-src 'none', and 'self' on the passkey page only: the
// hub's own passkey.js, no inline script; frame-ancestors 'none'),
// nosniff, no-referrer and no-store headers. The pages work without JavaScript, except the passkey
// ceremonies (passkey.go), which need the browser's WebAuthn API.
package pages
