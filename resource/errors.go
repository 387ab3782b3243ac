package resource

import (
	"errors"
	"fmt"
)

var (
	// ErrInvalidToken means the token is malformed, forged, expired,
	// revoked, for another audience, or not an access token. The error
	// from Verify says which; it never contains the token.
	ErrInvalidToken = errors.New("resource: invalid token")

	// ErrUnavailable means the issuer could not be reached (or answered
	// badly) when a token's keys or introspection were needed: the token
	// was neither accepted nor refused.
	ErrUnavailable = errors.New("resource: issuer unavailable")
)

// tokenError is a refusal with a description for error_description.
type tokenError struct {
	sentinel    error
	description string
	cause       error // logged by nobody, kept for %+v and errors.Is
}

func (e *tokenError) Error() string {
	return e.sentinel.Error() + ": " + e.description
}

func (e *tokenError) Unwrap() []error {
	if e.cause != nil {
		return []error{e.sentinel, e.cause}
	}
	return []error{e.sentinel}
}

// invalid returns an ErrInvalidToken with a description.
func invalid(format string, args ...any) error {
	return &tokenError{sentinel: ErrInvalidToken, description: fmt.Sprintf(format, args...)}
}

// unavailable returns an ErrUnavailable describing what failed.
func unavailable(cause error, format string, args ...any) error {
	return &tokenError{sentinel: ErrUnavailable, description: fmt.Sprintf(format, args...), cause: cause}
}

// description is the text for error_description.
func description(err error) string {
	var te *tokenError
	if errors.As(err, &te) {
		return te.description
	}
	return "the token could not be verified"
}
