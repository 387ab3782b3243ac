package resource_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hubauth/hubauth/internal/hubtest"
	"github.com/hubauth/hubauth/internal/password"
	"github.com/hubauth/hubauth/internal/secret"
	"github.com/hubauth/hubauth/internal/server"
	"github.com/hubauth/hubauth/internal/storage"
	"github.com/hubauth/hubauth/internal/storage/sqlite"
	"github.com/hubauth/hubauth/resource"
)

const (
	demoUser     = "ada"
	demoPassword = "correct horse battery staple"
)

// hub is a real hubauth server on 127.0.0.1 over SQLite in t.TempDir(),
// as internal/server's tests start it, counting the requests per path.
type hub struct {
	URL    string
	Store  storage.Storage
	Clock  *hubtest.Clock
	UserID string // demoUser's id
	ts     *httptest.Server
	counts sync.Map // path → *atomic.Int64
}

func newHub(t testing.TB, opts ...func(*server.Config)) *hub {
	t.Helper()
	ctx := context.Background()
	store, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "hub.db"))
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { store.Close() })
	ts := httptest.NewUnstartedServer(nil)
	h := &hub{URL: "http://" + ts.Listener.Addr().String(), Store: store, Clock: &hubtest.Clock{}, ts: ts}
	cfg := server.Config{
		Issuer: h.URL, Store: store, Now: h.Clock.Now, NomadGetToken: true,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), PasswordParams: password.TestParams,
	}
	for _, o := range opts {
		o(&cfg)
	}
	slog.SetDefault(cfg.Logger)
	srv, err := server.New(ctx, cfg)
	if err != nil {
		t.Fatalf("server.New: %v", err)
	}
	ts.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := h.counts.LoadOrStore(r.URL.Path, new(atomic.Int64))
		n.(*atomic.Int64).Add(1)
		srv.Handler().ServeHTTP(w, r)
	})
	ts.Start()
	t.Cleanup(func() { ts.Close(); srv.Close() })
	h.UserID = h.addUser(t, demoUser, demoPassword)
	return h
}

// Close stops the hub.
func (h *hub) Close() { h.ts.Close() }

// count is the number of requests the hub received for path.
func (h *hub) count(path string) int64 {
	n, ok := h.counts.Load(path)
	if !ok {
		return 0
	}
	return n.(*atomic.Int64).Load()
}

// addUser creates a user with a password and returns its id.
func (h *hub) addUser(t testing.TB, username, pw string) string {
	t.Helper()
	hasher := password.NewHasher(password.TestParams, 1, 0)
	defer hasher.Close()
	hash, err := hasher.Hash(context.Background(), pw)
	if err != nil {
		t.Fatal(err)
	}
	u := storage.User{ID: secret.ID(), Username: username, Name: username, Email: username + "@example.org",
		PasswordHash: hash, CreatedAt: time.Now().UTC()}
	if err := h.Store.CreateUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	return u.ID
}

// addGroup creates a group with members.
func (h *hub) addGroup(t testing.TB, name string, userIDs ...string) {
	t.Helper()
	ctx := context.Background()
	if err := h.Store.CreateGroup(ctx, storage.Group{Name: name, CreatedAt: time.Now().UTC()}); err != nil {
		t.Fatal(err)
	}
	for _, id := range userIDs {
		if err := h.Store.AddGroupMember(ctx, name, id); err != nil {
			t.Fatal(err)
		}
	}
}

// apiClient registers the data API's confidential client and returns its
// credentials, for introspection.
func (h *hub) apiClient(t testing.TB) (id, sec string) {
	t.Helper()
	id, sec = "datahub-"+secret.ID()[:6], secret.New()
	c := storage.Client{ID: id, Name: "Data hub", SecretHash: secret.Hash(sec),
		GrantTypes: []string{"client_credentials"}, CreatedAt: time.Now().UTC()}
	if err := h.Store.CreateClient(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	return id, sec
}

// tokens logs demoUser in with NOMAD's password endpoint and returns the
// JSON answer (access_token, refresh_token).
func (h *hub) tokens(t testing.TB, scope string) map[string]any {
	t.Helper()
	form := url.Values{"username": {demoUser}, "password": {demoPassword}}
	if scope != "" {
		form.Set("scope", scope)
	}
	return h.post(t, "/api/v1/auth/token", form)
}

// accessToken returns a JWT access token of demoUser with scope (the
// default scopes when empty).
func (h *hub) accessToken(t testing.TB, scope string) string {
	t.Helper()
	return h.tokens(t, scope)["access_token"].(string)
}

// idToken returns an ID token of demoUser, from a refresh.
func (h *hub) idToken(t testing.TB) string {
	t.Helper()
	rt := h.tokens(t, "openid profile offline_access")["refresh_token"].(string)
	out := h.post(t, "/oauth/token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}, "client_id": {server.CLIClientID}})
	return out["id_token"].(string)
}

// personalToken returns a personal token of demoUser valid one hour.
func (h *hub) personalToken(t testing.TB, scope string) string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, h.URL+"/api/v1/auth/app_token?expires_in=3600", nil)
	req.Header.Set("Authorization", "Bearer "+h.accessToken(t, scope))
	return h.do(t, req)["app_token"].(string)
}

// revokePersonalTokens deletes every personal token of demoUser.
func (h *hub) revokePersonalTokens(t testing.TB) {
	t.Helper()
	ctx := context.Background()
	list, err := h.Store.ListPersonalTokens(ctx, h.UserID)
	if err != nil {
		t.Fatal(err)
	}
	for _, pt := range list {
		if err := h.Store.DeletePersonalToken(ctx, h.UserID, pt.ID); err != nil {
			t.Fatal(err)
		}
	}
}

func (h *hub) post(t testing.TB, path string, form url.Values) map[string]any {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, h.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return h.do(t, req)
}

func (h *hub) do(t testing.TB, req *http.Request) map[string]any {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("%s %s: %d %v %v", req.Method, req.URL.Path, resp.StatusCode, out, err)
	}
	return out
}

// newMiddleware builds a middleware for the hub; cfg.Issuer defaults to it.
func newMiddleware(t testing.TB, h *hub, cfg resource.Config) *resource.Middleware {
	t.Helper()
	if cfg.Issuer == "" {
		cfg.Issuer = h.URL
	}
	m, err := resource.New(context.Background(), cfg)
	if err != nil {
		t.Fatalf("resource.New: %v", err)
	}
	return m
}
