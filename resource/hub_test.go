package resource_test

import (
	"context"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/hubauth/hubauth/internal/hubtest"
	"github.com/hubauth/hubauth/internal/secret"
	"github.com/hubauth/hubauth/internal/server"
	"github.com/hubauth/hubauth/internal/storage"
	"github.com/hubauth/hubauth/resource"
)

const (
	demoUser     = "ada"
	demoPassword = "correct horse battery staple"
)

// hub is the shared test hub (internal/hubtest) with demoUser, counting
// the requests per path.
type hub struct {
	*hubtest.Hub
	UserID string   // demoUser's id
	counts sync.Map // path → *atomic.Int64
}

// newHub starts a hub with demoUser; opts change its configuration.
func newHub(t testing.TB, opts ...func(*server.Config)) *hub {
	t.Helper()
	h := &hub{}
	h.Hub = hubtest.New(t, hubtest.WithConfig(opts...), hubtest.WithHandler(h.countRequests),
		hubtest.WithUser(demoUser, demoPassword))
	h.UserID = h.Users[demoUser]
	return h
}

// countRequests counts the requests per path.
func (h *hub) countRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := h.counts.LoadOrStore(r.URL.Path, new(atomic.Int64))
		n.(*atomic.Int64).Add(1)
		next.ServeHTTP(w, r)
	})
}

// count is the number of requests the hub received for path.
func (h *hub) count(path string) int64 {
	n, ok := h.counts.Load(path)
	if !ok {
		return 0
	}
	return n.(*atomic.Int64).Load()
}

// apiClient registers the data API's confidential client and returns its
// credentials, for introspection.
func (h *hub) apiClient(t testing.TB) (id, sec string) {
	t.Helper()
	id = "datahub-" + secret.ID()[:6]
	return id, h.AddClient(t, storage.Client{ID: id, Name: "Data hub", GrantTypes: []string{"client_credentials"}})
}

// tokens logs demoUser in with NOMAD's password endpoint and returns the
// JSON answer (access_token, refresh_token).
func (h *hub) tokens(t testing.TB, scope string) map[string]any {
	t.Helper()
	return h.PasswordLogin(t, demoUser, demoPassword, scope)
}

// accessToken returns a JWT access token of demoUser with scope (the
// default scopes when empty).
func (h *hub) accessToken(t testing.TB, scope string) string {
	t.Helper()
	return h.AccessToken(t, demoUser, demoPassword, scope)
}

// idToken returns an ID token of demoUser, from a refresh.
func (h *hub) idToken(t testing.TB) string {
	t.Helper()
	rt := h.tokens(t, "openid profile offline_access")["refresh_token"].(string)
	out := h.PostForm(t, "/oauth/token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}, "client_id": {storage.CLIClientID}})
	return out["id_token"].(string)
}

// personalToken returns a personal token of demoUser valid one hour.
func (h *hub) personalToken(t testing.TB, scope string) string {
	t.Helper()
	return h.PersonalToken(t, h.accessToken(t, scope))
}

// revokePersonalToken revokes token at the hub's revocation endpoint
// (RFC 7009), as a user's tool would: the hub refuses it from then on, so
// what a resource still accepts is its own cache's doing.
func (h *hub) revokePersonalToken(t testing.TB, token string) {
	t.Helper()
	resp, err := http.PostForm(h.URL+"/oauth/revoke", url.Values{"token": {token}, "client_id": {storage.CLIClientID}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("revoke: %s", resp.Status)
	}
}

// newMiddleware builds a middleware for the hub; cfg.Issuer defaults to
// it. A cfg that names no audience (the tests of everything but the
// audience) takes AnyAudience: the hub's own tokens here name the client
// they were issued to, not an API.
func newMiddleware(t testing.TB, h *hub, cfg resource.Config) *resource.Middleware {
	t.Helper()
	if cfg.Issuer == "" {
		cfg.Issuer = h.URL
	}
	if cfg.URL == "" && cfg.Audience == nil {
		cfg.AnyAudience = true
	}
	m, err := resource.New(context.Background(), cfg)
	if err != nil {
		t.Fatalf("resource.New: %v", err)
	}
	return m
}
