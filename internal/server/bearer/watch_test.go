package bearer_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/hubauth/hubauth/internal/hubtest"
	"github.com/hubauth/hubauth/internal/server/bearer"
	"github.com/hubauth/hubauth/internal/storage"
)

// endings are the writes that end a cached token: through the verifier's
// Watch (this node) the token is refused at once, straight on the store
// (another node, `hubauth admin`) within VerifiedTTL.
var endings = []struct {
	name string
	end  func(ctx context.Context, s storage.Storage, f *fixture) error
}{
	{"revoked token id", func(ctx context.Context, s storage.Storage, f *fixture) error {
		return s.RevokeAccessToken(ctx, "at-1", f.clock.Now().Add(time.Hour))
	}},
	{"revoked session", func(ctx context.Context, s storage.Storage, f *fixture) error {
		return s.RevokeSession(ctx, sessionID, f.clock.Now())
	}},
	{"signed out everywhere", func(ctx context.Context, s storage.Storage, f *fixture) error {
		_, err := s.EndUserSessions(ctx, userID, f.clock.Now(), true)
		return err
	}},
	{"disabled user", func(ctx context.Context, s storage.Storage, _ *fixture) error {
		return s.UpdateUser(ctx, userID, func(u storage.User) (storage.User, error) { u.Disabled = true; return u, nil })
	}},
	{"disabled client", func(ctx context.Context, s storage.Storage, _ *fixture) error {
		return s.UpdateClient(ctx, "cli", func(c storage.Client) (storage.Client, error) { c.Disabled = true; return c, nil })
	}},
}

func TestVerifiedAccessTokenEnded(t *testing.T) {
	for _, tc := range endings {
		for _, here := range []bool{true, false} {
			name := tc.name + map[bool]string{true: " on this node", false: " on another node"}[here]
			t.Run(name, func(t *testing.T) {
				f := newFixture(t)
				token := hubtest.Sign(t, f.ring, accessClaims())
				if _, err := f.v.Verify(t.Context(), token); err != nil {
					t.Fatalf("Verify: %v", err)
				}
				var s storage.Storage = f.store
				if here {
					s = f.v.Watch(f.store)
				}
				must(t, tc.end(t.Context(), s, f))
				_, err := f.v.Verify(t.Context(), token)
				if here && !errors.Is(err, bearer.ErrInvalidToken) {
					t.Fatalf("Verify right after the change on this node = %v, want ErrInvalidToken", err)
				}
				if !here && err != nil {
					t.Fatalf("Verify right after the change on another node = %v, want the cached answer", err)
				}
				f.clock.Advance(bearer.VerifiedTTL)
				if _, err := f.v.Verify(t.Context(), token); !errors.Is(err, bearer.ErrInvalidToken) {
					t.Errorf("Verify VerifiedTTL after the change = %v, want ErrInvalidToken", err)
				}
			})
		}
	}
}

// A personal token revoked through the store the hub writes through
// (Watch) is refused at once.
func TestVerifiedPersonalTokenRevokedHere(t *testing.T) {
	f := newFixture(t)
	token, pt := newPersonal(t, f, "laptop", time.Hour)
	if _, err := f.v.Verify(t.Context(), token); err != nil {
		t.Fatalf("Verify: %v", err)
	}
	must(t, f.v.Watch(f.store).DeletePersonalToken(t.Context(), userID, pt.ID))
	if _, err := f.v.Verify(t.Context(), token); !errors.Is(err, bearer.ErrInvalidToken) {
		t.Errorf("Verify after the token was deleted on this node = %v, want ErrInvalidToken", err)
	}
}
