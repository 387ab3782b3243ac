package main

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fakeServer speaks just enough OAuth 2.0 for the load tool: discovery,
// the token endpoint (client_credentials, refresh_token with rotation and
// reuse detection, device_code with interval enforcement), the device
// authorization endpoint, hubauth's password endpoint, and its personal
// tokens (POST and DELETE /api/v1/tokens, GET /api/v1/users/me), and
// introspection for the resource server "rs" with secret "rs-secret".
type fakeServer struct {
	*httptest.Server

	// Knobs, set before the first request.
	throttleEvery  int64         // password: every n-th login answers 429
	failRefreshAt  int64         // refresh: every n-th refresh answers 500
	slowDownFirst  bool          // device: the first poll of a code gets slow_down
	delay          time.Duration // every token request waits this long
	deviceInterval int           // seconds; 1 unless set

	logins, refreshes, polls, slowDowns, userinfos, introspections atomic.Int64

	mu      sync.Mutex
	refresh map[string]bool // live refresh tokens
	devices map[string]time.Time
	pats    map[string]string // id → secret of live personal tokens
	next    int
}

// newFakeServer starts a fake and stops it when the test ends.
func newFakeServer(t *testing.T, opts ...func(*fakeServer)) *fakeServer {
	t.Helper()
	f := &fakeServer{refresh: map[string]bool{}, devices: map[string]time.Time{},
		pats: map[string]string{}, deviceInterval: 1}
	for _, o := range opts {
		o(f)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]string{
			"issuer":                        f.URL,
			"token_endpoint":                f.URL + "/oauth/token",
			"device_authorization_endpoint": f.URL + "/oauth/device",
			"introspection_endpoint":        f.URL + "/oauth/introspect",
		})
	})
	mux.HandleFunc("POST /oauth/token", f.token)
	mux.HandleFunc("POST /oauth/device", f.device)
	mux.HandleFunc("POST /api/v1/auth/token", f.password)
	mux.HandleFunc("POST /api/v1/tokens", f.createPAT)
	mux.HandleFunc("DELETE /api/v1/tokens/{id}", f.revokePAT)
	mux.HandleFunc("GET /api/v1/users/me", f.usersMe)
	mux.HandleFunc("POST /oauth/introspect", f.introspect)
	f.Server = httptest.NewServer(mux)
	t.Cleanup(f.Close)
	return f
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func oauthErr(w http.ResponseWriter, status int, code string) {
	writeJSON(w, status, map[string]string{"error": code})
}

// issue returns a fresh token pair and remembers the refresh token.
func (f *fakeServer) issue(w http.ResponseWriter) {
	f.mu.Lock()
	f.next++
	rt := fmt.Sprintf("rt-%d", f.next)
	f.refresh[rt] = true
	f.mu.Unlock()
	writeJSON(w, 200, map[string]any{"access_token": "at", "token_type": "Bearer", "expires_in": 900, "refresh_token": rt})
}

func (f *fakeServer) password(w http.ResponseWriter, r *http.Request) {
	n := f.logins.Add(1)
	if f.throttleEvery > 0 && n%f.throttleEvery == 0 {
		w.Header().Set("Retry-After", "1")
		oauthErr(w, http.StatusTooManyRequests, "slow_down")
		return
	}
	if r.PostFormValue("username") != "demo" || r.PostFormValue("password") != "pw" ||
		r.PostFormValue("client_id") != "hubauth-cli" || (r.PostFormValue("scope") != "openid offline_access" && r.PostFormValue("scope") != "openid") {
		oauthErr(w, http.StatusUnauthorized, "invalid_grant")
		return
	}
	f.issue(w)
}

func (f *fakeServer) token(w http.ResponseWriter, r *http.Request) {
	select {
	case <-time.After(f.delay):
	case <-r.Context().Done():
		return
	}
	switch r.PostFormValue("grant_type") {
	case "client_credentials":
		if id, secret, ok := r.BasicAuth(); !ok || id != "svc" || secret != "s%3Acret" {
			oauthErr(w, http.StatusUnauthorized, "invalid_client")
			return
		}
		writeJSON(w, 200, map[string]any{"access_token": "at", "token_type": "Bearer"})
	case "refresh_token":
		f.rotate(w, r)
	case "urn:ietf:params:oauth:grant-type:device_code":
		f.poll(w, r)
	default:
		oauthErr(w, http.StatusBadRequest, "unsupported_grant_type")
	}
}

