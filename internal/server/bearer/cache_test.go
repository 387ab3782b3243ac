package bearer_test

import (
	"errors"
	"testing"
	"time"

	"github.com/hubauth/hubauth/internal/server/account"
	"github.com/hubauth/hubauth/internal/server/bearer"
	"github.com/hubauth/hubauth/internal/storage"
)

// TestVerifiedCacheBound: what changes a personal token's standing in the
// database without this node knowing (another node revoking it, `hubauth
// admin` disabling its user) is seen here within bearer.VerifiedTTL; its
// expiry is never passed.
func TestVerifiedCacheBound(t *testing.T) {
	tests := []struct {
		name   string
		ttl    time.Duration
		change func(t *testing.T, f *fixture, pt storage.PersonalToken)
	}{
		{name: "revoked on another node", ttl: time.Hour, change: func(t *testing.T, f *fixture, pt storage.PersonalToken) {
			other := &account.Issuer{Store: f.store, Now: f.clock.Now, Bearer: bearer.NewVerifier(issuer, f.ring, f.store, f.clock.Now)}
			_, err := other.Revoke(t.Context(), account.Action{UserID: userID}, pt.ID)
			must(t, err)
		}},
		{name: "user disabled by admin", ttl: time.Hour, change: func(t *testing.T, f *fixture, _ storage.PersonalToken) {
			must(t, f.store.UpdateUser(t.Context(), userID, func(u storage.User) (storage.User, error) { u.Disabled = true; return u, nil }))
		}},
		{name: "deleted", ttl: time.Hour, change: func(t *testing.T, f *fixture, pt storage.PersonalToken) {
			must(t, f.store.DeletePersonalToken(t.Context(), userID, pt.ID))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			f.clock.Base = time.Now()
			token, pt := newPersonal(t, f, "laptop", tt.ttl)
			verifyAt := func(after time.Duration) error {
				f.clock.Advance(after)
				_, err := f.v.Verify(t.Context(), token)
				return err
			}
			must(t, verifyAt(0))
			tt.change(t, f, pt)
			if err := verifyAt(bearer.VerifiedTTL / 2); err != nil {
				t.Fatalf("within the cache bound: %v, want the cached answer (the bound is what this test pins)", err)
			}
			if err := verifyAt(bearer.VerifiedTTL / 2); !errors.Is(err, bearer.ErrInvalidToken) {
				t.Errorf("after the cache bound: %v, want ErrInvalidToken", err)
			}
		})
	}
	t.Run("never past expiry", func(t *testing.T) {
		f := newFixture(t)
		f.clock.Base = time.Now()
		token, _ := newPersonal(t, f, "laptop", bearer.VerifiedTTL/4)
		if _, err := f.v.Verify(t.Context(), token); err != nil {
			t.Fatal(err)
		}
		f.clock.Advance(bearer.VerifiedTTL / 4)
		if _, err := f.v.Verify(t.Context(), token); !errors.Is(err, bearer.ErrInvalidToken) {
			t.Errorf("at expiry, within the cache bound: %v, want ErrInvalidToken", err)
		}
	})
}

// TestVerifiedCacheForgetsAtOnce: a token revoked or rotated through this
// node's account.Issuer is refused here at once, though it was cached.
func TestVerifiedCacheForgetsAtOnce(t *testing.T) {
	tests := []struct {
		name   string
		change func(t *testing.T, i *account.Issuer, id string) (newToken string)
	}{
		{name: "revoked", change: func(t *testing.T, i *account.Issuer, id string) string {
			_, err := i.Revoke(t.Context(), account.Action{UserID: userID}, id)
			must(t, err)
			return ""
		}},
		{name: "rotated", change: func(t *testing.T, i *account.Issuer, id string) string {
			out, err := i.Rotate(t.Context(), account.Action{UserID: userID}, id, nil)
			must(t, err)
			return out.Token
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			f.clock.Base = time.Now()
			i := &account.Issuer{Store: f.store, Now: f.clock.Now, Bearer: f.v}
			token, pt := newPersonal(t, f, "laptop", time.Hour)
			if _, err := f.v.Verify(t.Context(), token); err != nil {
				t.Fatal(err)
			}
			newToken := tt.change(t, i, pt.ID)
			if _, err := f.v.Verify(t.Context(), token); !errors.Is(err, bearer.ErrInvalidToken) {
				t.Errorf("the old secret at once: %v, want ErrInvalidToken", err)
			}
			if newToken == "" {
				return
			}
			if p, err := f.v.Verify(t.Context(), newToken); err != nil || p.TokenID != pt.ID {
				t.Errorf("the new secret: %+v, %v; want token %s", p, err, pt.ID)
			}
		})
	}
}
