package client_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"

	"github.com/hubauth/hubauth/client"
	"github.com/hubauth/hubauth/internal/server"
)

func TestWrongIssuer(t *testing.T) {
	// A real hub that calls itself localhost, reached as 127.0.0.1.
	var port string
	h := newHub(t, func(cfg *server.Config) {
		_, port, _ = net.SplitHostPort(strings.TrimPrefix(cfg.Issuer, "http://"))
		cfg.Issuer = "http://localhost:" + port
	})
	c := newClient(t, h, t.TempDir())
	err := c.LoginPassword(context.Background(), demoUser, demoPassword, client.PasswordOptions{})
	if err == nil || !strings.Contains(err.Error(), "wrong issuer") || !strings.Contains(err.Error(), "http://localhost:"+port) {
		t.Fatalf("login at a hub with another issuer = %v, want a wrong-issuer error naming it", err)
	}
	if _, ok := c.Session(); ok {
		t.Fatal("a session was stored")
	}
}

func TestUnreachableServer(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String()
	ln.Close()
	c, err := client.New(context.Background(), client.Config{Server: url, DataDir: t.TempDir()})
	if err != nil {
		t.Fatalf("New makes no request, so cannot fail here: %v", err)
	}
	err = c.LoginPassword(context.Background(), demoUser, demoPassword, client.PasswordOptions{})
	if !errors.Is(err, syscall.ECONNREFUSED) || !strings.HasPrefix(err.Error(), "client: cannot reach "+url+": ") {
		t.Fatalf("login at a closed port = %v, want a cannot-reach error", err)
	}
}

func TestNoDiscoveryDocument(t *testing.T) {
	ts := httptest.NewServer(http.NotFoundHandler())
	defer ts.Close()
	c, _ := client.New(context.Background(), client.Config{Server: ts.URL + "/", DataDir: t.TempDir()})
	err := c.LoginBrowser(context.Background(), client.BrowserOptions{OpenURL: func(string) error { t.Error("browser opened"); return nil }})
	if err == nil || !strings.Contains(err.Error(), "no OpenID Connect discovery document") {
		t.Fatalf("login at a server without discovery = %v", err)
	}
}

func TestConfigValidation(t *testing.T) {
	for _, server := range []string{"", "auth.example.org", "ftp://auth.example.org", "https://auth.example.org?x=1", "https://user:pw@auth.example.org"} {
		if _, err := client.New(context.Background(), client.Config{Server: server, NoStore: true}); err == nil {
			t.Errorf("New(Server: %q) succeeded", server)
		} else if strings.Contains(err.Error(), "pw@") {
			t.Errorf("the error repeats a password: %v", err)
		}
	}
}
