package storage

import (
	"slices"
	"strings"
	"time"
)

// personalTokenParent starts the Session.ParentID of a session exchanged
// from a personal token (RFC 8693 with a personal token as subject): the
// token's id follows it. Session ids never start with it.
const personalTokenParent = "pat:"

// PersonalTokenParent is the Session.ParentID of a session exchanged from
// the personal token id: revoking, rotating or deleting the token revokes
// it (and what was exchanged from it) in the same transaction.
func PersonalTokenParent(id string) string { return personalTokenParent + id }

// ParentPersonalToken is the personal token a session with this ParentID
// was exchanged from; ok is false for a parent that is a session.
func ParentPersonalToken(parentID string) (id string, ok bool) {
	return strings.CutPrefix(parentID, personalTokenParent)
}

// EndsExchanged reports whether updating personal token old to p ends the
// sessions exchanged from it, and when: revoking it (at its revocation),
// rotating it (a new secret: at its new CreatedAt), bringing its expiry
// forward or changing its scopes (at the later of both). What was
// exchanged from a token never outlives it nor keeps scopes it lost.
func EndsExchanged(old, p PersonalToken) (time.Time, bool) {
	at := p.CreatedAt
	if !p.RevokedAt.IsZero() && p.RevokedAt.After(at) {
		at = p.RevokedAt
	}
	switch {
	case old.RevokedAt.IsZero() && !p.RevokedAt.IsZero(),
		old.Hash != p.Hash,
		!p.ExpiresAt.IsZero() && (old.ExpiresAt.IsZero() || p.ExpiresAt.Before(old.ExpiresAt)),
		!slices.Equal(old.Scopes, p.Scopes):
		return at, true
	}
	return time.Time{}, false
}
