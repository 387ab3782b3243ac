package upstream

import (
	"time"

	"github.com/hubauth/hubauth/internal/storage"
)

// clockSkew is how far an upstream's clock may be off the hub's when its
// auth_time is compared with the start of the sign-in or with max_age.
const clockSkew = time.Minute

// upstreamAuthTime reads an ID token's auth_time claim (seconds since the
// epoch, OpenID Connect Core §2); zero when absent or unusable.
func upstreamAuthTime(v any) time.Time {
	n, ok := v.(float64)
	if !ok || n <= 0 || n > 1<<40 {
		return time.Time{}
	}
	return time.Unix(int64(n), 0).UTC()
}

// authTime is when the user signed in at the upstream, for the hub
// session: the upstream's auth_time t (now when it sent none), never later
// than now. It must honour what l asked (OpenID Connect Core §3.1.2.1):
// after the sign-in started for prompt=login, within max_age, give or
// take clockSkew; a t within clockSkew of the bound is moved onto it, so
// that the hub, checking the same bound on its session, agrees.
func authTime(t time.Time, l storage.UpstreamLogin, now time.Time) (time.Time, error) {
	if t.IsZero() || t.After(now) {
		return now, nil
	}
	if l.ForceLogin {
		if t.Before(l.CreatedAt.Add(-clockSkew)) {
			return time.Time{}, fail(ErrRejected, "the upstream did not sign the user in again (prompt=login)", nil)
		}
		t = latest(t, l.CreatedAt)
	}
	if l.MaxAgeSeconds > 0 {
		oldest := now.Add(-time.Duration(l.MaxAgeSeconds) * time.Second)
		if t.Before(oldest.Add(-clockSkew)) {
			return time.Time{}, fail(ErrRejected, "upstream sign-in older than max_age", nil)
		}
		t = latest(t, oldest.Add(clockSkew))
	}
	if t.After(now) {
		return now, nil
	}
	return t, nil
}

// latest returns the later of a and b.
func latest(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
