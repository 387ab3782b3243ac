package jsonapi

import (
	"errors"
	"net/http"

	"github.com/hubauth/hubauth/internal/server/account"
	"github.com/hubauth/hubauth/internal/storage"
)

// TokenError is the answer to a personal token account.Issuer refused:
// 422 for a refused name, description, lifetime or scope, 403
// insufficient_scope for a scope the caller does not hold, 403
// access_denied to a personal token managing tokens or logins, 409 for a
// name the user already gave a token, a user with account.MaxActiveTokens
// active ones or a revoked or expired token to rotate; any other error as given (storage.ErrNotFound included: the
// caller names what was not found).
func TokenError(err error, name string) error {
	var input *account.InputError
	var notHeld *account.NotHeldError
	switch {
	case errors.As(err, &input):
		return Errorf(http.StatusUnprocessableEntity, input.Code, input.Description)
	case errors.As(err, &notHeld):
		return Errorf(http.StatusForbidden, "insufficient_scope", notHeld.Description())
	case errors.Is(err, account.ErrPersonalCaller):
		return Errorf(http.StatusForbidden, "access_denied", "personal tokens cannot manage personal tokens or logins: use an access token (hubauth login)")
	case errors.Is(err, storage.ErrAlreadyExists):
		return Errorf(http.StatusConflict, "conflict", account.DuplicateName(name))
	case errors.Is(err, account.ErrTooManyTokens):
		return Errorf(http.StatusConflict, "conflict", account.TooManyTokens())
	case errors.Is(err, account.ErrNotActive):
		return Errorf(http.StatusConflict, "conflict", "the token is revoked or expired: create a new one")
	}
	return err
}
