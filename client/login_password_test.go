package client_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/hubauth/hubauth/client"
	"github.com/hubauth/hubauth/client/internal/store"
)

// me asks the hub's /api/v1/users/me through c's HTTPClient.
func me(t *testing.T, c *client.Client, h *hub) (map[string]any, error) {
	t.Helper()
	resp, err := c.HTTPClient(context.Background()).Get(h.URL + "/api/v1/users/me")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if err := client.CheckResponse(resp); err != nil {
		return nil, err
	}
	var body map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatalf("decode /users/me: %v", err)
	}
	return body, nil
}

func TestPasswordLoginTokenAndHTTPClient(t *testing.T) {
	h := newHub(t)
	c, dir := loggedIn(t, h)
	ctx := context.Background()

	tok, err := c.Token(ctx)
	if err != nil || tok.AccessToken == "" || tok.RefreshToken != "" {
		t.Fatalf("Token = %+v, %v; want an access token and no refresh token", tok, err)
	}
	body, err := me(t, c, h)
	if err != nil || body["username"] != demoUser {
		t.Fatalf("/users/me = %v, %v; want username %s", body, err, demoUser)
	}
	info, ok := c.Session()
	want := filepath.Join(dir, "tokens.json")
	if !ok || info.Method != client.MethodPassword || info.Username != demoUser || info.Subject == "" ||
		!info.Refreshable || info.Source != want || info.Expiry.IsZero() {
		t.Fatalf("Session = %+v, %v; want a refreshable password session of %s stored in %s", info, ok, demoUser, want)
	}
	if fi, err := os.Stat(want); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("sessions file: %v, %v; want mode 0600", fi, err)
	}

	// A new client restores the session without logging in.
	again := newClient(t, h, dir)
	tok2, err := again.Token(ctx)
	if err != nil || tok2.AccessToken != tok.AccessToken {
		t.Fatalf("restored Token = %v, %v; want the stored token", tok2, err)
	}
	if h.refreshes.Load() != 0 {
		t.Fatalf("%d refreshes, want none", h.refreshes.Load())
	}
	u, err := again.Userinfo(ctx)
	if err != nil || u.Username != demoUser || u.Subject != info.Subject || u.Claims["sub"] != info.Subject {
		t.Fatalf("Userinfo = %+v, %v", u, err)
	}
}

func TestPasswordLoginRefused(t *testing.T) {
	h := newHub(t)
	dir := t.TempDir()
	c := newClient(t, h, dir)
	err := c.LoginPassword(context.Background(), demoUser, "wrong password", client.PasswordOptions{})
	if !errors.Is(err, client.ErrInvalidCredentials) || errors.Is(err, client.ErrNotLoggedIn) {
		t.Fatalf("LoginPassword with a wrong password = %v, want ErrInvalidCredentials only", err)
	}
	if _, ok := stored(t, dir, h); ok {
		t.Fatal("a refused login stored a session")
	}
	if _, err := c.Token(context.Background()); !errors.Is(err, client.ErrNotLoggedIn) {
		t.Fatalf("Token after a refused login = %v, want ErrNotLoggedIn", err)
	}
	if err := c.LoginPassword(context.Background(), "", "x", client.PasswordOptions{}); err == nil {
		t.Fatal("LoginPassword without a username succeeded")
	}
}

