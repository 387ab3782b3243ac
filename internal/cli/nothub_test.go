package cli

import (
	"context"
	"encoding/json"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/zitadel/oidc/v3/example/server/exampleop"
	zstorage "github.com/zitadel/oidc/v3/example/server/storage"
	"golang.org/x/oauth2/clientcredentials"
)

// hubOnlyCommands are the commands that need hubauth's JSON API.
var hubOnlyCommands = [][]string{
	{"tokens", "list"}, {"tokens", "create", "--name", "ci", "--expires-in", "24h"}, {"tokens", "revoke", "x"},
	{"tokens", "rotate", "x"}, {"sessions", "list"}, {"sessions", "revoke", "x"},
	{"users", "show", "ada"}, {"groups", "list"}, {"groups", "members", "nmr"}, {"tokens", "new", "--web"},
}

// Against a provider that is not a hub, every hub-only command says so in
// one line (exit 1) instead of a bare 404: where its accounts are managed
// when its discovery document says (account_management_uri), else plainly.
func TestHubOnlyCommandsElsewhere(t *testing.T) {
	t.Parallel()
	zitadel, token := startExampleOP(t)
	plain := startPlainProvider(t, "https://id.example.org/account")
	tests := []struct {
		name, server, token string
		want                func(group string) string
	}{
		{"zitadel's example OP", zitadel, token, func(group string) string {
			return zitadel + " is not a hubauth server: 'hubauth " + group + "' works with hubauth servers only"
		}},
		{"a provider with an account page", plain, "any-token", func(group string) string {
			return plain + " is not a hubauth server: " + hubNouns[group] + " are managed there at https://id.example.org/account"
		}},
	}
	h := newTestHub(t)
	for _, tt := range tests {
		for _, c := range hubOnlyCommands {
			t.Run(tt.name+"/"+strings.Join(c, " "), func(t *testing.T) {
				h.env = map[string]string{"HUBAUTH_DATA_DIR": t.TempDir(), envServer: tt.server, envToken: tt.token}
				r := h.run("", c...)
				wantFailure(t, r, ExitError, tt.want(c[0]))
				if strings.Count(r.stderr, "\n") != 1 || r.stdout != "" {
					t.Errorf("stdout %q, stderr %q: want one line on stderr alone", r.stdout, r.stderr)
				}
			})
		}
	}
}

// startExampleOP runs zitadel/oidc's example OpenID provider in-process
// at http://localhost:PORT and returns its issuer and an access token of
// its service user (client credentials).
func startExampleOP(t *testing.T) (issuer, token string) {
	t.Helper()
	ts := httptest.NewUnstartedServer(nil)
	issuer = "http://localhost:" + strconv.Itoa(ts.Listener.Addr().(*net.TCPAddr).Port)
	st := zstorage.NewStorage(zstorage.NewUserStore(issuer))
	logger := slog.Default()
	ts.Config.Handler = exampleop.SetupServer(issuer, st, slog.New(slog.DiscardHandler), false)
	slog.SetDefault(logger) // SetupServer replaces the default logger
	ts.Start()
	t.Cleanup(ts.Close)
	cc := clientcredentials.Config{ClientID: "sid1", ClientSecret: "verysecret", TokenURL: issuer + "/oauth/token"}
	tok, err := cc.Token(context.Background())
	if err != nil {
		t.Fatalf("client credentials at the example OP: %v", err)
	}
	return issuer, tok.AccessToken
}

// startPlainProvider serves a discovery document that names account as
// account_management_uri, and 404 everywhere else.
func startPlainProvider(t *testing.T, account string) string {
	t.Helper()
	var ts *httptest.Server
	ts = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/.well-known/openid-configuration" {
			http.NotFound(w, r)
			return
		}
		json.NewEncoder(w).Encode(map[string]string{"issuer": ts.URL, "token_endpoint": ts.URL + "/token",
			"authorization_endpoint": ts.URL + "/auth", "account_management_uri": account})
	}))
	t.Cleanup(ts.Close)
	return ts.URL
}
