package client_test

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hubauth/hubauth/client"
	"github.com/hubauth/hubauth/client/internal/store"
	"github.com/hubauth/hubauth/internal/server"
)

// viaLoopback returns an *http.Client that reaches every host at addr, a
// listener on 127.0.0.1: to the SDK the server is another machine.
func viaLoopback(addr string) *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.DialContext = func(ctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, addr)
	}
	return &http.Client{Transport: tr}
}

// remoteName is the server's name in these tests: not loopback.
const remoteName = "hub.example.org"

// Nothing that carries a secret goes to a plain http provider on another
// machine: every attempt fails with ErrInsecureHTTP, in an error that says how to
// allow it, and the provider sees no request, not even discovery.
func TestInsecureHTTPRefused(t *testing.T) {
	var (
		seen   atomic.Int64
		remote string
	)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen.Add(1)
		if r.URL.Path != "/.well-known/openid-configuration" {
			http.NotFound(w, r)
			return
		}
		json.NewEncoder(w).Encode(map[string]any{"issuer": remote, "authorization_endpoint": remote + "/authorize",
			"token_endpoint": remote + "/token", "device_authorization_endpoint": remote + "/device",
			"revocation_endpoint": remote + "/revoke", "userinfo_endpoint": remote + "/userinfo"})
	}))
	defer ts.Close()
	_, port, _ := net.SplitHostPort(ts.Listener.Addr().String())
	remote = "http://" + remoteName + ":" + port
	ctx := context.Background()
	fresh := store.Session{Server: remote, ClientID: client.DefaultClientID, Method: client.MethodPassword, AccessToken: "at",
		TokenType: "Bearer", RefreshToken: "rt", Expiry: time.Now().Add(time.Hour), CreatedAt: time.Now()}
	stale := fresh
	stale.Expiry = time.Now().Add(-time.Hour)
	get := func(c *client.Client) error {
		resp, err := c.HTTPClient(ctx).Get(remote + "/api/v1/users/me")
		if err == nil {
			resp.Body.Close()
		}
		return err
	}
	tests := []struct {
		name   string
		stored *store.Session
		token  string // Config.Token, as HUBAUTH_TOKEN sets it
		do     func(*client.Client) error
	}{
		{"password login", nil, "", func(c *client.Client) error {
			return c.LoginPassword(ctx, demoUser, demoPassword, client.PasswordOptions{})
		}},
		{"browser login", nil, "", func(c *client.Client) error {
			return c.LoginBrowser(ctx, client.BrowserOptions{OpenURL: func(string) error { t.Error("browser opened"); return nil }})
		}},
		{"device login", nil, "", func(c *client.Client) error { return c.LoginDevice(ctx, client.DeviceOptions{}) }},
		{"token login", nil, "", func(c *client.Client) error { return c.LoginToken(ctx, "a-token", client.TokenOptions{}) }},
		{"refresh", &stale, "", func(c *client.Client) error { _, err := c.Token(ctx); return err }},
		{"revocation", &fresh, "", func(c *client.Client) error { return c.Logout(ctx) }},
		{"request with the bearer", &fresh, "", get},
		{"SDK API call", &fresh, "", func(c *client.Client) error { _, err := c.Tokens(ctx); return err }},
		{"userinfo", &fresh, "", func(c *client.Client) error { _, err := c.Userinfo(ctx); return err }},
		{"HUBAUTH_TOKEN", nil, "env-token", get},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if tt.stored != nil {
				err := store.Open(dir, false, nil).Update(remote, "", func(store.Session, bool) (*store.Session, error) { return tt.stored, nil })
				if err != nil {
					t.Fatal(err)
				}
			}
			c, err := client.New(ctx, client.Config{Server: remote, DataDir: dir, Token: tt.token, HTTPClient: viaLoopback(ts.Listener.Addr().String())})
			if err != nil {
				t.Fatal(err)
			}
			before := seen.Load()
			err = tt.do(c)
			if !errors.Is(err, client.ErrInsecureHTTP) || !strings.Contains(err.Error(), "credentials to "+remote+" over plain http") ||
				!strings.Contains(err.Error(), "use https, or allow plain http on a network you trust") {
				t.Errorf("error = %v, want ErrInsecureHTTP for %s", err, remote)
			}
			if n := seen.Load() - before; n != 0 {
				t.Errorf("the server received %d requests", n)
			}
			if s, ok, _ := store.Open(dir, false, nil).Load(remote, ""); ok && s.Expired {
				t.Error("a refused request marked the session expired")
			}
		})
	}
}

// With AllowInsecureHTTP the user may use a hub on a trusted network.
func TestInsecureHTTPAllowed(t *testing.T) {
	remoteIssuer := func(cfg *server.Config) {
		cfg.Issuer, cfg.AllowInsecureIssuer = strings.Replace(cfg.Issuer, "127.0.0.1", remoteName, 1), true
	}
	h := newHub(t, remoteIssuer)
	remote := strings.Replace(h.URL, "127.0.0.1", remoteName, 1)
	hc := viaLoopback(strings.TrimPrefix(h.URL, "http://"))
	c := newClient(t, h, t.TempDir(), func(cfg *client.Config) { cfg.Server, cfg.HTTPClient, cfg.AllowInsecureHTTP = remote, hc, true })
	ctx := context.Background()
	if err := c.LoginPassword(ctx, demoUser, demoPassword, client.PasswordOptions{}); err != nil {
		t.Fatalf("LoginPassword: %v", err)
	}
	if _, err := c.Tokens(ctx); err != nil {
		t.Fatalf("Tokens: %v", err)
	}
	if err := c.Logout(ctx); err != nil {
		t.Fatalf("Logout: %v", err)
	}
}
