package provider_test

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/hubauth/hubauth/internal/hubtest"
	"github.com/hubauth/hubauth/internal/secret"
	"github.com/hubauth/hubauth/internal/server/bearer"
	"github.com/hubauth/hubauth/internal/server/keys"
	"github.com/hubauth/hubauth/internal/server/provider"
	"github.com/hubauth/hubauth/internal/storage"
	"github.com/hubauth/hubauth/internal/storage/sqlite"
)

const (
	svcSecret   = "svc-secret-0123456789"
	redirectURI = "http://127.0.0.1/cb"
	deviceGrant = "urn:ietf:params:oauth:grant-type:device_code"
)

// server is the provider alone (provider.Guard in front of its handler, as the
// hub serves it) on 127.0.0.1 over a real SQLite store and keyring, with a
// user ada, public native clients cli and other (code with PKCE, refresh,
// device) and a confidential service account svc (client credentials).
type server struct {
	url    string
	store  *sqlite.Store
	clock  *hubtest.Clock
	prov   *provider.Provider
	bearer *bearer.Verifier
	ada    storage.User
}

func newServer(t *testing.T) *server {
	t.Helper()
	return newServerOn(t, hubtest.SQLite(t))
}

// newServerOn is newServer on store.
func newServerOn(t *testing.T, store *sqlite.Store) *server {
	t.Helper()
	o := &server{store: store, clock: &hubtest.Clock{}}
	logger := slog.New(slog.DiscardHandler)
	prev := slog.Default()
	slog.SetDefault(logger) // the OIDC library logs through the default logger, as under serve
	t.Cleanup(func() { slog.SetDefault(prev) })
	var h http.Handler
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(w, r) }))
	t.Cleanup(srv.Close)
	o.url = srv.URL
	ring := keys.NewKeyring(o.store, time.Hour, time.Minute, o.clock.Now)
	must(t, ring.EnsureActive(t.Context()))
	o.bearer = bearer.NewVerifier(o.url, ring, o.store, o.clock.Now)
	var err error
	// As the hub does, the provider writes through the verifier's watch.
	o.prov, err = provider.New(provider.Config{Issuer: o.url, Store: o.bearer.Watch(o.store), Keys: ring, Now: o.clock.Now,
		Logger: logger}, o.bearer, true)
	must(t, err)
	h = provider.Guard(o.prov.Handler)

	ctx, now := t.Context(), o.clock.Now().UTC()
	o.ada = storage.User{ID: "u-ada", Username: "ada", Email: "ada@example.org", CreatedAt: now}
	must(t, o.store.CreateUser(ctx, o.ada))
	for _, id := range []string{"cli", "other"} {
		must(t, o.store.CreateClient(ctx, storage.Client{ID: id, Name: id, Public: true, FirstParty: true, CreatedAt: now,
			RedirectURIs: []string{redirectURI}, GrantTypes: []string{"authorization_code", "refresh_token", deviceGrant}}))
	}
	must(t, o.store.CreateClient(ctx, storage.Client{ID: "svc", Name: "Service", SecretHash: secret.Hash(svcSecret), CreatedAt: now,
		GrantTypes: []string{"client_credentials"}}))
	return o
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// post sends a form to path, with Basic credentials user:pass when user is
// set, and decodes the JSON answer.
func (o *server) post(t *testing.T, path string, form url.Values, user, pass string) (int, http.Header, map[string]any) {
	t.Helper()
	req, err := http.NewRequest("POST", o.url+path, strings.NewReader(form.Encode()))
	must(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if user != "" {
		req.SetBasicAuth(user, pass)
	}
	return o.send(t, req)
}

func (o *server) send(t *testing.T, req *http.Request) (int, http.Header, map[string]any) {
	t.Helper()
	resp, err := noRedirects.Do(req)
	must(t, err)
	defer resp.Body.Close()
	var body map[string]any
	json.NewDecoder(resp.Body).Decode(&body)
	return resp.StatusCode, resp.Header, body
}

var noRedirects = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
