package scopes

import "slices"

// Scopes of the hub's own token management, with NOMAD's names for it.
const (
	// TokensRead lists personal tokens and logins (the hub's and NOMAD's name).
	TokensRead = "tokens:read"
	// TokensWrite is the hub's scope to create, rotate and revoke them.
	TokensWrite = "tokens:write"
	// TokensCreate is NOMAD's scope to create (and, with TokensDelete,
	// rotate) personal tokens.
	TokensCreate = "tokens:create"
	// TokensDelete is NOMAD's scope to revoke personal tokens and logins.
	TokensDelete = "tokens:delete"
)

// implied is the one mapping of NOMAD's token scopes onto the hub's: a
// token carrying the key may do what needs any of the values. The hub's
// tokens:write is NOMAD's tokens:create and tokens:delete together, so
//
//	create a personal token      needs tokens:create  (tokens:write grants it)
//	revoke a token or a login    needs tokens:delete  (tokens:write grants it)
//	rotate a personal token      needs both           (tokens:write grants both)
//	list tokens and logins       needs tokens:read    (the same name in both)
//
// Endpoints state what they need in NOMAD's finer terms; a token carrying
// tokens:create or tokens:delete alone (a NOMAD script's) passes where
// that part is enough, and a token carrying tokens:write passes
// everywhere. It never goes the other way: tokens:create and tokens:delete
// do not add up to tokens:write for a data API that requires it.
var implied = map[string][]string{
	TokensWrite: {TokensCreate, TokensDelete},
}

// Holds reports whether a token carrying held may act where need is
// required: held includes need, or a scope that implies it.
func Holds(held []string, need string) bool {
	for _, h := range held {
		if h == need || slices.Contains(implied[h], need) {
			return true
		}
	}
	return false
}

// Ask returns the scope a client should ask for to satisfy need: the hub's
// own name (tokens:write for tokens:create and tokens:delete), else need.
// The insufficient_scope challenge names it (RFC 6750 §3.1).
func Ask(need string) string {
	for h, parts := range implied {
		if slices.Contains(parts, need) {
			return h
		}
	}
	return need
}

// IsPart reports whether name is a part of another scope of the hub
// (NOMAD's tokens:create and tokens:delete, parts of tokens:write): forms
// that offer scopes offer the whole one instead.
func IsPart(name string) bool { return Ask(name) != name }

// ManagesTokens reports whether name is a scope of token management
// (tokens:read, tokens:write, tokens:create, tokens:delete). A personal
// token never carries one: a personal token never manages personal tokens
// or logins (NOMAD's _PAT_FORBIDDEN_SCOPES, with the hub's tokens:write).
func ManagesTokens(name string) bool {
	switch name {
	case TokensRead, TokensWrite, TokensCreate, TokensDelete:
		return true
	}
	return false
}

// WithoutTokenManagement returns names without the scopes of token
// management (ManagesTokens), in order.
func WithoutTokenManagement(names []string) []string {
	out := make([]string, 0, len(names))
	for _, n := range names {
		if !ManagesTokens(n) {
			out = append(out, n)
		}
	}
	return out
}
