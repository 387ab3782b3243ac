package client_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/hubauth/hubauth/client"
)

// otherProvider is a minimal standards provider unlike hubauth: it offers
// the resource owner password grant (RFC 6749 §4.3) and refresh, and has
// no userinfo, device or revocation endpoint. hubauth serve has no
// password grant, so this path needs a provider of its own.
type otherProvider struct {
	*httptest.Server
	issued atomic.Int64
	// refuseRefresh, when set, answers every refresh with its status and
	// error code, as Dex does with invalid_request for a discarded token.
	refuseRefresh *refusal
	// secret, when set, makes the client confidential, as Dex's CLI
	// clients often are: its secret is required by HTTP Basic or in the
	// body (RFC 6749 §2.3.1).
	secret string
	// account, when set, is published as account_management_uri.
	account string
}

// refusal is a token endpoint's error answer.
type refusal struct {
	status int
	code   string
}

func newOtherProvider(t *testing.T) *otherProvider {
	p := &otherProvider{}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		m := map[string]any{"issuer": p.URL, "authorization_endpoint": p.URL + "/auth",
			"token_endpoint": p.URL + "/token", "grant_types_supported": []string{"password", "refresh_token"}}
		if p.account != "" {
			m["account_management_uri"] = p.account
		}
		json.NewEncoder(w).Encode(m)
	})
	mux.HandleFunc("POST /token", p.token)
	p.Server = httptest.NewServer(mux)
	t.Cleanup(p.Close)
	return p
}

func (p *otherProvider) token(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	id, sec, basic := r.BasicAuth()
	if !basic {
		id, sec = r.FormValue("client_id"), r.FormValue("client_secret")
	}
	if id != client.DefaultClientID || sec != p.secret {
		w.WriteHeader(http.StatusUnauthorized)
		json.NewEncoder(w).Encode(map[string]string{"error": "invalid_client", "error_description": "Invalid client credentials."})
		return
	}
	ok := true
	switch r.FormValue("grant_type") {
	case "password":
		ok = ok && r.FormValue("username") == demoUser && r.FormValue("password") == demoPassword
	case "refresh_token":
		ok = ok && r.FormValue("refresh_token") == "r1"
	default:
		ok = false
	}
	if p.refuseRefresh != nil && r.FormValue("grant_type") == "refresh_token" {
		w.WriteHeader(p.refuseRefresh.status)
		json.NewEncoder(w).Encode(map[string]string{"error": p.refuseRefresh.code, "error_description": "Refresh token is invalid or has already been claimed by another client."})
		return
	}
	if !ok {
		w.WriteHeader(http.StatusBadRequest)
		json.NewEncoder(w).Encode(map[string]string{"error": "invalid_grant"})
		return
	}
	n := p.issued.Add(1)
	json.NewEncoder(w).Encode(map[string]any{"token_type": "Bearer", "expires_in": 300, "refresh_token": "r1",
		"access_token": fakeJWT(map[string]any{"sub": "u-7", "preferred_username": demoUser, "n": n, "exp": time.Now().Add(5 * time.Minute).Unix()})})
}

