package bearer_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/hubauth/hubauth/internal/hubtest"
	"github.com/hubauth/hubauth/internal/server/bearer"
	"github.com/hubauth/hubauth/internal/server/keys"
	"github.com/hubauth/hubauth/internal/storage"
)

func TestVerifyAccessToken(t *testing.T) {
	f := newFixture(t)
	claims := accessClaims()
	p, err := f.v.Verify(t.Context(), hubtest.Sign(t, f.ring, claims))
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	want := bearer.Principal{
		Subject: userID, ClientID: "cli", Scopes: []string{"openid", "tokens:read"}, Kind: bearer.KindAccessToken,
		SessionID: sessionID, FirstParty: true, TokenID: "at-1", Audience: []string{"cli"},
		IssuedAt: time.Unix(claims["iat"].(int64), 0), ExpiresAt: time.Unix(claims["exp"].(int64), 0),
	}
	if diff := cmp.Diff(want, p, cmpopts.IgnoreFields(bearer.Principal{}, "User"), cmpopts.EquateApproxTime(0)); diff != "" {
		t.Errorf("principal (-want +got):\n%s", diff)
	}
	if p.User == nil || p.User.Username != "ada" {
		t.Errorf("principal's user = %+v, want ada as read by the check", p.User)
	}
}

func TestVerifyAccessTokenClients(t *testing.T) {
	for _, tc := range []struct {
		name       string
		edit       map[string]any
		firstParty bool
		user       bool
	}{
		{"first-party client", nil, true, true},
		{"first-party client's token for an API (RFC 8707)", map[string]any{"aud": []string{"https://data.example.org"}}, false, true},
		{"third-party client", map[string]any{"client_id": "app", "aud": []string{"app"}, "sid": nil}, false, true},
		{"first-party client restricted to its scopes", map[string]any{"client_id": "narrow", "aud": []string{"narrow"}, "sid": nil}, false, true},
		{"service account's own token", map[string]any{"sub": "app", "client_id": "app", "aud": []string{"app"}, "sid": nil}, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			p, err := f.v.Verify(t.Context(), hubtest.Sign(t, f.ring, with(accessClaims(), tc.edit)))
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if p.FirstParty != tc.firstParty || (p.User != nil) != tc.user {
				t.Errorf("FirstParty, has user = %v, %v; want %v, %v", p.FirstParty, p.User != nil, tc.firstParty, tc.user)
			}
		})
	}
}

func TestVerifyRefusesAccessToken(t *testing.T) {
	disableUser := func(t *testing.T, f *fixture) {
		must(t, f.store.UpdateUser(t.Context(), userID, func(u storage.User) (storage.User, error) { u.Disabled = true; return u, nil }))
	}
	for _, tc := range []struct {
		name   string
		edit   map[string]any
		before func(*testing.T, *fixture)
		sign   func(*testing.T, *fixture, map[string]any) string
	}{
		{name: "expired", edit: map[string]any{"exp": time.Now().Add(-time.Minute).Unix()}},
		{name: "other issuer", edit: map[string]any{"iss": "https://evil.example"}},
		{name: "ID token (no jti, no scope)", edit: map[string]any{"jti": nil, "scope": nil, "nonce": "n"}},
		{name: "no jti", edit: map[string]any{"jti": nil}},
		{name: "no scope claim", edit: map[string]any{"scope": nil}},
		{name: "no subject", edit: map[string]any{"sub": nil}},
		{name: "unknown user", edit: map[string]any{"sub": "u-nobody"}},
		{name: "unknown client", edit: map[string]any{"client_id": "gone", "aud": []string{"gone"}}},
		{name: "unknown session", edit: map[string]any{"sid": "s-nope"}},
		{name: "revoked token id", before: func(t *testing.T, f *fixture) {
			must(t, f.store.RevokeAccessToken(t.Context(), "at-1", time.Now().Add(time.Hour)))
		}},
		{name: "revoked session", before: func(t *testing.T, f *fixture) {
			must(t, f.store.RevokeSession(t.Context(), sessionID, f.clock.Now()))
		}},
		{name: "disabled user", before: disableUser},
		{name: "disabled client", before: func(t *testing.T, f *fixture) {
			must(t, f.store.UpdateClient(t.Context(), "cli", func(c storage.Client) (storage.Client, error) { c.Disabled = true; return c, nil }))
		}},
		{name: "another hub's key", sign: func(t *testing.T, _ *fixture, c map[string]any) string {
			other := keys.NewKeyring(hubtest.SQLite(t), time.Hour, time.Minute, time.Now)
			must(t, other.EnsureActive(t.Context()))
			return hubtest.Sign(t, other, c)
		}},
		{name: "not a JWT", sign: func(*testing.T, *fixture, map[string]any) string { return "abc.def.ghi" }},
		{name: "empty", sign: func(*testing.T, *fixture, map[string]any) string { return "" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			if tc.before != nil {
				tc.before(t, f)
			}
			claims := with(accessClaims(), tc.edit)
			token := hubtest.Sign(t, f.ring, claims)
			if tc.sign != nil {
				token = tc.sign(t, f, claims)
			}
			_, err := f.v.Verify(t.Context(), token)
			if !errors.Is(err, bearer.ErrInvalidToken) {
				t.Errorf("Verify = %v, want ErrInvalidToken", err)
			}
		})
	}
}

func TestVerifyDatabaseAway(t *testing.T) {
	f := newFixture(t)
	token := hubtest.Sign(t, f.ring, accessClaims())
	if _, err := f.v.Verify(t.Context(), token); err != nil { // keys cached
		t.Fatal(err)
	}
	f.store.Close()
	_, err := f.v.Verify(t.Context(), token)
	if err == nil || errors.Is(err, bearer.ErrInvalidToken) {
		t.Errorf("Verify with the database closed = %v, want a storage error, not ErrInvalidToken", err)
	}
}
