package resource_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/hubauth/hubauth/resource"
)

func TestCachedJWTDoesNotOutliveItsExpiry(t *testing.T) {
	h := newHub(t)
	m := newMiddleware(t, h, resource.Config{Leeway: -1})
	token := h.accessToken(t, "")
	now := time.Now() // after the token's iat, which a slow hub may set in the next second
	resource.SetNow(m, func() time.Time { return now })
	if got := call(t, m.Handler(whoami), bearer(token)); got.Status != http.StatusOK {
		t.Fatalf("fresh: %+v", got)
	}
	if jwts, _, _ := resource.CacheLen(m); jwts != 1 {
		t.Fatalf("cached JWTs = %d, want 1", jwts)
	}
	now = now.Add(15*time.Minute + time.Second) // the hub's access tokens live 15 minutes
	if got := call(t, m.Handler(whoami), bearer(token)); got.Status != http.StatusUnauthorized {
		t.Fatalf("after exp: %+v, want 401 (a cached answer must not outlive the token)", got)
	}
}

func TestCachesAreBounded(t *testing.T) {
	h := newHub(t)
	f := newForger(t, h)
	id, sec := h.apiClient(t)
	const size = 16
	m := newMiddleware(t, h, resource.Config{CacheSize: size, ClientID: id, ClientSecret: sec})
	for i := range 3 * size {
		token := f.hub("JWT", func(c map[string]any) { c["jti"] = fmt.Sprint(i) })
		if got := call(t, m.Handler(whoami), bearer(token)); got.Status != http.StatusOK {
			t.Fatalf("token %d: %+v", i, got)
		}
		call(t, m.Handler(whoami), bearer(fmt.Sprintf("%sunknown%d", resource.PersonalTokenPrefix, i)))
	}
	jwts, _, refused := resource.CacheLen(m)
	if jwts > size || refused > size {
		t.Errorf("cache sizes %d JWTs, %d refusals, want at most %d each", jwts, refused, size)
	}
}

func TestNoCache(t *testing.T) {
	h := newHub(t)
	id, sec := h.apiClient(t)
	m := newMiddleware(t, h, resource.Config{CacheSize: -1, ClientID: id, ClientSecret: sec})
	pat := h.personalToken(t, "")
	for range 2 {
		call(t, m.Handler(whoami), bearer(h.accessToken(t, "")))
		call(t, m.Handler(whoami), bearer(pat))
	}
	if jwts, opaque, refused := resource.CacheLen(m); jwts+opaque+refused != 0 {
		t.Errorf("CacheSize -1 cached %d, %d, %d entries", jwts, opaque, refused)
	}
	if n := h.count("/oauth/introspect"); n != 2 {
		t.Errorf("introspected %d times, want 2 (no cache)", n)
	}
}
