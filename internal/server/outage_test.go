package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hubauth/hubauth/internal/hubtest"
)

// outcome is one answer of the load during TestDatabaseOutage.
type outcome struct {
	what       string
	start, end time.Time
	status     int // 0: no HTTP answer
	err        string
}

// TestDatabaseOutage cuts the hub's connections to PostgreSQL under load
// (a TCP proxy closes its port and every connection, as a restart does):
// while it is down every answer is a 503 or a success from the caches and
// /readyz is 503; within 5 s of its return everything succeeds again; and
// every refresh token that was acknowledged still works (or was correctly
// rotated: a rotation whose answer was lost is inside the grace window).
func TestDatabaseOutage(t *testing.T) {
	dsn := pgSchema(t)
	proxy := newTCPProxy(t, dsnHost(t, dsn))
	store := openPG(t, withDSNParam(t, withDSNHost(t, dsn, proxy.addr), "connect_timeout", "2"))
	h := &hub{hubtest.New(t, hubtest.WithStore(store), hubtest.WithUser(demoUser, demoPassword))}
	svcSecret := h.AddClient(t, resourceClient)
	client := &http.Client{Timeout: 15 * time.Second}

	post := func(path string, form url.Values) (int, map[string]any, string) {
		resp, err := client.PostForm(h.URL+path, form)
		if err != nil {
			return 0, nil, err.Error()
		}
		status, body, _ := decode(t, resp)
		return status, body, ""
	}
	login := func() (int, string, string) {
		status, body, err := post("/api/v1/auth/token", url.Values{"username": {demoUser}, "password": {demoPassword}})
		rt, _ := body["refresh_token"].(string)
		return status, rt, err
	}
	refreshOnce := func(rt string) (int, string, string) {
		status, body, err := post("/oauth/token", url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}, "client_id": {"hubauth-cli"}})
		next, _ := body["refresh_token"].(string)
		if status != 200 && err == "" {
			err = fmt.Sprint(body)
		}
		return status, next, err
	}

	var (
		mu       sync.Mutex
		outcomes []outcome
		acked    []string // refresh tokens returned by logins and never used
		final    []string // each refresher's last acknowledged token
	)
	record := func(what string, start time.Time, status int, err string) {
		mu.Lock()
		outcomes = append(outcomes, outcome{what, start, time.Now(), status, err})
		mu.Unlock()
	}
	ctx, stop := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	for i := range 4 {
		_, rt, err := login()
		if rt == "" {
			t.Fatalf("login before the outage: %s", err)
		}
		wg.Go(func() { // refresher
			for ctx.Err() == nil {
				start := time.Now()
				status, next, err := refreshOnce(rt)
				record("refresh", start, status, err)
				if status == 200 {
					rt = next // acknowledged: the old one is rotated
				} else {
					time.Sleep(20 * time.Millisecond)
				}
			}
			mu.Lock()
			final = append(final, rt)
			mu.Unlock()
		})
		if i < 2 {
			wg.Go(func() { // service account
				for ctx.Err() == nil {
					start := time.Now()
					status, _, err := post("/oauth/token", url.Values{"grant_type": {"client_credentials"},
						"client_id": {resourceClient.ID}, "client_secret": {svcSecret}})
					record("client_credentials", start, status, err)
					time.Sleep(5 * time.Millisecond)
				}
			})
		}
	}
	wg.Go(func() { // password logins
		for ctx.Err() == nil {
			start := time.Now()
			status, rt, err := login()
			record("password", start, status, err)
			if status == 200 {
				mu.Lock()
				acked = append(acked, rt)
				mu.Unlock()
			}
			time.Sleep(50 * time.Millisecond)
		}
	})

	time.Sleep(1500 * time.Millisecond)
	// An access token to try the other endpoints with during the outage.
	_, body, _ := post("/api/v1/auth/token", url.Values{"username": {demoUser}, "password": {demoPassword}})
	access, _ := body["access_token"].(string)
	otherRT, _ := body["refresh_token"].(string)

	cut := time.Now()
	proxy.cut()
	time.Sleep(300 * time.Millisecond)
	if s := status(t, client, "GET", h.URL+"/readyz", nil, ""); s != http.StatusServiceUnavailable {
		t.Errorf("/readyz during the outage = %d, want 503", s)
	}
	time.Sleep(2200 * time.Millisecond) // past the 2 s client and user caches
	checkEndpointsDuringOutage(t, client, h, access, otherRT, svcSecret)
	restored := time.Now()
	proxy.restore()

	ready := time.Time{}
	for time.Since(restored) < 10*time.Second {
		if status(t, client, "GET", h.URL+"/readyz", nil, "") == 200 {
			ready = time.Now()
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if ready.IsZero() || ready.Sub(restored) > 5*time.Second {
		t.Errorf("/readyz not 200 within 5 s of the database's return (ready after %v)", ready.Sub(restored))
	}
	time.Sleep(time.Until(restored.Add(7 * time.Second)))
	stop()
	wg.Wait()

	deadline := restored.Add(5 * time.Second)
	counts := map[string]map[int]int{}
	for _, o := range outcomes {
		if counts[o.what] == nil {
			counts[o.what] = map[int]int{}
		}
		counts[o.what][o.status]++
		outageOK := o.end.After(cut) && o.start.Before(deadline)
		switch {
		case o.status == 200:
		case o.status == http.StatusServiceUnavailable && outageOK:
		default:
			t.Errorf("%s at %v (outage %v..%v, recovered by %v): status %d %s",
				o.what, o.start.Sub(cut), 0, restored.Sub(cut), deadline.Sub(cut), o.status, o.err)
		}
	}
	t.Logf("answers by status: %v (outage %v; /readyz back %v after the database)", counts, restored.Sub(cut).Round(time.Millisecond), ready.Sub(restored).Round(time.Millisecond))
	for _, what := range []string{"refresh", "client_credentials", "password"} {
		if counts[what][200] == 0 || counts[what][http.StatusServiceUnavailable] == 0 {
			t.Errorf("%s: %v, want both successes and 503s", what, counts[what])
		}
	}

	// Nothing acknowledged is lost.
	for i, rt := range append(final, acked...) {
		if s, _, err := refreshOnce(rt); s != 200 {
			t.Errorf("acknowledged refresh token %d of %d no longer works: %d %s", i, len(final)+len(acked), s, err)
		}
	}
	if s, _, err := refreshOnce(otherRT); s != 200 {
		t.Errorf("refresh token whose revocation got 503 no longer works: %d %s", s, err)
	}
	if strings.Contains(h.Logs.String(), "panic") {
		t.Errorf("a handler panicked:\n%s", h.Logs.String())
	}
}

// checkEndpointsDuringOutage calls every endpoint that reads the database:
// each answers 503, never a 500, nor an answer that would mislead the
// client (a 401 blaming its credentials, an "inactive" token, a revocation
// that did not happen).
func checkEndpointsDuringOutage(t *testing.T, client *http.Client, h *hub, access, rt, svcSecret string) {
	t.Helper()
	form := func(v url.Values) *strings.Reader { return strings.NewReader(v.Encode()) }
	for _, c := range []struct {
		name, method, path string
		body               *strings.Reader
		bearer             string
	}{
		{"device_authorization", "POST", "/oauth/device_authorization", form(url.Values{"client_id": {"hubauth-cli"}, "scope": {"openid"}}), ""},
		{"userinfo", "GET", "/userinfo", nil, access},
		{"introspect", "POST", "/oauth/introspect", form(url.Values{"token": {access}, "client_id": {resourceClient.ID}, "client_secret": {svcSecret}}), ""},
		{"revoke refresh token", "POST", "/oauth/revoke", form(url.Values{"token": {rt}, "client_id": {"hubauth-cli"}}), ""},
		{"revoke access token", "POST", "/oauth/revoke", form(url.Values{"token": {access}, "client_id": {"hubauth-cli"}}), ""},
		{"api users/me", "GET", "/api/v1/users/me", nil, access},
		{"authorize", "GET", "/authorize?" + url.Values{"client_id": {"hubauth-cli"}, "response_type": {"code"}, "scope": {"openid"},
			"redirect_uri": {"http://127.0.0.1:49152/callback"}, "code_challenge": {"E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"},
			"code_challenge_method": {"S256"}, "state": {"x"}}.Encode(), nil, ""},
		{"code exchange", "POST", "/oauth/token", form(url.Values{"grant_type": {"authorization_code"}, "code": {"nope"},
			"client_id": {"hubauth-cli"}, "redirect_uri": {"http://127.0.0.1:49152/callback"}, "code_verifier": {strings.Repeat("v", 43)}}), ""},
		{"device poll", "POST", "/oauth/token", form(url.Values{"grant_type": {"urn:ietf:params:oauth:grant-type:device_code"},
			"device_code": {"nope"}, "client_id": {"hubauth-cli"}}), ""},
	} {
		if s := status(t, client, c.method, h.URL+c.path, c.body, c.bearer); s != http.StatusServiceUnavailable {
			t.Errorf("%s during the outage = %d, want 503", c.name, s)
		}
	}
	// Served from memory: the keys and the discovery document.
	for _, path := range []string{"/oauth/jwks", "/.well-known/openid-configuration", "/healthz"} {
		if s := status(t, client, "GET", h.URL+path, nil, ""); s != 200 {
			t.Errorf("%s during the outage = %d, want 200", path, s)
		}
	}
}

// status performs a request and returns its status, 0 on a transport error
// (which fails the test).
func status(t *testing.T, client *http.Client, method, u string, body *strings.Reader, bearer string) int {
	t.Helper()
	var req *http.Request
	if body != nil {
		req, _ = http.NewRequest(method, u, body)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else {
		req, _ = http.NewRequest(method, u, nil)
	}
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Errorf("%s %s: %v", method, u, err)
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}