func TestAnotherProvider(t *testing.T) {
	p := newOtherProvider(t)
	ctx := context.Background()
	dir := t.TempDir()
	c, err := client.New(ctx, client.Config{Server: p.URL, DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.LoginPassword(ctx, demoUser, "wrong", client.PasswordOptions{}); !errors.Is(err, client.ErrInvalidCredentials) {
		t.Fatalf("password grant with a wrong password = %v, want ErrInvalidCredentials", err)
	}
	if err := c.LoginPassword(ctx, demoUser, demoPassword, client.PasswordOptions{}); err != nil {
		t.Fatalf("password grant: %v", err)
	}
	info, _ := c.Session()
	if info.Subject != "u-7" || info.Username != demoUser {
		t.Fatalf("Session = %+v: want the user read from the JWT without a userinfo endpoint", info)
	}
	// expires_in is 300 s: a MinValid of 10 minutes refreshes at once.
	long, _ := client.New(ctx, client.Config{Server: p.URL, DataDir: dir, MinValid: 10 * time.Minute})
	if _, err := long.Token(ctx); err != nil || p.issued.Load() != 2 {
		t.Fatalf("refresh at the other provider: %v after %d tokens issued", err, p.issued.Load())
	}
	if _, err := c.Userinfo(ctx); !errors.Is(err, errors.ErrUnsupported) {
		t.Fatalf("Userinfo without an endpoint = %v, want errors.ErrUnsupported", err)
	}
	if err := c.Logout(ctx); !errors.Is(err, client.ErrServerNotTold) {
		t.Fatalf("Logout without a revocation endpoint = %v, want ErrServerNotTold", err)
	}
	if _, ok := c.Session(); ok {
		t.Fatal("the session outlived Logout")
	}
}

// Any 400 from the token endpoint on refresh ends the session: Dex answers
// invalid_request when it has discarded the refresh token. A server error
// does not: the session is kept for the next try.
func TestRefreshRefused(t *testing.T) {
	tests := []struct {
		name        string
		refusal     refusal
		wantExpired bool
	}{
		{"invalid_request", refusal{http.StatusBadRequest, "invalid_request"}, true},
		{"invalid_grant", refusal{http.StatusBadRequest, "invalid_grant"}, true},
		{"unauthorized_client", refusal{http.StatusBadRequest, "unauthorized_client"}, true},
		{"server error", refusal{http.StatusInternalServerError, "server_error"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newOtherProvider(t)
			ctx := context.Background()
			dir := t.TempDir()
			c, err := client.New(ctx, client.Config{Server: p.URL, DataDir: dir})
			if err != nil {
				t.Fatal(err)
			}
			if err := c.LoginPassword(ctx, demoUser, demoPassword, client.PasswordOptions{}); err != nil {
				t.Fatalf("password grant: %v", err)
			}
			p.refuseRefresh = &tt.refusal
			// expires_in is 300 s: a MinValid of 10 minutes refreshes at once.
			long, _ := client.New(ctx, client.Config{Server: p.URL, DataDir: dir, MinValid: 10 * time.Minute})
			_, err = long.Token(ctx)
			if got := errors.Is(err, client.ErrSessionExpired); got != tt.wantExpired || err == nil {
				t.Fatalf("Token after a refused refresh = %v, want ErrSessionExpired: %t", err, tt.wantExpired)
			}
			again, _ := client.New(ctx, client.Config{Server: p.URL, DataDir: dir})
			if info, _ := again.Session(); info.Expired != tt.wantExpired {
				t.Errorf("stored Session().Expired = %t, want %t", info.Expired, tt.wantExpired)
			}
		})
	}
}

// A provider that wants the client's secret says invalid_client: that is
// reported as such, not as a wrong password. With Config.ClientSecret the
// login works, and so does a refresh by a Client that was not given the
// secret: it is kept with the session.
func TestConfidentialClientPasswordGrant(t *testing.T) {
	p := newOtherProvider(t)
	p.secret = "dex-cli-secret"
	ctx := context.Background()
	dir := t.TempDir()
	c, err := client.New(ctx, client.Config{Server: p.URL, DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	err = c.LoginPassword(ctx, demoUser, demoPassword, client.PasswordOptions{})
	var re *oauth2.RetrieveError
	if errors.Is(err, client.ErrInvalidCredentials) || !errors.As(err, &re) || re.ErrorCode != "invalid_client" ||
		!strings.Contains(err.Error(), "Invalid client credentials.") {
		t.Fatalf("password grant without the client secret = %v, want the provider's invalid_client", err)
	}
	c, _ = client.New(ctx, client.Config{Server: p.URL, DataDir: dir, ClientSecret: p.secret})
	if err := c.LoginPassword(ctx, demoUser, "wrong", client.PasswordOptions{}); !errors.Is(err, client.ErrInvalidCredentials) {
		t.Fatalf("password grant with a wrong password = %v, want ErrInvalidCredentials", err)
	}
	if err := c.LoginPassword(ctx, demoUser, demoPassword, client.PasswordOptions{}); err != nil {
		t.Fatalf("password grant with the client secret: %v", err)
	}
	long, _ := client.New(ctx, client.Config{Server: p.URL, DataDir: dir, MinValid: 10 * time.Minute})
	if _, err := long.Token(ctx); err != nil || p.issued.Load() != 2 {
		t.Fatalf("refresh with the stored secret: %v after %d tokens issued", err, p.issued.Load())
	}
}
