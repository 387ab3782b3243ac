package jsonapi

import (
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/hubauth/hubauth/internal/server/account"
	"github.com/hubauth/hubauth/internal/storage"
)

func TestTokenError(t *testing.T) {
	other := errors.New("disk full")
	tests := []struct {
		name       string
		err        error
		wantStatus int // 0: err is returned as given
		wantCode   string
		wantDesc   string
	}{
		{"refused input", &account.InputError{Field: account.FieldScopes, Code: "invalid_scope", Description: "unknown scope"},
			http.StatusUnprocessableEntity, "invalid_scope", "unknown scope"},
		{"scope not held", fmt.Errorf("wrapped: %w", &account.NotHeldError{Scope: "uploads:write"}),
			http.StatusForbidden, "insufficient_scope", `your token does not hold the scope "uploads:write" it would grant`},
		{"duplicate name", fmt.Errorf("account: store personal token: %w", storage.ErrAlreadyExists),
			http.StatusConflict, "conflict", `you already have a token named "ci"`},
		{"anything else", other, 0, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := TokenError(tt.err, "ci")
			var e *Error
			if tt.wantStatus == 0 {
				if err != tt.err {
					t.Fatalf("TokenError = %v, want %v as given", err, tt.err)
				}
				return
			}
			if !errors.As(err, &e) {
				t.Fatalf("TokenError = %v, want an *Error", err)
			}
			if got, want := *e, (Error{Status: tt.wantStatus, Code: tt.wantCode, Description: tt.wantDesc}); got != want {
				t.Errorf("TokenError = %+v, want %+v", got, want)
			}
		})
	}
}
