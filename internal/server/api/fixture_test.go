package api_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/hubauth/hubauth/internal/hubtest"
	"github.com/hubauth/hubauth/internal/server/account"
	"github.com/hubauth/hubauth/internal/server/api"
	"github.com/hubauth/hubauth/internal/server/bearer"
	"github.com/hubauth/hubauth/internal/server/keys"
	"github.com/hubauth/hubauth/internal/server/scopes"
	"github.com/hubauth/hubauth/internal/storage"
	"github.com/hubauth/hubauth/internal/storage/sqlite"
)

const issuer = "https://hub.example"

// fixture is the API over a real SQLite store and a real bearer.Verifier:
// users ada, bob and root (an admin); groups physics (ada, bob) and
// chemistry (bob); a first-party client cli and a third-party client app;
// one login session each for ada (s-ada) and bob (s-bob) at cli.
type fixture struct {
	store *sqlite.Store
	clock *hubtest.Clock
	ring  *keys.Keyring
	mux   *http.ServeMux
	// api is mux, each exchange checked against the OpenAPI document.
	api http.Handler
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{store: hubtest.SQLite(t), clock: &hubtest.Clock{}, mux: http.NewServeMux()}
	f.ring = keys.NewKeyring(f.store, time.Hour, time.Minute, f.clock.Now)
	must(t, f.ring.EnsureActive(t.Context()))
	catalog, logger := scopes.NewCatalog(f.store, f.clock.Now), slog.New(slog.DiscardHandler)
	v := bearer.NewVerifier(issuer, f.ring, f.store, f.clock.Now)
	store := v.Watch(f.store) // as the hub wires it
	h := &api.Handler{Store: store, Bearer: v, Scopes: catalog,
		Logger: logger, Now: f.clock.Now, Issuer: &account.Issuer{Store: store, Scopes: catalog, Logger: logger, Now: f.clock.Now}}
	h.Mount(f.mux)
	f.api = hubtest.CheckAPI(t, f.mux)

	ctx, now := t.Context(), f.clock.Now().UTC()
	for _, u := range []storage.User{
		{ID: "u-ada", Username: "ada", Name: "Ada Lovelace", Email: "ada@example.org"},
		{ID: "u-bob", Username: "bob", Name: "Bob", Email: "bob@example.org"},
		{ID: "u-root", Username: "root", Email: "root@example.org", Admin: true},
	} {
		u.CreatedAt = now
		must(t, f.store.CreateUser(ctx, u))
	}
	for group, members := range map[string][]string{"physics": {"u-ada", "u-bob"}, "chemistry": {"u-bob"}} {
		must(t, f.store.CreateGroup(ctx, storage.Group{Name: group, CreatedAt: now}))
		for _, m := range members {
			must(t, f.store.AddGroupMember(ctx, group, m))
		}
	}
	must(t, f.store.CreateClient(ctx, storage.Client{ID: "cli", Name: "hubauth CLI", Public: true, FirstParty: true, CreatedAt: now}))
	must(t, f.store.CreateClient(ctx, storage.Client{ID: "app", Name: "Data app", CreatedAt: now}))
	for _, s := range []storage.Session{{ID: "s-ada", UserID: "u-ada"}, {ID: "s-bob", UserID: "u-bob"}} {
		s.ClientID, s.Method, s.Name, s.Address = "cli", storage.MethodPassword, "laptop", "192.0.2.1"
		s.AuthTime, s.CreatedAt, s.LastUsedAt, s.ExpiresAt = now, now, now, now.Add(24*time.Hour)
		must(t, f.store.CreateSession(ctx, s, storage.RefreshToken{Hash: "rt-" + s.ID, CreatedAt: now, ExpiresAt: s.ExpiresAt}))
	}
	return f
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// accessToken is an access token of user at client with scope, of
// session sid (if any), as the hub issues it.
func (f *fixture) accessToken(t *testing.T, user, client, scope, sid string) string {
	t.Helper()
	now := time.Now()
	claims := map[string]any{
		"iss": issuer, "sub": user, "aud": []string{client}, "client_id": client, "jti": "at-" + user + "-" + client,
		"scope": scope, "iat": now.Unix(), "exp": now.Add(time.Hour).Unix(),
	}
	if sid != "" {
		claims["sid"] = sid
	}
	return hubtest.Sign(t, f.ring, claims)
}

// personalToken makes a personal token of user with scopes.
func (f *fixture) personalToken(t *testing.T, user, name string, scopes ...string) (string, storage.PersonalToken) {
	t.Helper()
	return hubtest.StorePersonalToken(t, f.store, user, name, scopes, time.Hour, f.clock.Now())
}

// answer is an API answer: status, headers and the decoded JSON body.
type answer struct {
	Status int
	Header http.Header
	Body   map[string]any
}

// do sends method path with token (if any) and body (if any).
func (f *fixture) do(t *testing.T, method, path, token, body string) answer {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	r := httptest.NewRequest(method, path, rd)
	if token != "" {
		r.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	f.api.ServeHTTP(rec, r)
	a := answer{Status: rec.Code, Header: rec.Header()}
	if rec.Body.Len() > 0 {
		if err := json.Unmarshal(rec.Body.Bytes(), &a.Body); err != nil {
			t.Fatalf("%s %s: body %q: %v", method, path, rec.Body, err)
		}
	}
	return a
}

// data returns the "data" list of a list answer.
func (a answer) data(t *testing.T) []map[string]any {
	t.Helper()
	raw, ok := a.Body["data"].([]any)
	if !ok {
		t.Fatalf("answer %d %v has no data list", a.Status, a.Body)
	}
	out := make([]map[string]any, len(raw))
	for i, v := range raw {
		out[i] = v.(map[string]any)
	}
	return out
}

// field returns key of every item.
func field(items []map[string]any, key string) []string {
	var out []string
	for _, it := range items {
		s, _ := it[key].(string)
		out = append(out, s)
	}
	return out
}
