package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hubauth/hubauth/internal/password"
	"github.com/hubauth/hubauth/internal/secret"
	"github.com/hubauth/hubauth/internal/server"
	"github.com/hubauth/hubauth/internal/storage"
	"github.com/hubauth/hubauth/internal/storage/sqlite"
)

// hub is a real hubauth server on 127.0.0.1 over SQLite in t.TempDir(),
// as internal/server's tests start it.
type hub struct {
	URL   string
	Store storage.Storage
	DB    string // the SQLite file, for hubauth admin --db
}

const testPassword = "correct horse battery staple"

func newHub(t *testing.T) *hub {
	t.Helper()
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "hub.db")
	store, err := sqlite.Open(ctx, db)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { store.Close() })
	ts := httptest.NewUnstartedServer(nil)
	h := &hub{URL: "http://" + ts.Listener.Addr().String(), Store: store, DB: db}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	slog.SetDefault(logger)
	srv, err := server.New(ctx, server.Config{Issuer: h.URL, Store: store, NomadGetToken: true,
		Logger: logger, PasswordParams: password.TestParams})
	if err != nil {
		t.Fatalf("server.New: %v", err)
	}
	ts.Config.Handler = srv.Handler()
	ts.Start()
	t.Cleanup(func() { ts.Close(); srv.Close() })
	return h
}

// addUser creates a user with testPassword and returns its id (sub).
func (h *hub) addUser(t *testing.T, username string, groups ...string) string {
	t.Helper()
	ctx := context.Background()
	hasher := password.NewHasher(password.TestParams, 1, 0)
	defer hasher.Close()
	hash, err := hasher.Hash(ctx, testPassword)
	if err != nil {
		t.Fatal(err)
	}
	u := storage.User{ID: secret.ID(), Username: username, Name: username, PasswordHash: hash, CreatedAt: time.Now().UTC()}
	if err := h.Store.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	for _, g := range groups {
		h.Store.CreateGroup(ctx, storage.Group{Name: g, CreatedAt: time.Now().UTC()}) // may exist
		if err := h.Store.AddGroupMember(ctx, g, u.ID); err != nil {
			t.Fatal(err)
		}
	}
	return u.ID
}

// apiClient registers the data hub's confidential client.
func (h *hub) apiClient(t *testing.T) (id, sec string) {
	t.Helper()
	id, sec = "datahub", secret.New()
	c := storage.Client{ID: id, Name: "Data hub", SecretHash: secret.Hash(sec),
		GrantTypes: []string{"client_credentials"}, CreatedAt: time.Now().UTC()}
	if err := h.Store.CreateClient(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	return id, sec
}

// token logs username in with NOMAD's password endpoint; scope "" takes
// the hub's default scopes.
func (h *hub) token(t *testing.T, username, scope string) string {
	t.Helper()
	form := url.Values{"username": {username}, "password": {testPassword}}
	if scope != "" {
		form.Set("scope", scope)
	}
	resp, err := http.PostForm(h.URL+"/api/v1/auth/token", form)
	if err != nil {
		t.Fatal(err)
	}
	var out struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || out.AccessToken == "" {
		t.Fatalf("login %s: %d %v", username, resp.StatusCode, err)
	}
	resp.Body.Close()
	return out.AccessToken
}

// appToken returns a personal token made with an access token.
func (h *hub) appToken(t *testing.T, access string) string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, h.URL+"/api/v1/auth/app_token?expires_in=3600", nil)
	req.Header.Set("Authorization", "Bearer "+access)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct {
		AppToken string `json:"app_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || out.AppToken == "" {
		t.Fatalf("app token: %d %v", resp.StatusCode, err)
	}
	return out.AppToken
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

// newDatahubWith is newDatahub with the options changed by edit.
func newDatahubWith(t *testing.T, h *hub, edit func(*options), args ...string) *datahub {
	t.Helper()
	args = append([]string{"--issuer", h.URL, "--db", filepath.Join(t.TempDir(), "datahub.db")}, args...)
	o, err := parseFlags(args, func(string) string { return "" }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(&o)
	}
	handler, closeStore, err := build(context.Background(), o, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(handler)
	t.Cleanup(func() { ts.Close(); closeStore() })
	return &datahub{URL: ts.URL, t: t}
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
