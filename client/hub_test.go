package client_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hubauth/hubauth/client"
	"github.com/hubauth/hubauth/client/internal/store"
	"github.com/hubauth/hubauth/internal/hubtest"
	"github.com/hubauth/hubauth/internal/password"
	"github.com/hubauth/hubauth/internal/secret"
	"github.com/hubauth/hubauth/internal/server"
	"github.com/hubauth/hubauth/internal/storage"
	"github.com/hubauth/hubauth/internal/storage/sqlite"
)

const (
	demoUser     = "ada"
	demoPassword = "correct horse battery staple"
)

// hub is a real hubauth server on 127.0.0.1 over SQLite in t.TempDir(),
// as internal/server's tests start it. It counts refresh_token grants.
type hub struct {
	URL       string
	Store     storage.Storage
	Clock     *hubtest.Clock
	ts        *httptest.Server
	refreshes atomic.Int64
}

// hubOption changes the hub's configuration before it starts.
type hubOption func(*server.Config)

func newHub(t testing.TB, opts ...hubOption) *hub {
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
		Logger:         slog.New(slog.NewTextHandler(io.Discard, nil)),
		PasswordParams: password.TestParams,
	}
	for _, o := range opts {
		o(&cfg)
	}
	slog.SetDefault(cfg.Logger) // the OIDC library logs through the default logger
	srv, err := server.New(ctx, cfg)
	if err != nil {
		t.Fatalf("server.New: %v", err)
	}
	ts.Config.Handler = h.countRefreshes(srv.Handler())
	ts.Start()
	t.Cleanup(func() { ts.Close(); srv.Close() })
	h.addUser(t, demoUser, demoPassword)
	return h
}

// Close stops the hub: it can no longer be reached.
func (h *hub) Close() { h.ts.Close() }

// countRefreshes counts the token requests with grant_type=refresh_token.
func (h *hub) countRefreshes(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && r.URL.Path == "/oauth/token" {
			body, _ := io.ReadAll(r.Body)
			r.Body = io.NopCloser(bytes.NewReader(body))
			if form, _ := url.ParseQuery(string(body)); form.Get("grant_type") == "refresh_token" {
				h.refreshes.Add(1)
			}
		}
		next.ServeHTTP(w, r)
	})
}

// addUser creates a user with a password.
func (h *hub) addUser(t testing.TB, username, pw string) {
	t.Helper()
	hasher := password.NewHasher(password.TestParams, 1, 0)
	defer hasher.Close()
	hash, err := hasher.Hash(context.Background(), pw)
	if err != nil {
		t.Fatal(err)
	}
	u := storage.User{ID: secret.ID(), Username: username, Name: strings.ToUpper(username[:1]) + username[1:],
		Email: username + "@example.org", PasswordHash: hash, CreatedAt: time.Now().UTC()}
	if err := h.Store.CreateUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
}

// refreshWith presents a refresh token to the hub directly and returns
// the OAuth error code, "" on success.
func (h *hub) refreshWith(t *testing.T, rt string) string {
	t.Helper()
	resp, err := http.PostForm(h.URL+"/oauth/token", url.Values{
		"grant_type": {"refresh_token"}, "refresh_token": {rt}, "client_id": {server.CLIClientID}})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusOK {
		return ""
	}
	var herr *client.HTTPError
	if err := client.CheckResponse(resp); errors.As(err, &herr) {
		return herr.Code
	}
	return resp.Status
}

// newClient returns a client of h keeping its sessions in dir.
func newClient(t testing.TB, h *hub, dir string, change ...func(*client.Config)) *client.Client {
	t.Helper()
	cfg := client.Config{Server: h.URL, DataDir: dir, Warn: func(msg string) { t.Errorf("warning: %s", msg) }}
	for _, f := range change {
		f(&cfg)
	}
	c, err := client.New(context.Background(), cfg)
	if err != nil {
		t.Fatalf("client.New: %v", err)
	}
	return c
}

// loggedIn returns a client of h logged in with a password, in a fresh
// data directory, and that directory.
func loggedIn(t testing.TB, h *hub, change ...func(*client.Config)) (*client.Client, string) {
	t.Helper()
	dir := t.TempDir()
	c := newClient(t, h, dir, change...)
	if err := c.LoginPassword(context.Background(), demoUser, demoPassword, client.PasswordOptions{}); err != nil {
		t.Fatalf("LoginPassword: %v", err)
	}
	return c, dir
}

// stored returns the session kept in dir for h.
func stored(t testing.TB, dir string, h *hub) (store.Session, bool) {
	t.Helper()
	s, ok, err := store.Open(dir, false, nil).Load(h.URL, "")
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	return s, ok
}

// editStored changes the session kept in dir for h.
func editStored(t testing.TB, dir string, h *hub, edit func(*store.Session)) {
	t.Helper()
	err := store.Open(dir, false, nil).Update(h.URL, "", func(cur store.Session, ok bool) (*store.Session, error) {
		if !ok {
			t.Fatal("no stored session to edit")
		}
		edit(&cur)
		return &cur, nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
