package upstream

import (
	"context"
	"errors"
	"net"
	"net/url"
)

// Sentinel errors that callers (the pages) branch on with errors.Is.
var (
	// ErrUnknownProvider: no provider has the name, or it is disabled
	// (404 for Begin, a refused callback).
	ErrUnknownProvider = errors.New("upstream: unknown or disabled provider")
	// ErrUnreachable: the upstream could not be reached or was too slow
	// (discovery, token endpoint, keys, userinfo), or answered 5xx.
	ErrUnreachable = errors.New("upstream: provider unreachable")
	// ErrCancelled: the user cancelled at the upstream (error=access_denied)
	// or it answered with another error.
	ErrCancelled = errors.New("upstream: sign-in cancelled at the provider")
	// ErrMisconfigured: the provider is not set up correctly on the hub or
	// at the upstream: its issuer serves no OpenID Connect discovery
	// document, its certificate is not trusted, or it refused the hub's
	// authorization request as invalid (invalid_request, invalid_scope …).
	ErrMisconfigured = errors.New("upstream: provider misconfigured")
	// ErrRejected: a bad, missing or replayed state, a missing cookie
	// (another browser), a bad signature, nonce, audience or issuer, or
	// claims that cannot be used.
	ErrRejected = errors.New("upstream: sign-in response rejected")
	// ErrNoAccount: the identity is linked to no user and the provider does
	// not provision.
	ErrNoAccount = errors.New("upstream: no account for this identity")
	// ErrUserDisabled: the identity's hub user is disabled.
	ErrUserDisabled = errors.New("upstream: user disabled")
	// ErrLinkedElsewhere: Link of an identity that belongs to another user.
	ErrLinkedElsewhere = errors.New("upstream: identity linked to another user")
)

// failure is a failed sign-in step: the sentinel the caller branches on,
// a short reason of ours (audited, safe to log: no secret, no upstream
// text), and the cause, which may quote the upstream and so is only
// unwrapped, never part of the message.
type failure struct {
	kind   error
	reason string
	cause  error
}

func fail(kind error, reason string, cause error) *failure {
	return &failure{kind: kind, reason: reason, cause: cause}
}

func (e *failure) Error() string { return e.kind.Error() + ": " + e.reason }

func (e *failure) Unwrap() []error {
	if e.cause == nil {
		return []error{e.kind}
	}
	return []error{e.kind, e.cause}
}

// reason returns the audit reason of err: a failure's own, or a generic
// one for errors of the hub itself (the database).
func reason(err error) string {
	var f *failure
	if errors.As(err, &f) {
		return f.reason
	}
	return "internal error"
}

// isNetwork reports whether err is a transport failure or a time limit:
// the upstream is unreachable, not wrong.
func isNetwork(err error) bool {
	var ne net.Error
	var ue *url.Error
	return errors.As(err, &ne) || errors.As(err, &ue) || errors.Is(err, context.DeadlineExceeded)
}
