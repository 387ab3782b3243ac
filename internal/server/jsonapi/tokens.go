package jsonapi

import (
	"errors"
	"net/http"

	"github.com/hubauth/hubauth/internal/server/account"
	"github.com/hubauth/hubauth/internal/storage"
)

// TokenError is the answer to a personal token account.Issuer refused:
// 422 for a refused name, lifetime or scope, 403 insufficient_scope for a
// scope the caller does not hold, 409 for a name the user already gave a
// token; any other error as given.
func TokenError(err error, name string) error {
	var input *account.InputError
	var notHeld *account.NotHeldError
	switch {
	case errors.As(err, &input):
		return Errorf(http.StatusUnprocessableEntity, input.Code, input.Description)
	case errors.As(err, &notHeld):
		return Errorf(http.StatusForbidden, "insufficient_scope", notHeld.Description())
	case errors.Is(err, storage.ErrAlreadyExists):
		return Errorf(http.StatusConflict, "conflict", account.DuplicateName(name))
	}
	return err
}
