package bearer_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hubauth/hubauth/internal/hubtest"
	"github.com/hubauth/hubauth/internal/server/bearer"
	"github.com/hubauth/hubauth/internal/server/scopes"
	"github.com/hubauth/hubauth/internal/storage"
)

func newPersonal(t *testing.T, f *fixture, name string, ttl time.Duration) (string, storage.PersonalToken) {
	t.Helper()
	return hubtest.StorePersonalToken(t, f.store, userID, name, []string{"tokens:read"}, ttl, f.clock.Now())
}

func TestVerifyPersonalToken(t *testing.T) {
	f := newFixture(t)
	token, pt := newPersonal(t, f, "laptop", time.Hour)
	if !strings.HasPrefix(token, bearer.PersonalTokenPrefix) || strings.Contains(pt.Hash, token) {
		t.Fatalf("token %q, stored hash %q: want the prefix, and only the hash stored", token, pt.Hash)
	}
	p, err := f.v.Verify(t.Context(), token)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if p.Kind != bearer.KindPersonalToken || p.Subject != userID || p.TokenID != pt.ID || !p.ExpiresAt.Equal(pt.ExpiresAt) ||
		p.ClientID != "" || p.FirstParty || p.User == nil || !cmp.Equal(p.Scopes, []string{"tokens:read"}) {
		t.Errorf("principal = %+v, want ada's personal token %s with its scopes", p, pt.ID)
	}
	if got, want := p.Claims(), (scopes.Claims{Profile: true, Email: true}); got != want {
		t.Errorf("claims of a personal token = %+v, want %+v (its owner made it)", got, want)
	}
}

func TestPersonalTokenLastUsed(t *testing.T) {
	f := newFixture(t)
	token, _ := newPersonal(t, f, "laptop", 0)
	lastUsed := func() time.Time {
		list, err := f.store.ListPersonalTokens(t.Context(), userID)
		if err != nil || len(list) != 1 {
			t.Fatalf("list = %v, %v", list, err)
		}
		return list[0].LastUsedAt
	}
	verify := func() {
		if _, err := f.v.Verify(t.Context(), token); err != nil {
			t.Fatalf("Verify: %v", err)
		}
	}
	verify()
	first := lastUsed()
	if first.IsZero() {
		t.Fatal("first use: last-used time not written")
	}
	f.clock.Advance(30 * time.Second)
	verify()
	if got := lastUsed(); !got.Equal(first) {
		t.Errorf("use within a minute wrote last-used %v, want %v kept", got, first)
	}
	f.clock.Advance(time.Minute)
	verify()
	if got := lastUsed(); !got.After(first) {
		t.Errorf("use a minute later: last-used %v, want after %v", got, first)
	}
}

func TestVerifyRefusesPersonalToken(t *testing.T) {
	for _, tc := range []struct {
		name  string
		apply func(*testing.T, *fixture, string, storage.PersonalToken) string
	}{
		{"expired", func(t *testing.T, f *fixture, token string, _ storage.PersonalToken) string {
			f.clock.Advance(time.Hour + time.Second)
			return token
		}},
		{"revoked", func(t *testing.T, f *fixture, token string, pt storage.PersonalToken) string {
			must(t, f.store.DeletePersonalToken(t.Context(), userID, pt.ID))
			return token
		}},
		{"user signed out everywhere", func(t *testing.T, f *fixture, token string, _ storage.PersonalToken) string {
			_, err := f.store.EndUserSessions(t.Context(), userID, f.clock.Now(), true)
			must(t, err)
			return token
		}},
		{"disabled user", func(t *testing.T, f *fixture, token string, _ storage.PersonalToken) string {
			must(t, f.store.UpdateUser(t.Context(), userID, func(u storage.User) (storage.User, error) { u.Disabled = true; return u, nil }))
			return token
		}},
		{"unknown", func(*testing.T, *fixture, string, storage.PersonalToken) string {
			return bearer.PersonalTokenPrefix + "0000000000000000000000"
		}},
		{"altered", func(_ *testing.T, _ *fixture, token string, _ storage.PersonalToken) string {
			last := "x"
			if strings.HasSuffix(token, last) {
				last = "y" // never the token itself
			}
			return token[:len(token)-1] + last
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			token, pt := newPersonal(t, f, "laptop", time.Hour)
			_, err := f.v.Verify(t.Context(), tc.apply(t, f, token, pt))
			if !errors.Is(err, bearer.ErrInvalidToken) {
				t.Errorf("Verify = %v, want ErrInvalidToken", err)
			}
			if err != nil && strings.Contains(err.Error(), token) {
				t.Errorf("error %q holds the token", err)
			}
		})
	}
}
