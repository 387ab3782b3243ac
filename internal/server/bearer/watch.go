package bearer

import (
	"context"
	"time"

	"github.com/hubauth/hubauth/internal/storage"
)

// Watch returns store with the writes that may end a token the verifier
// holds verified (a revoked access token or session, a user signed out
// everywhere, a disabled client or user, a revoked personal token)
// emptying its cache once they succeed, so that this node refuses the
// token from then on rather than after VerifiedTTL. The hub's handlers
// write through it; other nodes see the change within VerifiedTTL.
func (v *Verifier) Watch(store storage.Storage) storage.Storage {
	return watched{Storage: store, c: v.verified}
}

// watched is a storage.Storage whose token-ending writes empty a
// verifiedCache.
type watched struct {
	storage.Storage
	c *verifiedCache
}

// after empties the cache once a write succeeded (the write committed:
// a lookup that starts later reads its effect) and returns err.
func (w watched) after(err error) error {
	if err == nil {
		w.c.forgetAll()
	}
	return err
}

func (w watched) UpdateUser(ctx context.Context, id string, update func(storage.User) (storage.User, error)) error {
	return w.after(w.Storage.UpdateUser(ctx, id, update))
}

func (w watched) UpdateClient(ctx context.Context, id string, update func(storage.Client) (storage.Client, error)) error {
	return w.after(w.Storage.UpdateClient(ctx, id, update))
}

func (w watched) EndBrowserSession(ctx context.Context, id string, now time.Time) ([]string, error) {
	ids, err := w.Storage.EndBrowserSession(ctx, id, now)
	return ids, w.after(err)
}

func (w watched) EndUserSessions(ctx context.Context, userID string, now time.Time, personalTokens bool) (storage.EndedSessions, error) {
	ended, err := w.Storage.EndUserSessions(ctx, userID, now, personalTokens)
	return ended, w.after(err)
}

func (w watched) RevokeSession(ctx context.Context, id string, now time.Time) error {
	return w.after(w.Storage.RevokeSession(ctx, id, now))
}

func (w watched) RevokeAccessToken(ctx context.Context, tokenID string, expiresAt time.Time) error {
	return w.after(w.Storage.RevokeAccessToken(ctx, tokenID, expiresAt))
}

// RotateRefreshToken empties the cache only when the rotation revoked the
// token's family (a reused token): every other rotation leaves the
// session's access tokens valid.
func (w watched) RotateRefreshToken(ctx context.Context, key storage.RefreshKey, next storage.RefreshToken, now time.Time, grace time.Duration, check func(storage.Session) error) (storage.RotateResult, error) {
	r, err := w.Storage.RotateRefreshToken(ctx, key, next, now, grace, check)
	if err == nil && r.Outcome == storage.ReuseDetected {
		w.c.forgetAll()
	}
	return r, err
}

func (w watched) UpdatePersonalToken(ctx context.Context, userID, id string, update func(storage.PersonalToken) (storage.PersonalToken, error)) error {
	return w.after(w.Storage.UpdatePersonalToken(ctx, userID, id, update))
}

func (w watched) DeletePersonalToken(ctx context.Context, userID, id string) error {
	return w.after(w.Storage.DeletePersonalToken(ctx, userID, id))
}
