package client

import (
	"errors"

	"github.com/hubauth/hubauth/client/internal/store"
)

// Errors of the sessions file (tokens.json in Config.DataDir), for callers
// to test with errors.Is.
var (
	// ErrInsecureFile is returned when the sessions file can be read or
	// written by users other than its owner. The file is not used until its
	// mode is fixed; the error says how (chmod 600 <file>).
	ErrInsecureFile = store.ErrInsecureFile

	// ErrCorruptStore is returned when the sessions file is not valid (for
	// example truncated). The file has then been moved aside, and the error
	// says where; the store starts again empty.
	ErrCorruptStore = store.ErrCorruptStore
)

// Errors of the SDK's flows, for callers to test with errors.Is. The
// seeds' PermissionError is errors.Is(err, ErrNotLoggedIn) or
// errors.Is(err, ErrForbidden).
var (
	// ErrNotLoggedIn means there is no session for the server and
	// profile, or a server answered 401 (see HTTPError).
	ErrNotLoggedIn = errors.New("client: not logged in: run hubauth login")

	// ErrSessionExpired means the session can no longer be refreshed: the
	// server refused the refresh token, or a token given as is expired.
	ErrSessionExpired = errors.New("client: session expired or revoked: run hubauth login")

	// ErrForbidden means a server answered 403: logged in, but not
	// allowed (see HTTPError).
	ErrForbidden = errors.New("client: forbidden")

	// ErrAccessDenied means the user refused the login (access_denied,
	// RFC 6749 §4.1.2.1, RFC 8628 §3.5).
	ErrAccessDenied = errors.New("client: access denied: the login was refused")

	// ErrExpiredCode means the device code expired before the user
	// approved it (expired_token, RFC 8628 §3.5).
	ErrExpiredCode = errors.New("client: the device code expired before it was approved: log in again")

	// ErrSessionExists means a login would replace a live session for
	// the same server and profile; pass Force to replace it.
	ErrSessionExists = errors.New("client: already logged in to this server and profile")

	// ErrInvalidCredentials means the server refused the username or
	// password (invalid_grant), not the client (see LoginPassword).
	ErrInvalidCredentials = errors.New("client: invalid username or password")

	// ErrMFARequired means the account signs in with a second factor
	// (an authenticator app's code) and none was given: set
	// PasswordOptions.OTP, or log in in the browser or with the device flow.
	ErrMFARequired = errors.New("client: this account needs a second factor (an authenticator app's code)")

	// ErrInvalidOTP means the server refused the second factor: a wrong,
	// expired or already used code.
	ErrInvalidOTP = errors.New("client: the second factor's code was refused (wrong, expired or already used)")

	// ErrServerNotTold means Logout deleted the local session but could
	// not revoke it at the server; the error also wraps the cause, which
	// its message gives in parentheses.
	ErrServerNotTold = errors.New("client: logged out locally; the server was not told")

	// ErrNoBrowser means LoginBrowser could not open a browser and had
	// no Prompt to show the URL with; the caller may fall back to
	// LoginDevice.
	ErrNoBrowser = errors.New("client: no browser could be opened")

	// ErrInsecureHTTP means a request that carries credentials was not
	// sent because it would go over plain http to a host that is not
	// loopback (see Config.AllowInsecureHTTP).
	ErrInsecureHTTP = errors.New("client: refusing plain http")

	// ErrNotFound means a server answered 404: no such token, session or
	// group of yours (see HTTPError).
	ErrNotFound = errors.New("client: not found")

	// ErrConflict means a server answered 409, e.g. a personal token of
	// that name exists already (see HTTPError).
	ErrConflict = errors.New("client: conflict")
)

// errStaticExpired is ErrSessionExpired for Config.Token.
var errStaticExpired = &flowError{msg: "client: the token given in HUBAUTH_TOKEN has expired", errs: []error{ErrSessionExpired}}

// flowError is an error with its own message that matches the sentinels
// (and causes) it wraps.
type flowError struct {
	msg  string
	errs []error
}

func (e *flowError) Error() string   { return e.msg }
func (e *flowError) Unwrap() []error { return e.errs }

// newFlowError returns an error reading "<sentinel>: <cause>" that wraps
// both.
func newFlowError(sentinel, cause error) error {
	return &flowError{msg: sentinel.Error() + ": " + trimPrefix(cause.Error()), errs: []error{sentinel, cause}}
}

// trimPrefix drops a leading "client: " so that wrapped messages do not
// repeat it.
func trimPrefix(msg string) string {
	const p = "client: "
	if len(msg) > len(p) && msg[:len(p)] == p {
		return msg[len(p):]
	}
	return msg
}
