package account

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hubauth/hubauth/internal/secret"
	"github.com/hubauth/hubauth/internal/server/bearer"
	"github.com/hubauth/hubauth/internal/server/scopes"
	"github.com/hubauth/hubauth/internal/storage"
)

// States of a personal token, as NOMAD's PAT API names them.
const (
	StateActive  = "active"
	StateRevoked = "revoked"
	StateExpired = "expired"
)

// State returns t's state at now: revoked, else expired, else active.
func State(t storage.PersonalToken, now time.Time) string {
	switch {
	case !t.RevokedAt.IsZero():
		return StateRevoked
	case !t.ExpiresAt.IsZero() && !now.Before(t.ExpiresAt):
		return StateExpired
	}
	return StateActive
}

// ErrNotActive is a revoked or expired token asked to rotate.
var ErrNotActive = errors.New("account: the token is revoked or expired")

// ErrPersonalCaller refuses a personal token any management of personal
// tokens or logins — listing, reading, creating, rotating, revoking (NOMAD's
// rule too: a PAT cannot operate on PATs). A leaked personal token must
// not be able to mint others that outlive it, nor end the user's logins.
var ErrPersonalCaller = errors.New("account: personal tokens cannot manage personal tokens or logins: use an access token (hubauth login)")

// CheckCaller returns ErrPersonalCaller for a caller p authenticated by a
// personal token. Every route on personal tokens and logins calls it
// before anything else.
func CheckCaller(p bearer.Principal) error {
	if p.Kind != bearer.KindAccessToken {
		return ErrPersonalCaller
	}
	return nil
}

// Action is who acts on a token and from where, for the audit record.
type Action struct {
	UserID string
	// ClientID is the client of the caller's access token; empty from the
	// account page.
	ClientID string
	Address  string
	// Via names the endpoint, when not the usual one.
	Via string
}

func (a Action) event(typ, tokenID string, at time.Time) storage.AuditEvent {
	detail := "personal token " + tokenID
	if a.Via != "" {
		detail += " via " + a.Via
	}
	return storage.AuditEvent{Time: at, Type: typ, UserID: a.UserID, ClientID: a.ClientID, Address: a.Address, Detail: detail}
}

// Rotate gives a's token id a new secret, in one transaction: the same
// name, description and scopes (but those of token management, which a
// token stored before they were refused may hold), and the same lifetime
// counted from now (never expiring stays so); the old secret is refused
// from then on.
// holds, as TokenRequest.Holds, bounds the scopes the caller may renew.
// Errors: storage.ErrNotFound when unknown or another user's;
// ErrNotActive when revoked or expired; *NotHeldError. Audited as
// AuditTokenRotated.
func (i *Issuer) Rotate(ctx context.Context, a Action, id string, holds func(scope string) bool) (Issued, error) {
	now := i.Now().UTC()
	token := bearer.PersonalTokenPrefix + secret.Base62()
	var out storage.PersonalToken
	err := i.Store.UpdatePersonalToken(ctx, a.UserID, id, func(t storage.PersonalToken) (storage.PersonalToken, error) {
		if State(t, now) != StateActive {
			return t, ErrNotActive
		}
		for _, sc := range t.Scopes {
			if holds != nil && !holds(sc) {
				return t, &NotHeldError{Scope: sc}
			}
		}
		if !t.ExpiresAt.IsZero() {
			t.ExpiresAt = now.Add(t.ExpiresAt.Sub(t.CreatedAt))
		}
		t.Scopes = scopes.WithoutTokenManagement(t.Scopes)
		t.Hash, t.CreatedAt, t.LastUsedAt = secret.Hash(token), now, time.Time{}
		out = t
		return t, nil
	})
	i.forget(id) // harmless when nothing changed
	if err != nil {
		return Issued{}, fmt.Errorf("account: rotate personal token: %w", err)
	}
	i.audit(ctx, a.event(storage.AuditTokenRotated, id, now))
	return Issued{Token: token, PersonalToken: out}, nil
}

// Revoke revokes a's token id at now: it stops working at once and stays
// listed as revoked until collected a day later. storage.ErrNotFound when
// unknown, another user's or already revoked. Audited as AuditRevoke.
func (i *Issuer) Revoke(ctx context.Context, a Action, id string) (storage.PersonalToken, error) {
	now := i.Now().UTC()
	var out storage.PersonalToken
	err := i.Store.UpdatePersonalToken(ctx, a.UserID, id, func(t storage.PersonalToken) (storage.PersonalToken, error) {
		if !t.RevokedAt.IsZero() {
			return t, storage.ErrNotFound
		}
		t.RevokedAt = now
		out = t
		return t, nil
	})
	i.forget(id) // harmless when nothing changed
	if err != nil {
		return out, err
	}
	i.audit(ctx, a.event(storage.AuditRevoke, id, now))
	return out, nil
}

// forget drops token id from this node's verified-token cache.
func (i *Issuer) forget(id string) {
	if i.Bearer != nil {
		i.Bearer.Forget(id)
	}
}
