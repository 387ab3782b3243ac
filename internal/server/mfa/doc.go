// Package mfa holds the rules of second factors, for every place the hub
// asks for one (the login step, the device page, the password endpoints)
// and the account page that manages them: verifying an authenticator
// app's code (RFC 6238, each code good once), spending a recovery code,
// passkeys (WebAuthn, go-webauthn: registration, a sign-in with a passkey
// alone, a passkey as second factor; the relying party is the issuer),
// enrolling and removing (removeFactor: the last factor the policy requires
// stays), and the operator's policy (serve --require-mfa) that decides who
// must have a second factor. Wrong codes and refused passkeys are slowed
// down like failed passwords (throttle.LoginGuard) and every outcome goes
// to the audit log.
package mfa
