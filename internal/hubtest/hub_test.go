package hubtest_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/hubauth/hubauth/internal/hubtest"
	"github.com/hubauth/hubauth/internal/server"
	"github.com/hubauth/hubauth/internal/storage"
)

const pw = "correct horse battery staple"

// TestNew: the options add users in groups, clients with their secrets
// and scopes, change the configuration and wrap the handler; the hub
// answers on its URL over its SQLite file until Close.
func TestNew(t *testing.T) {
	var requests atomic.Int64
	h := hubtest.New(t,
		hubtest.WithUser("ada", pw, "lab", "staff"),
		hubtest.WithUser("bob", pw, "lab"),
		hubtest.WithClient(storage.Client{ID: "datahub", Name: "Data hub", GrantTypes: []string{"client_credentials"}}),
		hubtest.WithScope("uploads:write", "create uploads"),
		hubtest.WithConfig(func(c *server.Config) { c.NomadGetToken = false }),
		hubtest.WithHandler(func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { requests.Add(1); next.ServeHTTP(w, r) })
		}))
	ctx := context.Background()

	t.Run("users and groups", func(t *testing.T) {
		ada, err := h.Store.GetUserByUsername(ctx, "ada")
		if err != nil || ada.ID != h.Users["ada"] || ada.Name != "Ada" || ada.Email != "ada@example.org" {
			t.Errorf("ada = %+v, %v; want id %s, Ada, ada@example.org", ada, err, h.Users["ada"])
		}
		members, err := h.Store.ListGroupMembers(ctx, "lab")
		var got []string
		for _, u := range members {
			got = append(got, u.Username)
		}
		if diff := cmp.Diff([]string{"ada", "bob"}, got); err != nil || diff != "" {
			t.Errorf("lab members (-want +got):\n%s %v", diff, err)
		}
	})
	t.Run("client secret", func(t *testing.T) {
		out := h.PostForm(t, "/oauth/token", url.Values{"grant_type": {"client_credentials"},
			"client_id": {"datahub"}, "client_secret": {h.Secrets["datahub"]}})
		if out["access_token"] == nil {
			t.Errorf("client_credentials answer %v has no access token", out)
		}
	})
	t.Run("scope", func(t *testing.T) {
		scopes, err := h.Store.ListScopes(ctx)
		if err != nil || len(scopes) != 1 || scopes[0].Name != "uploads:write" {
			t.Errorf("scopes = %+v, %v; want uploads:write", scopes, err)
		}
	})
	t.Run("config", func(t *testing.T) {
		q := url.Values{"username": {"ada"}, "password": {pw}}
		resp, err := http.Get(h.URL + "/api/v1/auth/token?" + q.Encode())
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusMethodNotAllowed {
			t.Errorf("GET token with NomadGetToken off: %d, want 405", resp.StatusCode)
		}
	})
	t.Run("handler wrapped", func(t *testing.T) {
		if requests.Load() == 0 {
			t.Error("the wrapping handler saw no request")
		}
	})
	t.Run("database file", func(t *testing.T) {
		if _, err := os.Stat(h.DB); err != nil {
			t.Errorf("DB %q: %v", h.DB, err)
		}
	})
	h.Close()
	if resp, err := http.Get(h.URL + "/.well-known/openid-configuration"); err == nil {
		resp.Body.Close()
		t.Errorf("after Close the hub still answers %d", resp.StatusCode)
	}
}

// TestTokens: a password login, its access token and a personal token
// made with it.
func TestTokens(t *testing.T) {
	h := hubtest.New(t, hubtest.WithUser("ada", pw))
	out := h.PasswordLogin(t, "ada", pw, "openid offline_access")
	if out["refresh_token"] == nil {
		t.Errorf("password login with offline_access: no refresh token in %v", out)
	}
	access := h.AccessToken(t, "ada", pw, "")
	if got := h.PersonalToken(t, access); got == "" || got == access {
		t.Errorf("personal token = %q, want a new token", got)
	}
	if h.Logs.String() == "" {
		t.Error("the hub logged nothing")
	}
}

// TestWithStoreAndIssuer: a second node over the first one's store with
// its issuer, as behind a load balancer, sees its users and names the
// first node as issuer.
func TestWithStoreAndIssuer(t *testing.T) {
	a := hubtest.New(t, hubtest.WithUser("ada", pw))
	b := hubtest.New(t, hubtest.WithStore(a.Store), hubtest.WithIssuer(a.URL))
	if b.DB != "" {
		t.Errorf("DB = %q over a given store, want none", b.DB)
	}
	resp, err := http.Get(b.URL + "/.well-known/openid-configuration")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var disc struct{ Issuer string }
	if err := json.NewDecoder(resp.Body).Decode(&disc); err != nil || disc.Issuer != a.URL {
		t.Errorf("B's issuer = %q, %v; want A's URL %s", disc.Issuer, err, a.URL)
	}
	b.AccessToken(t, "ada", pw, "")
}
