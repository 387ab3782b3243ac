package cli

import (
	"testing"
	"time"

	"github.com/hubauth/hubauth/client"
)

// A server on plain http that is not this machine gets no credentials
// unless the user says so: --insecure-http on every user command, or
// HUBAUTH_INSECURE_HTTP=1. 0.0.0.0 is not loopback, and a connection to
// it fails at once, so the allowed runs end with "cannot reach". logout
// deletes the session either way, and warns that the server was not told.
func TestInsecureHTTP(t *testing.T) {
	t.Parallel()
	const server = "http://0.0.0.0:1"
	const refused = "refusing to send credentials to " + server + " over plain http, where anyone on the network can read them: " +
		"use https, or allow plain http on a network you trust (Config.AllowInsecureHTTP, hubauth --insecure-http)"
	login := []string{"login", "--server", server, "--username", demoUser, "--password-stdin", "--force"}
	list := []string{"tokens", "list"} // the only stored server
	tests := []struct {
		name string
		args []string
		env  map[string]string
		code int
		want string // on the first line of standard error
	}{
		{"login", login, nil, ExitError, "login failed: client: " + refused},
		{"login --insecure-http", append(login, "--insecure-http"), nil, ExitError, "cannot reach " + server},
		{"login with HUBAUTH_INSECURE_HTTP", login, map[string]string{"HUBAUTH_INSECURE_HTTP": "1"}, ExitError, "cannot reach " + server},
		{"tokens list", list, nil, ExitError, refused},
		{"tokens list --insecure-http", append(list, "--insecure-http"), nil, ExitError, "cannot reach " + server},
		{"logout --all", []string{"logout", "--all"}, nil, ExitOK, "warning: client: http://0.0.0.0:1 (default): logged out locally; the server was not told (" + refused + ")"},
		{"logout --all --insecure-http", []string{"logout", "--all", "--insecure-http"}, nil, ExitOK, "the server was not told (cannot reach " + server},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := newTestHub(t)
			for k, v := range tt.env {
				h.env[k] = v
			}
			writeSessions(t, h.dir, storedSession{Server: server, Profile: client.DefaultProfile, ClientID: client.DefaultClientID, Method: client.MethodPassword,
				AccessToken: "at", TokenType: "Bearer", RefreshToken: "rt", Expiry: testNow.Add(time.Hour), CreatedAt: testNow})
			wantFailure(t, h.run(demoPassword+"\n", tt.args...), tt.code, tt.want)
		})
	}
}
