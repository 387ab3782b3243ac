package clientaddr

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"
)

func TestResolve(t *testing.T) {
	trusted := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("2001:db8:ffff::/48")}
	const proxy, outsider = "10.0.0.5:443", "203.0.113.9:5555"
	tests := []struct {
		name   string
		peer   string
		header http.Header
		want   string
	}{
		{"no proxy", outsider, nil, "203.0.113.9"},
		{"untrusted peer: X-Forwarded-For ignored", outsider, http.Header{"X-Forwarded-For": {"198.51.100.1"}}, "203.0.113.9"},
		{"untrusted peer: Forwarded ignored", outsider, http.Header{"Forwarded": {"for=198.51.100.1"}}, "203.0.113.9"},
		{"trusted peer without headers", proxy, nil, "10.0.0.5"},
		{"X-Forwarded-For", proxy, http.Header{"X-Forwarded-For": {"198.51.100.1"}}, "198.51.100.1"},
		{"right-most untrusted hop", proxy, http.Header{"X-Forwarded-For": {"192.0.2.66, 198.51.100.1"}}, "198.51.100.1"},
		{"trusted hops skipped", proxy, http.Header{"X-Forwarded-For": {"192.0.2.66, 198.51.100.1, 10.1.2.3"}}, "198.51.100.1"},
		{"header lines joined", proxy, http.Header{"X-Forwarded-For": {"192.0.2.66", "198.51.100.1, 10.1.2.3"}}, "198.51.100.1"},
		{"every hop trusted", proxy, http.Header{"X-Forwarded-For": {"10.9.9.9, 10.1.2.3"}}, "10.9.9.9"},
		{"hop with a port", proxy, http.Header{"X-Forwarded-For": {"198.51.100.1:4711"}}, "198.51.100.1"},
		{"IPv6 hop", proxy, http.Header{"X-Forwarded-For": {"2001:db8::1"}}, "2001:db8::1"},
		{"IPv4-mapped hop", proxy, http.Header{"X-Forwarded-For": {"::ffff:198.51.100.1"}}, "198.51.100.1"},
		{"IPv6 proxy", "[2001:db8:ffff::2]:443", http.Header{"X-Forwarded-For": {"198.51.100.1"}}, "198.51.100.1"},
		{"Forwarded", proxy, http.Header{"Forwarded": {`for=192.0.2.66;proto=https, For="198.51.100.1:4711";by=10.0.0.5`}}, "198.51.100.1"},
		{"Forwarded IPv6", proxy, http.Header{"Forwarded": {`for="[2001:db8::17]:4711"`}}, "2001:db8::17"},
		{"Forwarded bracketed IPv6", proxy, http.Header{"Forwarded": {`for="[2001:db8::17]"`}}, "2001:db8::17"},
		{"both headers agree", proxy, http.Header{"X-Forwarded-For": {"198.51.100.1"}, "Forwarded": {"for=198.51.100.1"}}, "198.51.100.1"},
		{"malformed: headers disagree", proxy, http.Header{"X-Forwarded-For": {"198.51.100.1"}, "Forwarded": {"for=198.51.100.2"}}, "10.0.0.5"},
		{"malformed: not an address", proxy, http.Header{"X-Forwarded-For": {"evil"}}, "10.0.0.5"},
		{"malformed: a bad hop on the left", proxy, http.Header{"X-Forwarded-For": {"x, 198.51.100.1"}}, "10.0.0.5"},
		{"malformed: empty", proxy, http.Header{"X-Forwarded-For": {""}}, "10.0.0.5"},
		{"malformed: empty hop", proxy, http.Header{"X-Forwarded-For": {"198.51.100.1,"}}, "10.0.0.5"},
		{"malformed: Forwarded unknown", proxy, http.Header{"Forwarded": {"for=unknown"}}, "10.0.0.5"},
		{"malformed: Forwarded obfuscated", proxy, http.Header{"Forwarded": {"for=_hidden"}}, "10.0.0.5"},
		{"malformed: Forwarded without for", proxy, http.Header{"Forwarded": {"proto=https"}}, "10.0.0.5"},
		{"malformed: Forwarded unquoted IPv6 with port", proxy, http.Header{"Forwarded": {"for=[2001:db8::17"}}, "10.0.0.5"},
		{"malformed header next to a good one", proxy, http.Header{"X-Forwarded-For": {"198.51.100.1"}, "Forwarded": {"for=unknown"}}, "10.0.0.5"},
		{"peer that is not an address", "pipe", http.Header{"X-Forwarded-For": {"198.51.100.1"}}, "pipe"},
	}
	res := NewResolver(trusted)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			r.RemoteAddr = tt.peer
			r.Header = tt.header
			if got := res.Resolve(r).String(); got != tt.want {
				t.Errorf("Resolve = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestZeroResolverTrustsNoOne(t *testing.T) {
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.RemoteAddr = "127.0.0.1:1234"
	r.Header.Set("X-Forwarded-For", "198.51.100.1")
	if got := NewResolver(nil).Resolve(r).String(); got != "127.0.0.1" {
		t.Errorf("Resolve = %q, want the peer 127.0.0.1", got)
	}
}

func TestThrottleKey(t *testing.T) {
	tests := []struct{ addr, want string }{
		{"198.51.100.1", "198.51.100.1"},
		{"2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"},
		{"::ffff:198.51.100.1", "198.51.100.1"},
	}
	for _, tt := range tests {
		a := Addr{ip: normalize(netip.MustParseAddr(tt.addr))}
		if got := a.ThrottleKey(); got != tt.want {
			t.Errorf("ThrottleKey(%s) = %q, want %q", tt.addr, got, tt.want)
		}
	}
}

// From and FromContext see what Handler resolved; without it, From is the
// peer.
func TestHandlerRecordsTheAddress(t *testing.T) {
	res := NewResolver([]netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")})
	var fromReq, fromCtx string
	h := res.Handler(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		fromReq, fromCtx = From(r).String(), FromContext(r.Context()).String()
	}))
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.RemoteAddr = "127.0.0.1:1234"
	r.Header.Set("X-Forwarded-For", "198.51.100.1")
	h.ServeHTTP(httptest.NewRecorder(), r)
	if fromReq != "198.51.100.1" || fromCtx != "198.51.100.1" {
		t.Errorf("From = %q, FromContext = %q, want 198.51.100.1", fromReq, fromCtx)
	}
	if got := From(r).String(); got != "127.0.0.1" {
		t.Errorf("From outside the handler = %q, want the peer", got)
	}
}