func TestLoginNeverReplacesALiveSession(t *testing.T) {
	h := newHub(t)
	c, dir := loggedIn(t, h)
	ctx := context.Background()
	before, _ := stored(t, dir, h)

	other := newClient(t, h, dir) // another process would see the same file
	if err := other.LoginPassword(ctx, demoUser, demoPassword, client.PasswordOptions{}); !errors.Is(err, client.ErrSessionExists) {
		t.Fatalf("second login = %v, want ErrSessionExists", err)
	}
	if err := other.LoginToken(ctx, "anything", client.TokenOptions{}); !errors.Is(err, client.ErrSessionExists) {
		t.Fatalf("LoginToken over a live session = %v, want ErrSessionExists", err)
	}
	if err := other.LoginDevice(ctx, client.DeviceOptions{}); !errors.Is(err, client.ErrSessionExists) {
		t.Fatalf("LoginDevice over a live session = %v, want ErrSessionExists", err)
	}
	if err := other.LoginBrowser(ctx, client.BrowserOptions{OpenURL: func(string) error { t.Fatal("browser opened"); return nil }}); !errors.Is(err, client.ErrSessionExists) {
		t.Fatalf("LoginBrowser over a live session = %v, want ErrSessionExists", err)
	}
	if after, _ := stored(t, dir, h); after.RefreshToken != before.RefreshToken {
		t.Fatal("a refused login changed the stored session")
	}
	if err := other.LoginPassword(ctx, demoUser, demoPassword, client.PasswordOptions{Force: true, TokenName: "laptop"}); err != nil {
		t.Fatalf("forced login: %v", err)
	}
	if after, _ := stored(t, dir, h); after.RefreshToken == before.RefreshToken {
		t.Fatal("a forced login kept the old session")
	}
	// An expired session is no obstacle.
	editStored(t, dir, h, func(s *store.Session) { s.Expired = true })
	if err := c.LoginPassword(ctx, demoUser, demoPassword, client.PasswordOptions{}); err != nil {
		t.Fatalf("login over an expired session: %v", err)
	}
}

func TestNoStoreKeepsNothingOnDisk(t *testing.T) {
	h := newHub(t)
	dir := t.TempDir()
	c, _ := loggedIn(t, h, func(cfg *client.Config) { cfg.NoStore = true; cfg.DataDir = dir })
	if info, ok := c.Session(); !ok || info.Source != client.SourceMemory {
		t.Fatalf("Session = %+v, %v; want one kept in memory", info, ok)
	}
	if _, err := me(t, c, h); err != nil {
		t.Fatalf("request with a memory session: %v", err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 0 {
		t.Fatalf("NoStore wrote %v", entries)
	}
}

func TestUnauthenticatedRequestIsNotLoggedIn(t *testing.T) {
	h := newHub(t)
	c := newClient(t, h, t.TempDir())
	_, err := me(t, c, h)
	var herr *client.HTTPError
	if !errors.Is(err, client.ErrNotLoggedIn) || !errors.As(err, &herr) || herr.StatusCode != http.StatusUnauthorized {
		t.Fatalf("/users/me without a session = %v, want an *HTTPError 401 matching ErrNotLoggedIn", err)
	}
}

func TestUnwritableDataDirKeepsSessionInMemory(t *testing.T) {
	h := newHub(t)
	// Root ignores directory modes: a data directory below a regular file
	// cannot be created by anyone.
	file := filepath.Join(t.TempDir(), "afile")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	var warnings []string
	c := newClient(t, h, filepath.Join(file, "hubauth"), func(cfg *client.Config) {
		cfg.Warn = func(msg string) { warnings = append(warnings, msg) }
	})
	if err := c.LoginPassword(context.Background(), demoUser, demoPassword, client.PasswordOptions{}); err != nil {
		t.Fatalf("login with an unwritable data directory: %v", err)
	}
	if info, _ := c.Session(); info.Source != client.SourceMemory || len(warnings) != 1 {
		t.Fatalf("Source = %q after warnings %q; want memory and one warning", info.Source, warnings)
	}
	if _, err := me(t, c, h); err != nil {
		t.Fatalf("request with the session kept in memory: %v", err)
	}
}

func TestLoginWithoutOpenIDScope(t *testing.T) {
	h := newHub(t)
	c, _ := loggedIn(t, h, func(cfg *client.Config) { cfg.Scopes = []string{"offline_access"} })
	info, _ := c.Session()
	if info.Subject == "" {
		t.Errorf("Session = %+v: want the subject read from the token", info)
	}
	if _, err := c.Token(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestPasswordLoginThrottled(t *testing.T) {
	h := newHub(t)
	c := newClient(t, h, t.TempDir())
	var err error
	for range 30 {
		err = c.LoginPassword(context.Background(), demoUser, "guess", client.PasswordOptions{})
		if !errors.Is(err, client.ErrInvalidCredentials) {
			break
		}
	}
	var herr *client.HTTPError
	if !errors.As(err, &herr) || herr.StatusCode != http.StatusTooManyRequests || herr.RetryAfter <= 0 {
		t.Fatalf("after many wrong passwords: %v, want an *HTTPError 429 with RetryAfter", err)
	}
}
