package resource_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/hubauth/hubauth/resource"
)

// nopWriter is a ResponseWriter that keeps nothing, so a benchmark
// measures the middleware, not a recorder.
type nopWriter struct{ h http.Header }

func (w nopWriter) Header() http.Header         { return w.h }
func (w nopWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w nopWriter) WriteHeader(int)             {}

// benchRequests runs requests with token through the middleware, one
// goroutine (the figure is per core), and reports requests per second.
func benchRequests(b *testing.B, m *resource.Middleware, token string) {
	served := 0
	h := m.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, ok := resource.CallerFrom(r.Context()); ok {
			served++
		}
	}))
	req := httptest.NewRequest(http.MethodGet, "/api/v1/uploads", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	w := nopWriter{h: http.Header{}}
	h.ServeHTTP(w, req) // warm the caches
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		h.ServeHTTP(w, req)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
	if served != b.N+1 {
		b.Fatalf("%d of %d requests reached the handler", served, b.N+1)
	}
}

// BenchmarkJWTCached is a valid JWT seen before: a hash and a map lookup.
func BenchmarkJWTCached(b *testing.B) {
	h := newHub(b)
	benchRequests(b, newMiddleware(b, h, resource.Config{}), h.accessToken(b, ""))
}

// BenchmarkJWTCachedAudience is BenchmarkJWTCached for an API that checks
// the audience (Config.URL), with a token meant for it.
func BenchmarkJWTCachedAudience(b *testing.B) {
	h := newHub(b)
	token := newForger(b, h).hub("at+jwt", func(c map[string]any) { c["aud"] = apiURL })
	benchRequests(b, newMiddleware(b, h, resource.Config{URL: apiURL}), token)
}

// BenchmarkJWTUncachedAudience is BenchmarkJWTUncached with the audience
// checked.
func BenchmarkJWTUncachedAudience(b *testing.B) {
	h := newHub(b)
	token := newForger(b, h).hub("at+jwt", func(c map[string]any) { c["aud"] = apiURL })
	benchRequests(b, newMiddleware(b, h, resource.Config{URL: apiURL, CacheSize: -1}), token)
}

// BenchmarkJWTUncached verifies the ES256 signature and claims every time.
func BenchmarkJWTUncached(b *testing.B) {
	h := newHub(b)
	benchRequests(b, newMiddleware(b, h, resource.Config{CacheSize: -1}), h.accessToken(b, ""))
}

// BenchmarkPersonalTokenCached is a personal token whose introspection
// answer is cached.
func BenchmarkPersonalTokenCached(b *testing.B) {
	h := newHub(b)
	id, sec := h.apiClient(b)
	benchRequests(b, newMiddleware(b, h, resource.Config{ClientID: id, ClientSecret: sec}), h.personalToken(b, ""))
}

// BenchmarkES256Floor is one P-256 signature verification alone: the floor
// of BenchmarkJWTUncached, whose difference is the middleware's own cost.
func BenchmarkES256Floor(b *testing.B) {
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	sum := sha256.Sum256([]byte("header.payload"))
	sig, _ := ecdsa.SignASN1(rand.Reader, key, sum[:])
	for b.Loop() {
		if !ecdsa.VerifyASN1(&key.PublicKey, sum[:], sig) {
			b.Fatal("signature does not verify")
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "verifications/s")
}
