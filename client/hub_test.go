package client_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"sync/atomic"
	"testing"

	"github.com/hubauth/hubauth/client"
	"github.com/hubauth/hubauth/client/internal/store"
	"github.com/hubauth/hubauth/internal/hubtest"
	"github.com/hubauth/hubauth/internal/server"
)

const (
	demoUser     = "ada"
	demoPassword = "correct horse battery staple"
)

// hub is the shared test hub (internal/hubtest) with demoUser; it counts
// refresh_token grants.
type hub struct {
	*hubtest.Hub
	refreshes atomic.Int64
}

// newHub starts a hub with demoUser; opts change its configuration.
func newHub(t testing.TB, opts ...func(*server.Config)) *hub {
	t.Helper()
	h := &hub{}
	h.Hub = hubtest.New(t, hubtest.WithConfig(opts...), hubtest.WithHandler(h.countRefreshes),
		hubtest.WithUser(demoUser, demoPassword))
	return h
}

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

// refreshWith presents a refresh token to the hub directly and returns
// the OAuth error code, "" on success.
func (h *hub) refreshWith(t *testing.T, rt string) string {
	t.Helper()
	resp, err := http.PostForm(h.URL+"/oauth/token", url.Values{
		"grant_type": {"refresh_token"}, "refresh_token": {rt}, "client_id": {client.DefaultClientID}})
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
