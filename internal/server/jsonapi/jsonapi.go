// Package jsonapi writes the hub's JSON answers and errors
// ({"error": "...", "error_description": "..."}) and authenticates bearer
// callers of /api/v1 with RFC 6750 errors.
package jsonapi

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/hubauth/hubauth/internal/server/bearer"
	"github.com/hubauth/hubauth/internal/server/scopes"
	"github.com/hubauth/hubauth/internal/storage"
)

// Error is an API error answer.
type Error struct {
	Status      int    `json:"-"`
	Code        string `json:"error"`
	Description string `json:"error_description,omitempty"`
}

func (e *Error) Error() string { return e.Code + ": " + e.Description }

// ClientChallenge is the WWW-Authenticate challenge sent with every
// invalid_client, which is a 401 (RFC 6749 §5.2): the hub authenticates
// clients with HTTP Basic, or with the same credentials in the form (§2.3.1).
const ClientChallenge = `Basic realm="hubauth"`

// Errorf returns an API error.
func Errorf(status int, code, description string) *Error {
	return &Error{Status: status, Code: code, Description: description}
}

// BodyTooLarge is the answer to a body http.MaxBytesReader cut off: 413
// naming the limit (RFC 9110 §15.5.14); nil for any other error, which
// the caller answers as it does malformed input.
func BodyTooLarge(err error) *Error {
	var mb *http.MaxBytesError
	if !errors.As(err, &mb) {
		return nil
	}
	limit := strconv.FormatInt(mb.Limit, 10) + " bytes"
	if mb.Limit%1024 == 0 {
		limit = strconv.FormatInt(mb.Limit/1024, 10) + " KiB"
	}
	return Errorf(http.StatusRequestEntityTooLarge, "invalid_request", "the body is larger than "+limit+", the most this endpoint reads")
}

// Write writes v as JSON with status, never cached.
func Write(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// WriteError writes err: an *Error as given; storage.ErrUnavailable as 503;
// anything else as a logged 500 whose details stay in the log.
func WriteError(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	var e *Error
	switch {
	case errors.As(err, &e):
		if e.Code == "invalid_client" {
			w.Header().Set("WWW-Authenticate", ClientChallenge)
		}
	case errors.Is(err, storage.ErrUnavailable):
		w.Header().Set("Retry-After", "2")
		e = Errorf(http.StatusServiceUnavailable, "temporarily_unavailable", "the hub cannot reach its database; try again shortly")
	default:
		log.ErrorContext(r.Context(), "request failed", "path", r.URL.Path, "err", err)
		e = Errorf(http.StatusInternalServerError, "server_error", "internal error")
	}
	Write(w, e.Status, e)
}

// Authenticate verifies the request's bearer token. On failure it writes a
// 401 with WWW-Authenticate (RFC 6750 §3) and returns false.
func Authenticate(v *bearer.Verifier, log *slog.Logger, w http.ResponseWriter, r *http.Request) (bearer.Principal, bool) {
	p, err := Verify(v, w, r)
	if err != nil {
		WriteError(w, r, log, err)
		return p, false
	}
	return p, true
}

// Verify verifies the request's bearer token for a caller that writes its
// errors in its own shape (NOMAD's {"detail"}): a missing or refused token
// sets the WWW-Authenticate challenge (RFC 6750 §3) on w and is a 401
// *Error; any other error (the database down) is returned as is.
func Verify(v *bearer.Verifier, w http.ResponseWriter, r *http.Request) (bearer.Principal, error) {
	token, ok := bearer.FromRequest(r)
	if !ok {
		w.Header().Set("WWW-Authenticate", `Bearer realm="hubauth"`)
		return bearer.Principal{}, Errorf(http.StatusUnauthorized, "invalid_token", "authentication required: send Authorization: Bearer <token>")
	}
	p, err := v.Verify(r.Context(), token)
	if errors.Is(err, bearer.ErrInvalidToken) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="hubauth", error="invalid_token", error_description="the token is invalid, expired or revoked"`)
		return p, Errorf(http.StatusUnauthorized, "invalid_token", "the token is invalid, expired or revoked")
	}
	return p, err
}

// Admit admits p, a user's token, to an endpoint needing the scopes named
// in need (space separated; none when empty): each held by the token
// (bearer.Principal.HasScope, which applies NOMAD's token scope names) or
// by a first-party client acting with the user's full rights. A service
// account's token is refused with 403 access_denied, a missing scope with
// 403 insufficient_scope naming the scope to ask for (scopes.Ask).
func Admit(p bearer.Principal, need string) error {
	if p.User == nil {
		return Errorf(http.StatusForbidden, "access_denied", "this endpoint is for users; the token belongs to a service account")
	}
	for _, n := range strings.Fields(need) {
		if !p.HasScope(n) && !p.FirstParty {
			msg := "this request needs the " + scopes.Ask(n) + " scope"
			if scopes.Ask(n) != n {
				msg += " (or NOMAD's " + n + ")"
			}
			return Errorf(http.StatusForbidden, "insufficient_scope", msg)
		}
	}
	return nil
}

// ScopeChallenge is the WWW-Authenticate challenge of a 403
// insufficient_scope at an endpoint needing the scopes of need: it names
// the scopes to ask for (RFC 6750 §3.1), the hub's own names.
func ScopeChallenge(need string) string {
	var ask []string
	for _, n := range strings.Fields(need) {
		if a := scopes.Ask(n); !slices.Contains(ask, a) {
			ask = append(ask, a)
		}
	}
	return `Bearer realm="hubauth", error="insufficient_scope", scope="` + strings.Join(ask, " ") + `"`
}
