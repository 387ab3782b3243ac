package provider

import (
	"context"
	"strings"
	"time"

	"github.com/hubauth/hubauth/internal/secret"
	"github.com/hubauth/hubauth/internal/storage"
)

// A refresh token names its session: "<session id>.<secret>". The store
// keeps a session's tokens side by side by it (storage.RefreshKey), so a
// rotation touches the same few pages however many sessions there are.
// The hash covers the whole token: the session id in it cannot be changed
// without the token's becoming unknown. Tokens issued before have no ".":
// base64url has none.
const refreshSessionSep = "."

// newRefreshToken returns a refresh token of session id, issued at now,
// and the record the store keeps of it.
func (s *Storage) newRefreshToken(sessionID string, now time.Time) (string, storage.RefreshToken) {
	token := sessionID + refreshSessionSep + secret.New()
	return token, storage.RefreshToken{Hash: secret.Hash(token), SessionID: sessionID,
		CreatedAt: now, ExpiresAt: now.Add(s.cfg.RefreshTokenTTL)}
}

// refreshKey is how the store finds a presented refresh token; a token
// issued before tokens named their session gives a key without one.
func refreshKey(token string) storage.RefreshKey {
	session, _, named := strings.Cut(token, refreshSessionSep)
	if !named {
		session = ""
	}
	return storage.RefreshKey{SessionID: session, Hash: secret.Hash(token)}
}

// presentedKey is refreshKey with the session of a token issued before
// tokens named theirs read from the store (ErrNotFound when unknown): its
// successor names that session.
func (s *Storage) presentedKey(ctx context.Context, token string) (storage.RefreshKey, error) {
	key := refreshKey(token)
	if key.SessionID != "" {
		return key, nil
	}
	t, _, err := s.store.GetRefreshToken(ctx, key)
	key.SessionID = t.SessionID
	return key, err
}

// rotate has the store rotate a presented refresh token and returns its
// successor (storage.Sessions.RotateRefreshToken).
func (s *Storage) rotate(ctx context.Context, token string, check func(storage.Session) error) (string, storage.RotateResult, error) {
	key, err := s.presentedKey(ctx, token)
	if err != nil {
		return "", storage.RotateResult{}, err
	}
	now := s.now()
	next, rec := s.newRefreshToken(key.SessionID, now)
	res, err := s.store.RotateRefreshToken(ctx, key, rec, now, s.cfg.RefreshGrace, check)
	return next, res, err
}
