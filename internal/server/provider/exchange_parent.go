package provider

import (
	"context"

	"github.com/zitadel/oidc/v3/pkg/oidc"

	"github.com/hubauth/hubauth/internal/server/bearer"
	"github.com/hubauth/hubauth/internal/storage"
)

// errSubjectEnded refuses an exchange whose subject's login session or
// personal token ended before the exchanged session was stored.
var errSubjectEnded = oidc.ErrInvalidGrant().WithDescription("the subject token's login session or personal token has ended")

// exchangeParent is what a session exchanged from p descends from, as a
// session: p's login session, or (a personal token) one standing for the
// token, with ID storage.PersonalTokenParent, its name, scopes and end.
func (s *Storage) exchangeParent(ctx context.Context, p bearer.Principal) (storage.Session, error) {
	if p.Kind == bearer.KindPersonalToken {
		return s.personalTokenParent(ctx, p.Subject, p.TokenID)
	}
	parent, err := s.store.GetSession(ctx, p.SessionID)
	now := s.now()
	if isNotFound(err) || (err == nil && (!parent.RevokedAt.IsZero() || !now.Before(parent.ExpiresAt))) {
		return parent, oidc.ErrInvalidGrant().WithDescription("the subject token's login session has ended")
	}
	return parent, err
}

// personalTokenParent is the parent session standing for userID's live
// personal token id: it ends when the token expires or, for a token that
// never expires, after the session lifetime; invalid_grant when the token
// is revoked, expired or unknown.
func (s *Storage) personalTokenParent(ctx context.Context, userID, id string) (storage.Session, error) {
	pt, err := s.store.GetPersonalToken(ctx, userID, id)
	now := s.now()
	if isNotFound(err) || (err == nil && (!pt.RevokedAt.IsZero() || (!pt.ExpiresAt.IsZero() && !now.Before(pt.ExpiresAt)))) {
		return storage.Session{}, oidc.ErrInvalidGrant().WithDescription("the personal token this was exchanged from is revoked or expired")
	}
	if err != nil {
		return storage.Session{}, err
	}
	end := pt.ExpiresAt
	if end.IsZero() {
		end = now.Add(s.cfg.SessionTTL)
	}
	return storage.Session{ID: storage.PersonalTokenParent(pt.ID), UserID: pt.UserID, Name: pt.Name,
		Scopes: pt.Scopes, AuthTime: pt.CreatedAt, ExpiresAt: end}, nil
}
