package resource

import (
	"context"
	"slices"
)

// Token kinds reported in Caller.TokenKind: a hubauth personal token (by
// its prefix, or the introspection answer's token_type), or any other
// access token, JWT or opaque.
const (
	TokenKindAccess   = "access_token"
	TokenKindPersonal = "personal_token"
)

// PersonalTokenPrefix starts every hubauth personal token.
const PersonalTokenPrefix = "hubauth_pat_"

// Caller is who made a request, as its token says. The slices are shared
// between the requests of one token: do not modify them.
type Caller struct {
	// Subject is the token's sub: the user's stable id at the hub (or the
	// client's, for a client_credentials token).
	Subject string
	// Username is the user's unique name: the token's preferred_username
	// or username claim, the introspection answer's, or with
	// Config.UserInfo the userinfo endpoint's. Empty when none says.
	Username string
	// Groups are the user's groups when the token, the introspection
	// answer or (with Config.UserInfo) the userinfo endpoint lists them;
	// nil otherwise. hubauth access tokens and introspection answers do
	// not list them.
	Groups []string
	// Scopes are the token's scopes.
	Scopes []string
	// ClientID is the client the token was issued to (empty for a
	// hubauth personal token).
	ClientID string
	// TokenKind is TokenKindPersonal for a hubauth personal token,
	// TokenKindAccess for any other access token.
	TokenKind string
	// AMR are the ways the user signed in (RFC 8176: "pwd", "otp",
	// "mfa", "fed", …) and ACR the class ("mfa" after two factors), as
	// the token or the introspection answer says; empty for tokens of no
	// sign-in (personal tokens, client credentials).
	AMR []string
	ACR string
}

// MFA reports whether the caller signed in with two factors: acr "mfa"
// or amr "mfa" (RFC 8176 §2).
func (c Caller) MFA() bool { return c.ACR == "mfa" || contains(c.AMR, "mfa") }

// HasScope reports whether the caller's token carries scope.
func (c Caller) HasScope(scope string) bool { return contains(c.Scopes, scope) }

// InGroup reports whether the caller is known to belong to group.
func (c Caller) InGroup(group string) bool { return contains(c.Groups, group) }

func contains(list []string, s string) bool { return slices.Contains(list, s) }

// state is what Handler leaves in a request's context.
type state struct {
	params authParams // the Middleware's, for its challenges
	caller Caller
	ok     bool // false: an anonymous request (Config.AllowAnonymous)
}

type stateKey struct{}

// CallerFrom returns the caller of a request that went through
// Middleware.Handler; ok is false for an anonymous request (AllowAnonymous)
// or a context that did not.
func CallerFrom(ctx context.Context) (c Caller, ok bool) {
	s, _ := ctx.Value(stateKey{}).(*state)
	if s == nil || !s.ok {
		return Caller{}, false
	}
	return s.caller, true
}

func stateFrom(ctx context.Context) *state {
	s, _ := ctx.Value(stateKey{}).(*state)
	return s
}
