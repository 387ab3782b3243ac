package cli

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/hubauth/hubauth/client"
)

// Dex-like provider of these tests: the CLI is a confidential client.
const (
	dexClientID     = "kubernetes"
	dexClientSecret = "dex-cli-secret"
)

// newDexLike starts a provider that behaves as Dex does where hubauth
// does not, so it needs a provider of its own: it offers the password
// grant to a confidential client (invalid_client, 401, without the
// secret), and refuses every refresh with 400 invalid_request, as Dex
// does once its one refresh token per user and client was replaced.
func newDexLike(t *testing.T) *httptest.Server {
	var ts *httptest.Server
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(map[string]any{"issuer": ts.URL, "token_endpoint": ts.URL + "/token",
			"grant_types_supported":                 []string{"password", "refresh_token"},
			"token_endpoint_auth_methods_supported": []string{"client_secret_basic", "client_secret_post"}})
	})
	mux.HandleFunc("POST /token", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		id, sec, ok := r.BasicAuth()
		switch {
		case !ok || id != dexClientID || sec != dexClientSecret:
			w.WriteHeader(http.StatusUnauthorized)
			json.NewEncoder(w).Encode(map[string]string{"error": "invalid_client", "error_description": "Invalid client credentials."})
		case r.FormValue("grant_type") == "password" && r.FormValue("username") == demoUser && r.FormValue("password") == demoPassword:
			json.NewEncoder(w).Encode(map[string]any{"access_token": "dex-access", "token_type": "bearer", "expires_in": 300, "refresh_token": "dex-refresh"})
		case r.FormValue("grant_type") == "password":
			w.WriteHeader(http.StatusUnauthorized)
			json.NewEncoder(w).Encode(map[string]string{"error": "invalid_grant", "error_description": "Invalid username or password"})
		default:
			w.WriteHeader(http.StatusBadRequest)
			json.NewEncoder(w).Encode(map[string]string{"error": "invalid_request",
				"error_description": "Refresh token is invalid or has already been claimed by another client."})
		}
	})
	ts = httptest.NewServer(mux)
	t.Cleanup(ts.Close)
	return ts
}

// A refresh refused with another error than invalid_grant ends the
// session all the same: token exits 4 with the usual advice, and status
// says expired instead of "then refreshed".
func TestTokenRefreshRefusedByDex(t *testing.T) {
	t.Parallel()
	p := newDexLike(t)
	h := newTestHub(t)
	writeSessions(t, h.dir, storedSession{Server: p.URL, Profile: client.DefaultProfile, ClientID: dexClientID, ClientSecret: dexClientSecret,
		Method: client.MethodPassword, Username: demoUser, AccessToken: "a1", TokenType: "Bearer", RefreshToken: "r1",
		Expiry: testNow.Add(-time.Minute), CreatedAt: testNow.Add(-time.Hour)})
	r := h.run("", "token", "--server", p.URL)
	wantFailure(t, r, ExitAuthNeeded, "session expired or revoked: run hubauth login")
	if r.stdout != "" {
		t.Errorf("token printed %q", r.stdout)
	}
	r = h.run("", "status", "--server", p.URL)
	if r.code != ExitAuthNeeded || !strings.Contains(r.stdout, "expired: log in again") || strings.Contains(r.stdout, "refreshed") {
		t.Errorf("status: exit %d, stdout:\n%s", r.code, r.stdout)
	}
	var st statusJSON
	mustJSON(t, h.run("", "status", "--server", p.URL, "--json").stdout, &st)
	if !st.Expired || st.LoggedIn {
		t.Errorf("status --json = %+v, want expired", st)
	}
}

// The provider's refusal of the client is reported as such, not as a
// wrong password; --client-secret-stdin reads the secret from the first
// line of standard input and --password-stdin the password from the next.
func TestLoginPasswordConfidentialClient(t *testing.T) {
	t.Parallel()
	p := newDexLike(t)
	h := newTestHub(t)
	login := []string{"login", "--server", p.URL, "--client-id", dexClientID, "--username", demoUser, "--password-stdin"}
	wantFailure(t, h.run(demoPassword+"\n", login...), ExitError, "login failed: invalid_client: Invalid client credentials.")
	wantFailure(t, h.run(dexClientSecret+"\nwrong\n", append(login, "--client-secret-stdin")...), ExitError, "invalid username or password")
	r := h.run(dexClientSecret+"\n"+demoPassword+"\n", append(login, "--client-secret-stdin")...)
	if r.code != ExitOK || !strings.HasPrefix(r.stderr, "Logged in to "+p.URL+" as ") || strings.Contains(r.stderr, dexClientSecret) {
		t.Fatalf("login: exit %d, stderr:\n%s", r.code, r.stderr)
	}
	if got := h.mustRun("", "token"); got != "dex-access\n" {
		t.Errorf("token = %q", got)
	}
}
