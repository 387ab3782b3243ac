// Package account holds the rules a user's own personal tokens and login
// sessions follow, shared by the JSON API (/api/v1/tokens, /api/v1/sessions)
// and the HTML account page (/account): what a new token may be, and how a
// login is revoked without revealing someone else's.
package account

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hubauth/hubauth/internal/names"
	"github.com/hubauth/hubauth/internal/server/scopes"
	"github.com/hubauth/hubauth/internal/storage"
)

// MaxTokenName bounds a personal token's name, in characters.
const MaxTokenName = 64

// MaxTokenDescription bounds a personal token's description, in characters.
const MaxTokenDescription = 500

// DefaultTokenMax is the longest personal token lifetime when the server
// sets none.
const DefaultTokenMax = 30 * 24 * time.Hour

// Fields of a new token that an InputError names.
const (
	FieldName      = "name"
	FieldExpiresIn = "expires_in"
	FieldScopes    = "scopes"
	// FieldDescription is NOMAD's optional description of a PAT.
	FieldDescription = "description"
)

// InputError is a refused new token: the field at fault, an OAuth-style
// error code (invalid_request or invalid_scope) and a message for the user.
type InputError struct {
	Field       string
	Code        string
	Description string
	// Err is the rule broken, when callers tell it apart
	// (ErrManagementScope); nil otherwise.
	Err error
}

func (e *InputError) Error() string { return "account: " + e.Description }

// Unwrap returns Err.
func (e *InputError) Unwrap() error { return e.Err }

// ErrManagementScope is a new personal token asked for a scope of token
// management (scopes.ManagesTokens): a personal token never manages
// personal tokens or logins, NOMAD's rule.
var ErrManagementScope = errors.New("account: personal tokens cannot carry tokens:read, tokens:write, tokens:create or tokens:delete: a personal token never manages personal tokens or logins")

// TokenPolicy is what the operator allows personal tokens.
type TokenPolicy struct {
	// Max is the longest lifetime; DefaultTokenMax when zero.
	Max time.Duration
	// NoExpiry allows tokens that never expire (expires_in 0).
	NoExpiry bool
}

// MaxSeconds is the longest lifetime, in seconds.
func (p TokenPolicy) MaxSeconds() int64 {
	if p.Max <= 0 {
		return int64(DefaultTokenMax / time.Second)
	}
	return int64(p.Max / time.Second)
}

// CheckNewToken validates a new personal token: a name of 1 to
// MaxTokenName characters without surrounding spaces that names.CheckText
// allows (no control characters), a lifetime of 1 to MaxSeconds seconds
// (or 0, never expiring, where NoExpiry allows it; negative: none given)
// and scopes the hub grants (granted) but those of token management
// (ErrManagementScope). Whether the caller may grant the scopes is the
// caller's own check.
func (p TokenPolicy) CheckNewToken(granted *scopes.Set, name string, expiresIn int64, scopeNames []string) *InputError {
	trimmed := strings.TrimSpace(name)
	if trimmed == "" || utf8.RuneCountInString(trimmed) > MaxTokenName || trimmed != name {
		return &InputError{FieldName, "invalid_request", "name must be 1 to " + strconv.Itoa(MaxTokenName) + " characters without surrounding spaces", nil}
	}
	if err := names.CheckText(FieldName, name); err != nil {
		return &InputError{FieldName, "invalid_request", err.Error(), nil}
	}
	switch {
	case expiresIn == 0 && p.NoExpiry:
	case expiresIn < 1 || expiresIn > p.MaxSeconds():
		return &InputError{FieldExpiresIn, "invalid_request", p.lifetimeRule(), nil}
	}
	if err := granted.Check(scopeNames); err != nil {
		return &InputError{FieldScopes, "invalid_scope", err.Error(), nil}
	}
	for _, sc := range scopeNames {
		if scopes.ManagesTokens(sc) {
			return &InputError{FieldScopes, "invalid_scope", strings.TrimPrefix(ErrManagementScope.Error(), "account: "), ErrManagementScope}
		}
	}
	return nil
}

// CheckDescription validates a token's description: at most
// MaxTokenDescription characters that names.CheckText allows; empty is
// none.
func CheckDescription(description string) *InputError {
	if utf8.RuneCountInString(description) > MaxTokenDescription {
		return &InputError{FieldDescription, "invalid_request", "description must be at most " + strconv.Itoa(MaxTokenDescription) + " characters", nil}
	}
	if description == "" {
		return nil
	}
	if err := names.CheckText(FieldDescription, description); err != nil {
		return &InputError{FieldDescription, "invalid_request", err.Error(), nil}
	}
	return nil
}

// lifetimeRule says which lifetimes the policy allows.
func (p TokenPolicy) lifetimeRule() string {
	rule := "expires_in must be 1 to " + strconv.FormatInt(p.MaxSeconds(), 10) + " seconds (the server's maximum)"
	if p.NoExpiry {
		rule += ", or 0 for a token that never expires"
	}
	return rule
}

// DuplicateName is the message for a name the user already gave a token.
func DuplicateName(name string) string {
	return "you already have a token named " + strconv.Quote(name)
}

// RevokeSession ends one of userID's logins (its whole refresh token
// family) at now and returns it. A session that is unknown, already
// revoked or someone else's gives storage.ErrNotFound, so that a caller
// cannot learn that another user's session exists.
func RevokeSession(ctx context.Context, store storage.Sessions, userID, id string, now time.Time) (storage.Session, error) {
	s, err := store.GetSession(ctx, id)
	if err != nil {
		return s, err
	}
	if s.UserID != userID || !s.RevokedAt.IsZero() {
		return storage.Session{}, storage.ErrNotFound
	}
	return s, store.RevokeSession(ctx, id, now)
}
