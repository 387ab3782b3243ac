package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hubauth/hubauth/internal/server"
)

func TestBrowserPagesSecurityHeaders(t *testing.T) {
	h := newHub(t)
	for _, path := range []string{"/login", "/device", "/logout"} {
		t.Run(path, func(t *testing.T) {
			p := h.newBrowser(t).get(h.URL + path)
			csp := p.Header.Get("Content-Security-Policy")
			if !strings.Contains(csp, "frame-ancestors 'none'") || !strings.Contains(csp, "default-src 'none'") {
				t.Errorf("CSP = %q", csp)
			}
			for k, want := range map[string]string{"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "Cache-Control": "no-store"} {
				if got := p.Header.Get(k); got != want {
					t.Errorf("%s = %q, want %q", k, got, want)
				}
			}
		})
	}
}

func TestCrossOriginFormPostsAreRefused(t *testing.T) {
	h := newHub(t)
	for _, path := range []string{"/login", "/device", "/device/approve", "/consent", "/logout"} {
		t.Run(path, func(t *testing.T) {
			h.checkCrossOriginRefused(t, path, url.Values{"username": {"ada"}, "password": {"x"}, "user_code": {"BCDFGHJK"}})
		})
	}
}

func TestFailedLoginsAreSlowedDown(t *testing.T) {
	h := newHub(t)
	b := h.newBrowser(t)
	var last page
	for i := range 8 {
		last = b.login(b.get(h.URL+"/login"), demoUser, "wrong")
		if last.Status == http.StatusTooManyRequests {
			break
		}
		if last.Status != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d, want 401", i, last.Status)
		}
	}
	if last.Status != http.StatusTooManyRequests || last.Header.Get("Retry-After") == "" {
		t.Fatalf("after repeated failures: %d Retry-After=%q, want 429", last.Status, last.Header.Get("Retry-After"))
	}
	// Not a lock-out: once the delay has passed the right password works.
	h.Clock.Advance(2 * time.Minute)
	if p := b.login(b.get(h.URL+"/login"), demoUser, demoPassword); p.Status >= 400 {
		t.Fatalf("right password after the delay: %d", p.Status)
	}
}

func TestLoginFloodIsShedWhileOtherEndpointsAnswer(t *testing.T) {
	h := newHub(t, func(c *server.Config) { c.PasswordWorkers = 1 })
	for i := range 20 {
		h.AddUser(t, "user"+string(rune('a'+i)), demoPassword)
	}
	var wg sync.WaitGroup
	statuses := make(chan int, 200)
	for i := range 200 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			status, _, hdr := h.postForm(t, "/api/v1/auth/token", url.Values{
				"username": {"user" + string(rune('a'+i%20))}, "password": {demoPassword}})
			if status == http.StatusServiceUnavailable && hdr.Get("Retry-After") == "" {
				t.Error("503 without Retry-After")
			}
			statuses <- status
		}()
	}
	// Meanwhile the rest of the hub answers.
	for range 5 {
		if status, _, _ := h.getJSON(t, "/.well-known/openid-configuration", ""); status != 200 {
			t.Fatalf("discovery during a login flood: %d", status)
		}
	}
	wg.Wait()
	close(statuses)
	count := map[int]int{}
	for s := range statuses {
		count[s]++
	}
	if count[200] == 0 || count[http.StatusServiceUnavailable] == 0 || count[200]+count[http.StatusServiceUnavailable] != 200 {
		t.Fatalf("statuses under a flood = %v, want some 200 and some 503, nothing else", count)
	}
}

func TestNoSecretInLogs(t *testing.T) {
	h := newHub(t)
	q := url.Values{"username": {demoUser}, "password": {demoPassword}}
	_, body, _ := h.getJSON(t, "/api/v1/auth/token?"+q.Encode(), "")
	access, _ := body["access_token"].(string)
	refreshTok, _ := body["refresh_token"].(string)
	_, app, _ := h.getJSON(t, "/api/v1/auth/app_token?expires_in=60", access)
	b := h.newBrowser(t)
	tok := h.browserLogin(t, b, h.cliConfig())
	other := h.newBrowser(t)
	other.login(other.get(h.URL+"/login"), demoUser, "wrong-"+demoPassword)
	refresh(t, h, tok.RefreshToken)
	logs := h.Logs.String()
	for name, s := range map[string]string{"password": demoPassword, "access token": access, "refresh token": refreshTok,
		"app token": app["access_token"].(string), "browser refresh token": tok.RefreshToken} {
		if strings.Contains(logs, s) {
			t.Errorf("the logs contain the %s", name)
		}
	}
	if !strings.Contains(logs, `"route":"GET /api/v1/auth/token"`) {
		t.Errorf("the request log is missing: %s", logs[:min(len(logs), 2000)])
	}
}

func TestOperationsEndpoints(t *testing.T) {
	h := newHub(t)
	h.passwordToken(t)
	for path, want := range map[string]string{"/healthz": "ok", "/readyz": "ok",
		"/metrics": `hubauth_http_requests_total{code="200",route="POST /api/v1/auth/token"} 1`} {
		p := h.newBrowser(t).get(h.URL + path)
		if p.Status != 200 || !strings.Contains(p.Body, want) {
			t.Errorf("%s: %d, want %q in\n%s", path, p.Status, want, p.Body)
		}
	}
	refresh(t, h, "bogus")
	p := h.newBrowser(t).get(h.URL + "/metrics")
	if !strings.Contains(p.Body, `hubauth_grants_total{grant_type="refresh_token",result="client_error"} 1`) ||
		!strings.Contains(p.Body, "hubauth_failed_logins_total") {
		t.Errorf("metrics lack grants or failed logins:\n%s", p.Body)
	}
}

// Refresh tokens, client secrets, device codes, personal tokens and
// passwords are stored only as hashes.
func TestSecretsStoredOnlyAsHashes(t *testing.T) {
	h := newHub(t)
	sec := h.AddClient(t, resourceClient)
	tok := h.browserLogin(t, h.newBrowser(t), h.cliConfig())
	da := startDevice(t, h.cliConfig())
	_, app, _ := h.getJSON(t, "/api/v1/auth/app_token?expires_in=60", tok.AccessToken)
	dump := h.dump(t)
	for name, s := range map[string]string{"refresh token": tok.RefreshToken, "client secret": sec,
		"device code": da.DeviceCode, "personal token": app["access_token"].(string), "password": demoPassword} {
		if strings.Contains(dump, s) {
			t.Errorf("the database holds the %s in clear", name)
		}
	}
}
