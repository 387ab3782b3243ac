// Package mfa holds the rules of second factors, for every place the hub
// asks for one (the login step, the device page, the password endpoints)
// and the account page that manages them: verifying an authenticator
// app's code (RFC 6238, each code good once), spending a recovery code,
// enrolling and removing, and the operator's policy (serve --require-mfa)
// that decides who must have a second factor. Wrong codes are slowed down
// like failed passwords (throttle.LoginGuard) and every outcome goes to the
// audit log. Passkeys will be another factor beside the authenticator app.
package mfa
