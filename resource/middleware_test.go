package resource_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/hubauth/hubauth/resource"
)

// answer is a response of the test API.
type answer struct {
	Status    int
	Challenge string // WWW-Authenticate
	Error     string // the JSON body's error
	Desc      string // the JSON body's error_description
	Caller    *resource.Caller
}

// whoami answers the request's Caller as JSON, or null.
var whoami = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	c, ok := resource.CallerFrom(r.Context())
	if !ok {
		w.Write([]byte("null"))
		return
	}
	json.NewEncoder(w).Encode(c)
})

// call sends a request through h with the given Authorization headers.
func call(t *testing.T, h http.Handler, authorization ...string) answer {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, "/api/v1/uploads", nil)
	for _, a := range authorization {
		req.Header.Add("Authorization", a)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	a := answer{Status: rec.Code, Challenge: rec.Header().Get("WWW-Authenticate")}
	var body struct {
		Error string `json:"error"`
		Desc  string `json:"error_description"`
	}
	if rec.Code == http.StatusOK {
		if err := json.Unmarshal(rec.Body.Bytes(), &a.Caller); err != nil {
			t.Fatalf("body %q: %v", rec.Body, err)
		}
		return a
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatalf("status %d, body %q is not JSON: %v", rec.Code, rec.Body, err)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q, want application/json", ct)
	}
	a.Error, a.Desc = body.Error, body.Desc
	return a
}

func bearer(token string) string { return "Bearer " + token }

func TestJWTAccessToken(t *testing.T) {
	h := newHub(t)
	m := newMiddleware(t, h, resource.Config{})
	got := call(t, m.Handler(whoami), bearer(h.accessToken(t, "openid profile tokens:read")))
	want := &resource.Caller{Subject: h.UserID, Scopes: []string{"openid", "profile", "tokens:read"},
		ClientID: "hubauth-cli", TokenKind: resource.TokenKindAccess, AMR: []string{"pwd"}}
	if got.Status != http.StatusOK || !cmp.Equal(got.Caller, want) {
		t.Fatalf("got %+v, want 200 with %+v", got, want)
	}
	if h.count("/oauth/introspect") != 0 || h.count("/userinfo") != 0 {
		t.Error("a JWT was not checked offline")
	}
}

func TestPersonalTokenIntrospected(t *testing.T) {
	h := newHub(t)
	id, sec := h.apiClient(t)
	m := newMiddleware(t, h, resource.Config{ClientID: id, ClientSecret: sec})
	pat := h.personalToken(t, "openid profile groups:read")
	for range 3 {
		got := call(t, m.Handler(whoami), bearer(pat))
		want := &resource.Caller{Subject: h.UserID, Username: demoUser, Scopes: []string{"openid", "profile", "groups:read"},
			TokenKind: resource.TokenKindPersonal}
		if got.Status != http.StatusOK || !cmp.Equal(got.Caller, want) {
			t.Fatalf("got %+v, want 200 with %+v", got, want)
		}
	}
	if n := h.count("/oauth/introspect"); n != 1 {
		t.Errorf("introspected %d times for 3 requests, want 1 (cached)", n)
	}
}

func TestRevokedPersonalTokenStopsWithinTTL(t *testing.T) {
	h := newHub(t)
	id, sec := h.apiClient(t)
	const ttl = 300 * time.Millisecond
	m := newMiddleware(t, h, resource.Config{ClientID: id, ClientSecret: sec, IntrospectionCacheTTL: ttl})
	pat := h.personalToken(t, "")
	if got := call(t, m.Handler(whoami), bearer(pat)); got.Status != http.StatusOK {
		t.Fatalf("before revocation: %+v", got)
	}
	h.revokePersonalToken(t, pat)
	revoked := time.Now()
	for {
		got := call(t, m.Handler(whoami), bearer(pat))
		if got.Status == http.StatusUnauthorized {
			if got.Error != "invalid_token" {
				t.Errorf("error = %q, want invalid_token", got.Error)
			}
			break
		}
		if time.Since(revoked) > ttl+200*time.Millisecond {
			t.Fatalf("the revoked token still works %v after revocation (TTL %v)", time.Since(revoked), ttl)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestOpaqueTokenWithoutCredentials(t *testing.T) {
	h := newHub(t)
	m := newMiddleware(t, h, resource.Config{})
	got := call(t, m.Handler(whoami), bearer(h.personalToken(t, "")))
	if got.Status != http.StatusUnauthorized || got.Error != "invalid_token" {
		t.Fatalf("got %+v, want 401 invalid_token", got)
	}
}

func TestWrongIntrospectionCredentials(t *testing.T) {
	h := newHub(t)
	id, _ := h.apiClient(t)
	m := newMiddleware(t, h, resource.Config{ClientID: id, ClientSecret: "wrong"})
	got := call(t, m.Handler(whoami), bearer(h.personalToken(t, "")))
	if got.Status != http.StatusServiceUnavailable || got.Error != "temporarily_unavailable" {
		t.Fatalf("got %+v, want 503 temporarily_unavailable (the API is misconfigured, the token is not at fault)", got)
	}
}

func TestUserInfoCompletesCaller(t *testing.T) {
	h := newHub(t)
	h.AddGroup(t, "lab", h.UserID)
	h.AddGroup(t, "other")
	id, sec := h.apiClient(t)
	m := newMiddleware(t, h, resource.Config{ClientID: id, ClientSecret: sec, UserInfo: true})
	for name, token := range map[string]string{
		"jwt":      h.accessToken(t, "openid profile groups"),
		"personal": h.personalToken(t, "openid profile groups"),
	} {
		t.Run(name, func(t *testing.T) {
			got := call(t, m.Handler(whoami), bearer(token))
			if got.Status != http.StatusOK || got.Caller.Username != demoUser || !slices.Equal(got.Caller.Groups, []string{"lab"}) {
				t.Fatalf("got %+v, want username %s and groups [lab]", got, demoUser)
			}
		})
	}
}

func TestUserInfoSeesRevokedJWT(t *testing.T) {
	h := newHub(t)
	m := newMiddleware(t, h, resource.Config{UserInfo: true, IntrospectionCacheTTL: -1})
	tok := h.tokens(t, "openid profile offline_access")
	if got := call(t, m.Handler(whoami), bearer(tok["access_token"].(string))); got.Status != http.StatusOK {
		t.Fatalf("before logout: %+v", got)
	}
	resp, err := http.PostForm(h.URL+"/oauth/revoke", url.Values{"token": {tok["refresh_token"].(string)}, "client_id": {"hubauth-cli"}})
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("revoke: %v %v", resp, err)
	}
	resp.Body.Close()
	if got := call(t, m.Handler(whoami), bearer(tok["access_token"].(string))); got.Status != http.StatusUnauthorized {
		t.Fatalf("after the session was revoked: %+v, want 401", got)
	}
}

func TestConcurrentRequestsShareOneIntrospection(t *testing.T) {
	h := newHub(t)
	id, sec := h.apiClient(t)
	m := newMiddleware(t, h, resource.Config{ClientID: id, ClientSecret: sec})
	pat := h.personalToken(t, "")
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			if got := call(t, m.Handler(whoami), bearer(pat)); got.Status != http.StatusOK {
				t.Errorf("got %+v", got)
			}
		})
	}
	wg.Wait()
	if n := h.count("/oauth/introspect"); n != 1 {
		t.Errorf("20 concurrent requests introspected %d times, want 1", n)
	}
}
