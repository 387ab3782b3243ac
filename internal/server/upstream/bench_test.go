package upstream_test

import (
	"testing"
	"time"

	"github.com/hubauth/hubauth/internal/storage"
)

// BenchmarkUpstreamSignIn is one returning user's whole upstream sign-in:
// Begin, the upstream (the fixture, approving at once), Finish (code
// exchange, ID token verified with cached keys) and SignIn on SQLite.
// upstream-ns/op is the time spent in the upstream's handlers; hub-ns/op
// the rest: the hub's share, with the test browser's HTTP round trips.
// Allocations count both sides (they share the process).
func BenchmarkUpstreamSignIn(b *testing.B) {
	fx := newFixture(b)
	rg := newRig(b)
	rg.addProvider(storage.IdentityProvider{Name: "fx", Issuer: fx.URL, ClientID: fx.ClientID, ClientSecret: fx.Secret})
	br := newBrowser(b)
	if res := rg.signIn(br, "fx", nil); res.Err != nil { // provisions; warms discovery and keys
		b.Fatal(res.Err)
	}
	b.ReportAllocs()
	fx.busy.Store(0)
	start := time.Now()
	for b.Loop() {
		if res := rg.signIn(br, "fx", nil); res.Err != nil {
			b.Fatal(res.Err)
		}
	}
	total := time.Since(start)
	up := time.Duration(fx.busy.Load())
	b.ReportMetric(float64(up.Nanoseconds())/float64(b.N), "upstream-ns/op")
	b.ReportMetric(float64((total-up).Nanoseconds())/float64(b.N), "hub-ns/op")
}
