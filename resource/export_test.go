package resource

import "time"

// SetNow pins the middleware's clock.
func SetNow(m *Middleware, now func() time.Time) {
	m.now = now
	m.keys.now = now
}

// SetKeyRefetchInterval changes how often an unknown key id may fetch the
// issuer's keys.
func SetKeyRefetchInterval(m *Middleware, d time.Duration) { m.keys.minInterval = d }

// CacheLen returns the number of cached JWTs, introspection answers and
// refusals.
func CacheLen(m *Middleware) (jwts, opaque, refused int) {
	return m.jwts.len(), m.opaque.len(), m.refused.len()
}
