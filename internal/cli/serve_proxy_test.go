package cli

import (
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseTrustedProxies(t *testing.T) {
	tests := []struct {
		in   []string
		want []netip.Prefix
	}{
		{nil, nil},
		{[]string{"10.0.0.0/8", "2001:db8::/32"}, []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("2001:db8::/32")}},
		{[]string{"192.0.2.1", "::1"}, []netip.Prefix{netip.MustParsePrefix("192.0.2.1/32"), netip.MustParsePrefix("::1/128")}},
	}
	for _, tt := range tests {
		got, err := parseTrustedProxies(tt.in)
		if err != nil || !cmp.Equal(got, tt.want, cmp.Comparer(func(a, b netip.Prefix) bool { return a == b })) {
			t.Errorf("parseTrustedProxies(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}

func TestServeRefusesABadTrustedProxy(t *testing.T) {
	h := newTestHub(t)
	for _, v := range []string{"proxy.example.org", "10.0.0.0/33", ""} {
		r := h.run("", "serve", "--addr", "127.0.0.1:0", "--trusted-proxy", v)
		if r.code != ExitUsage || !strings.Contains(r.stderr, "--trusted-proxy") {
			t.Errorf("--trusted-proxy %q: exit %d, stderr %q; want %d naming the flag", v, r.code, r.stderr, ExitUsage)
		}
	}
}

// --trusted-proxy reaches the server: two users behind the proxy on
// 127.0.0.1 have their own failed-login limits.
func TestServeTrustedProxy(t *testing.T) {
	h := newTestHub(t)
	addr, _, stop := startServe(t, h, func(o *ServeOptions) { o.TrustedProxies = []string{"127.0.0.1"} })
	defer stop()
	login := func(client string) int {
		req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/api/v1/auth/token",
			strings.NewReader(url.Values{"username": {"demo"}, "password": {"wrong"}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Forwarded-For", client)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	throttled := false
	for range 20 {
		if throttled = login("198.51.100.1") == http.StatusTooManyRequests; throttled {
			break
		}
	}
	if !throttled {
		t.Fatal("20 failed logins from 198.51.100.1 were never throttled")
	}
	if got := login("198.51.100.2"); got != http.StatusUnauthorized {
		t.Errorf("a failed login from another client behind the proxy: %d, want 401", got)
	}
}
