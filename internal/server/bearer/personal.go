package bearer

import (
	"context"
	"fmt"
	"time"

	"github.com/hubauth/hubauth/internal/secret"
	"github.com/hubauth/hubauth/internal/storage"
)

// NewPersonalToken makes a personal token for userID and stores only its
// hash. It returns the secret, to be shown once, and the stored record. A
// zero ttl means no expiry.
func NewPersonalToken(ctx context.Context, store storage.PersonalTokens, userID, name string, scopes []string, ttl time.Duration, now time.Time) (string, storage.PersonalToken, error) {
	token := PersonalTokenPrefix + secret.Base62()
	pt := storage.PersonalToken{
		ID: secret.ID(), UserID: userID, Name: name, Hash: secret.Hash(token),
		Scopes: scopes, CreatedAt: now.UTC(),
	}
	if ttl > 0 {
		pt.ExpiresAt = pt.CreatedAt.Add(ttl)
	}
	if err := store.CreatePersonalToken(ctx, pt); err != nil {
		return "", pt, fmt.Errorf("bearer: store personal token: %w", err)
	}
	return token, pt, nil
}
