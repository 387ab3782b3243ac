package hubtest

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/hubauth/hubauth/internal/password"
	"github.com/hubauth/hubauth/internal/server"
	"github.com/hubauth/hubauth/internal/storage"
	"github.com/hubauth/hubauth/internal/storage/sqlite"
)

// Hub is a real hubauth server on 127.0.0.1, stopped when the test ends.
type Hub struct {
	URL    string
	Store  storage.Storage
	Clock  *Clock // the hub's Now
	Logs   *Logs  // the hub's log: JSON lines from the debug level up
	DB     string // the SQLite file (for admin --db, raw reads); "" over WithStore
	Server *server.Server
	// Users holds the ids of the users WithUser created, by username.
	Users map[string]string
	// Secrets holds the secrets of the confidential clients WithClient
	// registered, by client id.
	Secrets map[string]string
	ts      *httptest.Server
}

// New starts a hub with the hub's defaults for tests: SQLite in
// t.TempDir(), the issuer its own URL, NOMAD's GET app_token on, fast
// password hashing, the time of h.Clock; opts change them and add users,
// groups, clients and scopes.
func New(t testing.TB, opts ...Option) *Hub {
	t.Helper()
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	ts := httptest.NewUnstartedServer(nil)
	h := &Hub{URL: "http://" + ts.Listener.Addr().String(), Store: o.store, Clock: &Clock{}, Logs: &Logs{},
		Users: map[string]string{}, Secrets: map[string]string{}, ts: ts}
	if o.localhost {
		h.URL = "http://localhost:" + strconv.Itoa(ts.Listener.Addr().(*net.TCPAddr).Port)
	}
	if h.Store == nil {
		h.DB = filepath.Join(t.TempDir(), "hub.db")
		store, err := sqlite.Open(context.Background(), h.DB)
		if err != nil {
			t.Fatalf("open store: %v", err)
		}
		t.Cleanup(func() { store.Close() })
		h.Store = store
	}
	cfg := h.config(o.issuer)
	for _, change := range o.configs {
		change(&cfg)
	}
	slog.SetDefault(cfg.Logger) // the OIDC library logs through the default logger, as under serve
	srv, err := server.New(context.Background(), cfg)
	if err != nil {
		t.Fatalf("server.New: %v", err)
	}
	h.Server = srv
	var handler http.Handler = srv.Handler()
	if _, bench := t.(*testing.B); !bench && !o.noAPICheck {
		handler = CheckAPI(t, handler)
	}
	for _, wrap := range o.wraps {
		handler = wrap(handler)
	}
	ts.Config.Handler = handler
	ts.Start()
	t.Cleanup(func() { ts.Close(); srv.Close() })
	for _, seed := range o.seeds {
		seed(t, h)
	}
	return h
}

// config is the hub's configuration before the options change it.
func (h *Hub) config(issuer string) server.Config {
	if issuer == "" {
		issuer = h.URL
	}
	return server.Config{
		Issuer: issuer, Store: h.Store, Now: h.Clock.Now, NomadGetToken: true,
		Logger:         slog.New(slog.NewJSONHandler(h.Logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		PasswordParams: password.TestParams,
	}
}

// Close stops the hub: it can no longer be reached.
func (h *Hub) Close() { h.ts.Close() }
