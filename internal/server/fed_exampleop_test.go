package server_test

import (
	"context"
	"log/slog"
	"net"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/zitadel/oidc/v3/example/server/exampleop"
	zstorage "github.com/zitadel/oidc/v3/example/server/storage"

	"github.com/hubauth/hubauth/internal/storage"
)

// A provider nobody here wrote: zitadel/oidc's example OpenID provider as
// the upstream "zitadel" of a hub. It has one user, test-user@HOST with
// the password verysecure, keeps no session (it asks every time) and asks
// for no consent.
const (
	exampleOPName     = "zitadel"
	exampleOPDisplay  = "Zitadel Example"
	exampleOPPassword = "verysecure"
	exampleOPUser     = "test-user@localhost" // its preferred_username at localhost
)

// addExampleOP starts zitadel's example OP in-process at
// http://localhost:PORT (the hub is at 127.0.0.1: a browser keeps the two
// hosts' cookies apart), with one confidential web client for h's
// callback, and registers it at h as provider exampleOPName, provisioning
// users from preferred_username.
func addExampleOP(t *testing.T, h *hub) {
	t.Helper()
	ts := httptest.NewUnstartedServer(nil)
	issuer := "http://localhost:" + strconv.Itoa(ts.Listener.Addr().(*net.TCPAddr).Port)
	const clientID, secret = "platform-hub", "zitadel-example-secret"
	clients := map[string]*zstorage.Client{
		clientID: zstorage.WebClient(clientID, secret, h.URL+"/login/"+exampleOPName+"/callback"),
	}
	st := zstorage.NewStorageWithClients(zstorage.NewUserStore(issuer), clients)
	logger := slog.Default()
	ts.Config.Handler = exampleop.SetupServer(issuer, st, slog.New(slog.DiscardHandler), false)
	slog.SetDefault(logger) // SetupServer replaces the default logger the hub's OIDC library logs through
	ts.Start()
	t.Cleanup(ts.Close)

	ip := storage.IdentityProvider{Name: exampleOPName, Issuer: issuer, ClientID: clientID, ClientSecret: secret,
		DisplayName: exampleOPDisplay, Scopes: []string{"openid", "profile", "email"}, UsernameClaim: "preferred_username",
		Provision: storage.ProvisionAuto, CreatedAt: time.Now().UTC()}
	if err := h.Store.CreateIdentityProvider(context.Background(), ip); err != nil {
		t.Fatalf("add provider %s: %v", exampleOPName, err)
	}
}
