package bearer_test

import (
	"testing"
	"time"

	"github.com/hubauth/hubauth/internal/hubtest"
	"github.com/hubauth/hubauth/internal/server/bearer"
	"github.com/hubauth/hubauth/internal/server/keys"
	"github.com/hubauth/hubauth/internal/storage"
	"github.com/hubauth/hubauth/internal/storage/sqlite"
)

const issuer = "https://hub.example"

// fixture is a verifier over a real SQLite store and keyring, with a user
// ada, a first-party client cli, a third-party client app, a first-party
// client narrow restricted to its scopes, and ada's login session at cli.
type fixture struct {
	store *sqlite.Store
	clock *hubtest.Clock
	ring  *keys.Keyring
	v     *bearer.Verifier
}

const (
	userID    = "u-ada"
	sessionID = "s-1"
)

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{store: hubtest.SQLite(t), clock: &hubtest.Clock{}}
	f.ring = keys.NewKeyring(f.store, time.Hour, time.Minute, f.clock.Now)
	if err := f.ring.EnsureActive(t.Context()); err != nil {
		t.Fatal(err)
	}
	f.v = bearer.NewVerifier(issuer, f.ring, f.store, f.clock.Now)
	now := f.clock.Now().UTC()
	ctx := t.Context()
	must(t, f.store.CreateUser(ctx, storage.User{ID: userID, Username: "ada", Email: "ada@example.org", CreatedAt: now}))
	for _, c := range []storage.Client{
		{ID: "cli", Name: "CLI", Public: true, FirstParty: true, CreatedAt: now},
		{ID: "app", Name: "App", CreatedAt: now},
		{ID: "narrow", Name: "Narrow", FirstParty: true, RestrictScopes: true, AllowedScopes: []string{"openid"}, CreatedAt: now},
	} {
		must(t, f.store.CreateClient(ctx, c))
	}
	s := storage.Session{ID: sessionID, UserID: userID, ClientID: "cli", Method: storage.MethodPassword,
		AuthTime: now, CreatedAt: now, LastUsedAt: now, ExpiresAt: now.Add(24 * time.Hour)}
	must(t, f.store.CreateSession(ctx, s, storage.RefreshToken{Hash: "rt-1", CreatedAt: now, ExpiresAt: s.ExpiresAt}))
	return f
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// accessClaims are the claims of an access token the hub issues to ada at
// cli, valid for an hour of real time (the signature library checks exp
// against the real clock).
func accessClaims() map[string]any {
	now := time.Now()
	return map[string]any{
		"iss": issuer, "sub": userID, "aud": []string{"cli"}, "client_id": "cli",
		"jti": "at-1", "scope": "openid tokens:read", "sid": sessionID,
		"iat": now.Unix(), "exp": now.Add(time.Hour).Unix(),
	}
}

// with returns claims changed by edit (a nil value deletes the claim).
func with(claims map[string]any, edit map[string]any) map[string]any {
	for k, v := range edit {
		if v == nil {
			delete(claims, k)
			continue
		}
		claims[k] = v
	}
	return claims
}
