package server_test

import (
	"context"
	"net/http"
	"net/http/cookiejar"
	"net/netip"
	"net/url"
	"strings"
	"testing"

	"github.com/hubauth/hubauth/internal/secret"
	"github.com/hubauth/hubauth/internal/server"
	"github.com/hubauth/hubauth/internal/server/pages"
	"github.com/hubauth/hubauth/internal/storage"
)

// trustLoopbackProxy makes the test's own address (127.0.0.1) a trusted
// reverse proxy.
func trustLoopbackProxy(c *server.Config) {
	c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}
}

// xff is an X-Forwarded-For header naming the client.
func xff(client string) http.Header { return http.Header{"X-Forwarded-For": {client}} }

// sendVia sends a request as a reverse proxy on 127.0.0.1 would, with the
// forwarding headers fwd, and returns the response, its body closed. A form
// is POSTed as a same-origin browser form.
func (h *hub) sendVia(t *testing.T, c *http.Client, method, path string, fwd http.Header, form url.Values) *http.Response {
	t.Helper()
	req, _ := http.NewRequest(method, h.URL+path, nil)
	if method == http.MethodPost {
		req, _ = http.NewRequest(method, h.URL+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", h.URL)
		req.Header.Set("Sec-Fetch-Site", "same-origin")
	}
	for k, v := range fwd {
		req.Header[k] = v
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	resp.Body.Close()
	return resp
}

// perAddressLimits is every limit kept per client address, each as a
// request that gets 429 once repeated often enough from one address.
var perAddressLimits = []struct {
	name, method, path string
	form               url.Values
}{
	{"login page", http.MethodPost, "/login", url.Values{"username": {demoUser}, "password": {"wrong"}}},
	{"NOMAD password endpoint", http.MethodPost, "/api/v1/auth/token", url.Values{"username": {demoUser}, "password": {"wrong"}}},
	{"device code entry", http.MethodPost, "/device", url.Values{"user_code": {"BCDF-GHJK"}}},
	{"authorization request", http.MethodGet, "/authorize?client_id=hubauth-cli&response_type=code&scope=openid&state=s" +
		"&redirect_uri=http%3A%2F%2F127.0.0.1%3A49152%2Fcallback&code_challenge_method=S256" +
		"&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", nil},
	{"device authorization", http.MethodPost, "/oauth/device_authorization", url.Values{"client_id": {"hubauth-cli"}, "scope": {"openid"}}},
}

// throttle repeats a request with fwd until it gets 429.
func throttle(t *testing.T, h *hub, method, path string, form url.Values, fwd http.Header) {
	t.Helper()
	for range 200 {
		if h.sendVia(t, http.DefaultClient, method, path, fwd, form).StatusCode == http.StatusTooManyRequests {
			return
		}
	}
	t.Fatalf("200 requests to %s with %v were never throttled", path, fwd)
}

// Behind a trusted proxy each user has their own limits; from an untrusted
// peer the header is ignored; a header that cannot be read counts as the
// proxy itself. Every limit is tried behind a trusted proxy; the other cases
// only at code entry (which throttles soonest): every limit reads the
// address from the one resolver, whose header parsing has table tests of
// its own in clientaddr.
func TestTrustedProxyNamesTheClient(t *testing.T) {
	const oneLimit = "device code entry"
	tests := []struct {
		name            string
		trusted         bool
		first, second   http.Header // the throttled client's headers, the next one's
		secondThrottled bool
	}{
		{"trusted proxy: users throttled separately", true, xff("198.51.100.1"), xff("198.51.100.2"), false},
		{"trusted proxy: Forwarded", true, http.Header{"Forwarded": {"for=198.51.100.1"}}, http.Header{"Forwarded": {`for="[2001:db8::1]:4711"`}}, false},
		{"trusted proxy: IPv6 users", true, xff("2001:db8:1::1"), xff("2001:db8:2::1"), false},
		{"untrusted peer: header ignored", false, xff("198.51.100.1"), xff("198.51.100.2"), true},
		{"malformed header: the proxy's address", true, xff("198.51.100.1, bogus"), nil, true},
		{"headers that disagree: the proxy's address", true,
			http.Header{"X-Forwarded-For": {"198.51.100.1"}, "Forwarded": {"for=198.51.100.3"}}, nil, true},
	}
	for _, lim := range perAddressLimits {
		t.Run(lim.name, func(t *testing.T) {
			for _, tt := range tests {
				if tt.secondThrottled && lim.name != oneLimit { // the cases that fall back to the peer's address
					continue
				}
				t.Run(tt.name, func(t *testing.T) {
					var opts []option
					if tt.trusted {
						opts = append(opts, trustLoopbackProxy)
					}
					h := newHub(t, opts...)
					throttle(t, h, lim.method, lim.path, lim.form, tt.first)
					got := h.sendVia(t, http.DefaultClient, lim.method, lim.path, tt.second, lim.form).StatusCode == http.StatusTooManyRequests
					if got != tt.secondThrottled {
						t.Errorf("request with %v after %v was throttled: %v, want %v", tt.second, tt.first, got, tt.secondThrottled)
					}
				})
			}
		})
	}
}

// Sessions record the client's address, not the proxy's.
func TestTrustedProxyAddressIsRecorded(t *testing.T) {
	h := newHub(t, trustLoopbackProxy)
	ctx := context.Background()
	login := url.Values{"username": {demoUser}, "password": {demoPassword}}

	h.sendVia(t, http.DefaultClient, http.MethodPost, "/api/v1/auth/token", xff("198.51.100.7"), login)
	u, err := h.Store.GetUserByUsername(ctx, demoUser)
	if err != nil {
		t.Fatal(err)
	}
	sessions, err := h.Store.ListUserSessions(ctx, u.ID, h.Clock.Now())
	if err != nil || len(sessions) != 1 {
		t.Fatalf("sessions = %v, %v; want one", sessions, err)
	}
	if got := sessions[0].Address; got != "198.51.100.7" {
		t.Errorf("login session address = %q, want 198.51.100.7", got)
	}

	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	h.sendVia(t, c, http.MethodPost, "/login", xff("2001:db8::8"), login)
	hubURL, _ := url.Parse(h.URL)
	var bs storage.BrowserSession
	for _, ck := range jar.Cookies(hubURL) {
		if ck.Name == pages.CookieName {
			bs, err = h.Store.GetBrowserSessionByToken(ctx, secret.Hash(ck.Value), h.Clock.Now())
		}
	}
	if err != nil || bs.Address != "2001:db8::8" {
		t.Errorf("browser session address = %q (%v), want 2001:db8::8", bs.Address, err)
	}
}
