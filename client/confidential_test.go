package client_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/hubauth/hubauth/client"
	"github.com/hubauth/hubauth/internal/secret"
	"github.com/hubauth/hubauth/internal/storage"
)

// addConfidentialClient registers a confidential command-line client, as
// Dex deployments often do, redirecting to the loopback port given.
func (h *hub) addConfidentialClient(t *testing.T, id, sec string, port int) {
	t.Helper()
	c := storage.Client{ID: id, Name: "Data hub CLI", SecretHash: secret.Hash(sec), FirstParty: true,
		RedirectURIs: []string{fmt.Sprintf("http://127.0.0.1:%d/callback", port)},
		GrantTypes:   []string{"authorization_code", "refresh_token", "urn:ietf:params:oauth:grant-type:device_code"},
		CreatedAt:    time.Now().UTC()}
	if err := h.Store.CreateClient(context.Background(), c); err != nil {
		t.Fatal(err)
	}
}

// freePort returns a loopback port that was free a moment ago.
func freePort(t *testing.T) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// A confidential client logs in with Config.ClientSecret by every method
// the hub offers it; the secret is kept with the session, so that a
// Client without it refreshes and revokes the session.
func TestConfidentialClientAtHub(t *testing.T) {
	h := newHub(t)
	port := freePort(t)
	const id, sec = "datahub-cli", "a-secret-of-the-cli"
	h.addConfidentialClient(t, id, sec, port)
	confidential := func(secret string) func(*client.Config) {
		return func(cfg *client.Config) { cfg.ClientID, cfg.ClientSecret = id, secret }
	}
	logIn := func(u string) (webPage, error) { return logInAt(t, h, u) }

	t.Run("browser, refresh, logout", func(t *testing.T) {
		dir := t.TempDir()
		c := newClient(t, h, dir, confidential(sec))
		if _, err := browserLogin(t, c, client.BrowserOptions{CallbackPort: port}, logIn); err != nil {
			t.Fatalf("LoginBrowser: %v", err)
		}
		later := newClient(t, h, dir, confidential(""), func(cfg *client.Config) { cfg.MinValid = 24 * time.Hour })
		before := h.refreshes.Load()
		if _, err := later.Token(context.Background()); err != nil || h.refreshes.Load() != before+1 {
			t.Fatalf("refresh without Config.ClientSecret: %v after %d refreshes", err, h.refreshes.Load()-before)
		}
		if err := later.Logout(context.Background()); err != nil {
			t.Fatalf("Logout: %v, want the revocation accepted", err)
		}
	})
	t.Run("device", func(t *testing.T) {
		c := newClient(t, h, t.TempDir(), confidential(sec))
		err := c.LoginDevice(context.Background(), client.DeviceOptions{Prompt: func(dc client.DeviceCode) {
			go func() {
				if err := newWebBrowser(t, h).approveDevice(dc.UserCode, "approve"); err != nil {
					t.Error(err)
				}
			}()
		}})
		if err != nil {
			t.Fatalf("LoginDevice: %v", err)
		}
		if info, _ := c.Session(); info.Username != demoUser || info.ClientID != id || !info.Refreshable {
			t.Fatalf("Session after device login = %+v", info)
		}
	})
	t.Run("wrong secret", func(t *testing.T) {
		c := newClient(t, h, t.TempDir(), confidential("not-the-secret"))
		_, err := browserLogin(t, c, client.BrowserOptions{CallbackPort: port}, logIn)
		var re *oauth2.RetrieveError
		if !errors.As(err, &re) || re.ErrorCode != "invalid_client" {
			t.Fatalf("LoginBrowser with a wrong secret = %v, want the hub's invalid_client", err)
		}
	})
	t.Run("password", func(t *testing.T) {
		// hubauth's password endpoint takes public clients only, and says so.
		c := newClient(t, h, t.TempDir(), confidential(sec))
		err := c.LoginPassword(context.Background(), demoUser, demoPassword, client.PasswordOptions{})
		var herr *client.HTTPError
		if errors.Is(err, client.ErrInvalidCredentials) || !errors.As(err, &herr) || herr.Code != "unauthorized_client" ||
			!strings.Contains(err.Error(), "may not use the password endpoint") {
			t.Fatalf("LoginPassword as a confidential client = %v, want the hub's unauthorized_client", err)
		}
	})
}