// rotate enforces single use of refresh tokens (RFC 9700 §4.14.2).
func (f *fakeServer) rotate(w http.ResponseWriter, r *http.Request) {
	n := f.refreshes.Add(1)
	f.mu.Lock()
	live := f.refresh[r.PostFormValue("refresh_token")]
	delete(f.refresh, r.PostFormValue("refresh_token"))
	f.mu.Unlock()
	switch {
	case !live || r.PostFormValue("client_id") != "hubauth-cli":
		oauthErr(w, http.StatusBadRequest, "invalid_grant")
	case f.failRefreshAt > 0 && n%f.failRefreshAt == 0:
		oauthErr(w, http.StatusInternalServerError, "server_error")
	default:
		f.issue(w)
	}
}

func (f *fakeServer) device(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.next++
	code := fmt.Sprintf("dc-%d", f.next)
	f.devices[code] = time.Time{}
	f.mu.Unlock()
	writeJSON(w, 200, map[string]any{"device_code": code, "user_code": "BCDF-GHJK",
		"verification_uri": f.URL + "/device", "expires_in": 600, "interval": f.deviceInterval})
}

// poll answers authorization_pending, or slow_down to a client that polls
// faster than the interval (RFC 8628 §3.5).
func (f *fakeServer) poll(w http.ResponseWriter, r *http.Request) {
	f.polls.Add(1)
	code := r.PostFormValue("device_code")
	now := time.Now()
	f.mu.Lock()
	last, ok := f.devices[code]
	f.devices[code] = now
	f.mu.Unlock()
	interval := time.Duration(f.deviceInterval) * time.Second
	switch {
	case !ok:
		oauthErr(w, http.StatusBadRequest, "invalid_grant")
	case (last.IsZero() && f.slowDownFirst) || (!last.IsZero() && now.Sub(last) < interval):
		f.slowDowns.Add(1)
		oauthErr(w, http.StatusBadRequest, "slow_down")
	default:
		oauthErr(w, http.StatusBadRequest, "authorization_pending")
	}
}

// createPAT creates a personal token for the access token "at".
func (f *fakeServer) createPAT(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Name      string   `json:"name"`
		ExpiresIn int      `json:"expires_in"`
		Scopes    []string `json:"scopes"`
	}
	switch {
	case r.Header.Get("Authorization") != "Bearer at":
		oauthErr(w, http.StatusUnauthorized, "invalid_token")
		return
	case json.NewDecoder(r.Body).Decode(&in) != nil || in.Name == "" || in.ExpiresIn <= 0 || in.Scopes == nil:
		oauthErr(w, http.StatusBadRequest, "invalid_request")
		return
	}
	f.mu.Lock()
	f.next++
	id, secret := fmt.Sprintf("pat-%d", f.next), fmt.Sprintf("hubauth_pat_%d", f.next)
	f.pats[id] = secret
	f.mu.Unlock()
	writeJSON(w, http.StatusCreated, map[string]any{"id": id, "name": in.Name, "token": secret})
}

func (f *fakeServer) revokePAT(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	_, ok := f.pats[r.PathValue("id")]
	delete(f.pats, r.PathValue("id"))
	f.mu.Unlock()
	switch {
	case r.Header.Get("Authorization") != "Bearer at":
		oauthErr(w, http.StatusUnauthorized, "invalid_token")
	case !ok:
		oauthErr(w, http.StatusNotFound, "not_found")
	default:
		w.WriteHeader(http.StatusNoContent)
	}
}

// usersMe answers the user of a live personal token, or of "hubauth_pat_given".
func (f *fakeServer) usersMe(w http.ResponseWriter, r *http.Request) {
	f.userinfos.Add(1)
	tok, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	f.mu.Lock()
	live := tok == "hubauth_pat_given" || slices.Contains(slices.Collect(maps.Values(f.pats)), tok)
	f.mu.Unlock()
	if !live {
		oauthErr(w, http.StatusUnauthorized, "invalid_token")
		return
	}
	writeJSON(w, 200, map[string]string{"id": "u-1", "username": "demo"})
}

// introspect answers RFC 7662 to "rs": active for the access token "at"
// and for personal tokens; 401 for any other caller.
func (f *fakeServer) introspect(w http.ResponseWriter, r *http.Request) {
	if id, sec, ok := r.BasicAuth(); !ok || id != "rs" || sec != "rs-secret" {
		oauthErr(w, http.StatusUnauthorized, "invalid_client")
		return
	}
	f.introspections.Add(1)
	tok := r.PostFormValue("token")
	writeJSON(w, 200, map[string]any{"active": tok == "at" || strings.HasPrefix(tok, "hubauth_pat_")})
}
