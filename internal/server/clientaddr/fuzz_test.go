package clientaddr

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"
)

// FuzzResolve: whatever a trusted proxy passes along, the answer is an IP
// address, and an untrusted peer is always itself.
func FuzzResolve(f *testing.F) {
	f.Add("198.51.100.1, 10.0.0.1", `for="[2001:db8::1]:4711";proto=https`)
	f.Add("::ffff:198.51.100.1", "for=unknown")
	f.Add("fe80::1%eth0", `for="_hidden", for=198.51.100.1`)
	res := NewResolver([]netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")})
	f.Fuzz(func(t *testing.T, xff, fwd string) {
		for _, peer := range []string{"10.0.0.5:443", "203.0.113.9:443"} {
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			r.RemoteAddr = peer
			r.Header["X-Forwarded-For"] = []string{xff}
			r.Header["Forwarded"] = []string{fwd}
			got := res.Resolve(r)
			if !got.ip.IsValid() || got.ip.Zone() != "" || got.ip.Is4In6() {
				t.Fatalf("Resolve(%q, %q) from %s = %v, want a plain IP address", xff, fwd, peer, got)
			}
			if peer == "203.0.113.9:443" && got.String() != "203.0.113.9" {
				t.Fatalf("untrusted peer with %q, %q resolved to %v", xff, fwd, got)
			}
		}
	})
}
