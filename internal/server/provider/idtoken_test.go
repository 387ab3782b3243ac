package provider

import (
	"math"
	"path/filepath"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/google/go-cmp/cmp"
	"github.com/zitadel/oidc/v3/pkg/op"

	"github.com/hubauth/hubauth/internal/server/audience"
	"github.com/hubauth/hubauth/internal/server/keys"
	"github.com/hubauth/hubauth/internal/storage"
	"github.com/hubauth/hubauth/internal/storage/sqlite"
)

// TestIDTokenAsTheLibraryWritesIt: the hub's ID tokens carry exactly the
// claims op.CreateIDToken gave them, for each grant that issues one.
func TestIDTokenAsTheLibraryWritesIt(t *testing.T) {
	ctx := t.Context()
	now := time.Now().UTC().Truncate(time.Second)
	store, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "hub.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	u := storage.User{ID: "u1", Username: "ada", Name: "Ada", Email: "ada@example.org", EmailVerified: true, CreatedAt: now}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(store.CreateUser(ctx, u))
	must(store.CreateUser(ctx, storage.User{ID: "u2", Username: "bob", CreatedAt: now}))
	must(store.CreateGroup(ctx, storage.Group{Name: "nmr", CreatedAt: now}))
	must(store.AddGroupMember(ctx, "nmr", "u1"))
	ring := keys.NewKeyring(store, time.Hour, time.Minute, time.Now)
	must(ring.EnsureActive(ctx))
	cfg := Config{Store: store, Keys: ring, Now: time.Now}
	cfg.setDefaults()
	s := newStorage(cfg)
	c := &client{Client: storage.Client{ID: "cli", Public: true, GrantTypes: []string{"refresh_token"}}, idTokenLife: time.Hour}
	api := audience.Target{Audience: "https://api.example", Scopes: []string{"openid", "uploads:read"}}
	device := storage.DeviceAuth{ClientID: "cli", UserID: "u1", Scopes: []string{"openid", "offline_access", "groups"},
		AuthTime: now, AMR: []string{"pwd", "otp", "mfa"}}

	tests := []struct {
		name string
		req  op.IDTokenRequest
		code string
	}{
		{"refresh with groups, second factor and an acting client", &refreshRequest{
			session: storage.Session{ID: "s1", UserID: "u1", ClientID: "cli", AuthTime: now.Add(-time.Hour),
				AMR: []string{"pwd", "otp", "mfa"}, Actors: []string{"pipeline"}},
			scopes: []string{"openid", "profile", "email", "groups", "offline_access"}, user: u}, ""},
		{"refresh of a sign-in through an upstream provider, no user claims asked", &refreshRequest{
			session: storage.Session{ID: "s2", UserID: "u2", ClientID: "cli", AuthTime: now, AMR: storage.FederatedAMR("orcid")},
			scopes:  []string{"openid"}, user: storage.User{ID: "u2", Username: "bob"}}, ""},
		{"code with nonce", &authRequest{AuthRequest: storage.AuthRequest{ID: "a1", ClientID: "cli", UserID: "u1",
			Scopes: []string{"openid", "profile", "groups"}, Nonce: "n-0S6", ResponseType: "code", AuthTime: now,
			AMR: []string{"pwd"}}}, "the-code"},
		{"code for an API", (&authRequest{AuthRequest: storage.AuthRequest{ID: "a2", ClientID: "cli", UserID: "u2",
			Scopes: []string{"openid", "uploads:read"}, ResponseType: "code", AuthTime: now, AMR: []string{"hwk", "user", "mfa"}},
			target: &api}).idTokenRequest(), "another-code"},
		{"device grant", newDeviceGrant(device, c, audience.Target{}), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lib, err := op.CreateIDToken(ctx, "https://hub.example", tt.req, c.IDTokenLifetime(), "the-access-token", tt.code, s, c)
			if err != nil {
				t.Fatal(err)
			}
			got, err := s.createIDToken(ctx, "https://hub.example", tt.req, c, "the-access-token", tt.code)
			if err != nil {
				t.Fatal(err)
			}
			want, have := payload(t, lib), payload(t, got)
			for _, claim := range []string{"iat", "exp"} { // the two were made moments apart
				if d := math.Abs(want[claim].(float64) - have[claim].(float64)); d > 2 {
					t.Errorf("%s differs by %v s", claim, d)
				}
				delete(want, claim)
				delete(have, claim)
			}
			if diff := cmp.Diff(want, have); diff != "" {
				t.Errorf("claims differ from the library's (-library +hub):\n%s", diff)
			}
		})
	}
}

// payload decodes a JWT's claims without checking its signature
// (TestSignJWT checks the hub's signatures).
func payload(t *testing.T, jwt string) map[string]any {
	t.Helper()
	jws, err := jose.ParseSigned(jwt, []jose.SignatureAlgorithm{jose.ES256})
	if err != nil {
		t.Fatalf("not an ES256 JWS: %v", err)
	}
	return jsonObject(t, jws.UnsafePayloadWithoutVerification())
}
