package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hubauth/hubauth/internal/admin"
	"github.com/hubauth/hubauth/internal/hubtest"
	"github.com/hubauth/hubauth/internal/storage"
)

// hub is the shared test hub (internal/hubtest), users added by the tests,
// with the data hub registered as an API at the address it will listen on.
type hub struct {
	*hubtest.Hub
	// listener is reserved for the first data hub started (newDatahub):
	// apiURI is its address, registered at the hub, so the hub's tokens
	// for the data hub's scopes carry it as their audience (RFC 8707).
	listener net.Listener
	apiURI   string
}

const testPassword = "correct horse battery staple"

// newHub starts a hub without users, with the data hub's scopes and the
// data hub itself registered as its README says (hubauth admin scope add
// uploads:read …; hubauth admin api add datahub --uri … --scopes …).
func newHub(t *testing.T) *hub {
	t.Helper()
	h := &hub{Hub: hubtest.New(t, hubtest.WithScope("uploads:read", scopeDescriptions["uploads:read"]),
		hubtest.WithScope("uploads:write", scopeDescriptions["uploads:write"]))}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	h.listener, h.apiURI = ln, "http://"+ln.Addr().String()
	_, err = admin.New(h.Store, time.Now, nil).AddAPI(t.Context(), admin.NewAPI{ID: "datahub", URI: h.apiURI,
		Name: "Data hub", Scopes: []string{"uploads:read", "uploads:write"}})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// addUser creates a user with testPassword and returns its id (sub).
func (h *hub) addUser(t *testing.T, username string, groups ...string) string {
	t.Helper()
	return h.AddUser(t, username, testPassword, groups...)
}

// apiClient registers the data hub's confidential client.
func (h *hub) apiClient(t *testing.T) (id, sec string) {
	t.Helper()
	return "datahub", h.AddClient(t, storage.Client{ID: "datahub", Name: "Data hub", GrantTypes: []string{"client_credentials"}})
}

// token logs username in with NOMAD's password endpoint; scope "" takes
// the hub's default scopes. A token with the data hub's scopes is for it
// (aud: hub.apiURI).
func (h *hub) token(t *testing.T, username, scope string) string {
	t.Helper()
	return h.AccessToken(t, username, testPassword, scope)
}

// hubToken is a token of username for the hub's own API (aud: the
// client, first-party), as personal tokens are made with: a token for the
// data hub is the data hub's, never the user's rights at the hub.
func (h *hub) hubToken(t *testing.T, username string) string {
	t.Helper()
	return h.AccessToken(t, username, testPassword, "openid profile")
}

// dataPAT is a personal token of username for the data hub's scopes.
func (h *hub) dataPAT(t *testing.T, username string) string {
	t.Helper()
	return h.pat(t, h.hubToken(t, username), "uploads:read", "uploads:write")
}

// pat creates a personal token with scopes at NOMAD's PAT endpoint, with
// the access token of its user.
func (h *hub) pat(t *testing.T, access string, scopes ...string) string {
	t.Helper()
	_, token := createPAT(t, h, access, scopes...)
	return token
}

// datahub is the data hub under test, in front of a hub.
type datahub struct {
	URL string
	t   *testing.T
}

// newDatahub starts the data hub for h with the command line args (the
// issuer and database are added).
func newDatahub(t *testing.T, h *hub, args ...string) *datahub {
	t.Helper()
	return newDatahubWith(t, h, nil, args...)
}

// newDatahubWith is newDatahub with the options changed by edit. The
// data hub's --public-url is its test server's URL; its audience flags
// are audienceArgs's.
func newDatahubWith(t *testing.T, h *hub, edit func(*options), args ...string) *datahub {
	t.Helper()
	ts := httptest.NewUnstartedServer(nil)
	if h.listener != nil { // the first data hub is the registered one
		ts.Listener.Close()
		ts.Listener, h.listener = h.listener, nil
	}
	url := "http://" + ts.Listener.Addr().String()
	args = append([]string{"--issuer", h.URL, "--db", filepath.Join(t.TempDir(), "datahub.db"), "--public-url", url}, args...)
	args = append(args, audienceArgs(h, url, args)...)
	o, err := parseFlags(args, func(string) string { return "" }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(&o)
	}
	handler, closeStore, err := build(context.Background(), o, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		ts.Close()
		t.Fatal(err)
	}
	ts.Config.Handler = handler
	ts.Start()
	t.Cleanup(func() { ts.Close(); closeStore() })
	return &datahub{URL: ts.URL, t: t}
}

// audienceArgs are a data hub's audience flags in the tests. The first
// data hub of a hub that registered it (newHub) is the registered API:
// its --public-url is the registered URI, its audience by default. A
// later one is another deployment of the same API: --audience names the
// registered URI. At a hub where the data hub is not registered
// (TestCLIEndToEnd's), or when the test asks for --any-audience, the data
// hub takes every token of the hub (--any-audience).
func audienceArgs(h *hub, url string, args []string) []string {
	switch {
	case slices.Contains(args, "--any-audience"):
		return nil
	case h.apiURI == "":
		return []string{"--any-audience"}
	case url == h.apiURI:
		return nil
	}
	return []string{"--audience", h.apiURI}
}

// response is an answer of the data hub.
type response struct {
	Status int
	Header http.Header
	Body   []byte
}

// decode unmarshals the body into v.
func (r response) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("status %d, body %s: %v", r.Status, r.Body, err)
	}
}

// errorCode returns the body's error field.
func (r response) errorCode(t *testing.T) string {
	var e struct{ Error string }
	r.decode(t, &e)
	return e.Error
}

// do sends a request with token ("" for none) and body (nil for none).
func (d *datahub) do(method, path, token string, body any) response {
	d.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		j, _ := json.Marshal(b)
		rd = bytes.NewReader(j)
	}
	req, _ := http.NewRequest(method, d.URL+path, rd)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		d.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return response{Status: resp.StatusCode, Header: resp.Header, Body: b}
}

// create makes an upload as token's user and returns it.
func (d *datahub) create(token string, body any) Upload {
	d.t.Helper()
	r := d.do(http.MethodPost, "/api/v1/uploads", token, body)
	var out single
	r.decode(d.t, &out)
	if r.Status != http.StatusCreated || out.UploadID == "" {
		d.t.Fatalf("create: %d %s", r.Status, r.Body)
	}
	return out.Data
}

// names lists the upload names of a list answer at path.
func (d *datahub) names(path, token string) []string {
	d.t.Helper()
	r := d.do(http.MethodGet, path, token, nil)
	var p page
	r.decode(d.t, &p)
	if r.Status != http.StatusOK {
		d.t.Fatalf("GET %s: %d %s", path, r.Status, r.Body)
	}
	names := []string{}
	for _, u := range p.Data {
		names = append(names, u.UploadName)
	}
	return names
}
