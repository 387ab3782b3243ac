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

// newDexLike starts a provider that refuses every refresh as Dex does
// once its one refresh token per user and client was replaced: 400
// invalid_request. hubauth answers invalid_grant, so this third-party
// behaviour needs a provider of its own.
func newDexLike(t *testing.T) *httptest.Server {
	var ts *httptest.Server
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(map[string]any{"issuer": ts.URL, "token_endpoint": ts.URL + "/token"})
	})
	mux.HandleFunc("POST /token", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		json.NewEncoder(w).Encode(map[string]string{"error": "invalid_request",
			"error_description": "Refresh token is invalid or has already been claimed by another client."})
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
	err := client.OpenStore(h.dir, false, nil).Update(p.URL, "", func(client.Session, bool) (*client.Session, error) {
		return &client.Session{Server: p.URL, Profile: client.DefaultProfile, ClientID: "kubernetes", Method: client.MethodBrowser,
			Username: demoUser, AccessToken: "a1", TokenType: "Bearer", RefreshToken: "r1",
			Expiry: testNow.Add(-time.Minute), CreatedAt: testNow.Add(-time.Hour)}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
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
