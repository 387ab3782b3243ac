package storagetest

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/hubauth/hubauth/internal/storage"
)

var rotateTests = []subtest{
	{"RotateRefreshToken", testRotate},
	{"RotateRefreshTokenNotFound", testRotateNotFound},
	{"RotateRefreshTokenCheckRefuses", testRotateCheckRefuses},
	{"RotateRefreshTokenConcurrentGrace", testRotateConcurrentGrace},
	{"RotateRefreshTokenConcurrentReuse", testRotateConcurrentReuse},
}

const grace = 10 * time.Second

// rotate calls RotateRefreshToken on the token k with a next token created
// at now and checks the outcome and the session it returns.
func rotate(t *testing.T, s storage.Storage, k storage.RefreshKey, next string, now time.Time, want storage.RotateResult) {
	t.Helper()
	got, err := s.RotateRefreshToken(t.Context(), k, newToken(next, "", now), now, grace, nil)
	checkErr(t, "RotateRefreshToken("+k.Hash+")", err, nil)
	diff(t, "RotateRefreshToken("+k.Hash+")", got, want)
}

// checkToken checks the stored refresh token with want's session and hash.
func checkToken(t *testing.T, s storage.Storage, want storage.RefreshToken) {
	t.Helper()
	got, _, err := s.GetRefreshToken(t.Context(), key(want.SessionID, want.Hash))
	checkErr(t, "GetRefreshToken("+want.Hash+")", err, nil)
	diff(t, "GetRefreshToken("+want.Hash+")", got, want)
}

func testRotate(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	x := newSession("s-1", at(0))
	first := createSession(t, s, x, "rt-1")
	t1 := at(time.Hour)

	x.LastUsedAt = t1
	rotate(t, s, key("s-1", "rt-1"), "rt-2", t1, storage.RotateResult{Outcome: storage.Rotated, Session: x})
	first.RotatedAt = t1
	checkToken(t, s, first)
	checkToken(t, s, newToken("rt-2", "s-1", t1))

	x.LastUsedAt = t1.Add(5 * time.Second)
	rotate(t, s, key("s-1", "rt-1"), "rt-3", x.LastUsedAt, storage.RotateResult{Outcome: storage.GraceReissued, Session: x})
	x.LastUsedAt = t1.Add(grace)
	rotate(t, s, key("s-1", "rt-1"), "rt-4", x.LastUsedAt, storage.RotateResult{Outcome: storage.GraceReissued, Session: x})
	checkToken(t, s, first) // RotatedAt stays at the first rotation
	checkToken(t, s, newToken("rt-4", "s-1", t1.Add(grace)))

	reuse := t1.Add(grace + time.Microsecond)
	x.RevokedAt = reuse
	rotate(t, s, key("s-1", "rt-1"), "rt-5", reuse, storage.RotateResult{Outcome: storage.ReuseDetected, Session: x})
	_, _, err := s.GetRefreshToken(ctx, key("s-1", "rt-5"))
	checkErr(t, "GetRefreshToken(next of a reused token)", err, storage.ErrNotFound)
	got, err := s.GetSession(ctx, "s-1")
	checkErr(t, "GetSession", err, nil)
	diff(t, "session after reuse", got, x)

	events, err := s.ListAudit(ctx, 10)
	checkErr(t, "ListAudit", err, nil)
	want := []storage.AuditEvent{{Time: reuse, Type: "refresh_reuse", UserID: x.UserID, ClientID: x.ClientID, Detail: "session s-1"}}
	diff(t, "audit after reuse", events, want, cmpopts.IgnoreFields(storage.AuditEvent{}, "ID"))

	_, err = s.RotateRefreshToken(ctx, key("s-1", "rt-4"), newToken("rt-6", "", reuse), reuse, grace, nil)
	checkErr(t, "RotateRefreshToken(sibling in the revoked family)", err, storage.ErrNotFound)
}

func testRotateNotFound(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	expiredToken := newSession("s-expired-token", at(0))
	must(t, "CreateSession", s.CreateSession(ctx, expiredToken,
		storage.RefreshToken{Hash: "rt-expired", CreatedAt: at(0), ExpiresAt: at(time.Hour)}))
	revoked := newSession("s-revoked", at(0))
	createSession(t, s, revoked, "rt-revoked")
	must(t, "RevokeSession", s.RevokeSession(ctx, revoked.ID, at(time.Minute)))
	expired := newSession("s-expired", at(0))
	expired.ExpiresAt = at(time.Hour)
	createSession(t, s, expired, "rt-of-expired-session")
	live := createSession(t, s, newSession("s-live", at(0)), "rt-live")

	for _, tc := range []struct{ name, session, hash string }{
		{"unknown token", "s-expired-token", "rt-none"}, // a live session
		{"expired token", "s-expired-token", "rt-expired"},
		{"revoked session", "s-revoked", "rt-revoked"},
		{"expired session", "s-expired", "rt-of-expired-session"},
		{"another session's id", "s-expired-token", "rt-live"}, // both live: the key names the wrong one
	} {
		_, err := s.RotateRefreshToken(ctx, key(tc.session, tc.hash), newToken("rt-next", "", at(time.Hour)), at(time.Hour), grace, nil)
		checkErr(t, "RotateRefreshToken("+tc.name+")", err, storage.ErrNotFound)
	}
	checkToken(t, s, live) // not used up
	_, _, err := s.GetRefreshToken(ctx, key("s-expired-token", "rt-live"))
	checkErr(t, "GetRefreshToken(another session's id)", err, storage.ErrNotFound)
	for _, session := range []string{"s-expired-token", "s-revoked", "s-expired", "s-live"} {
		_, _, err = s.GetRefreshToken(ctx, key(session, "rt-next"))
		checkErr(t, "GetRefreshToken(next after refusals, "+session+")", err, storage.ErrNotFound)
	}
	events, err := s.ListAudit(ctx, 10)
	checkErr(t, "ListAudit", err, nil)
	diff(t, "audit after refusals", events, []storage.AuditEvent{})
}

// A check that refuses leaves everything as it was: the token is not used
// up, no token is stored, and the check's error comes back unchanged.
func testRotateCheckRefuses(t *testing.T, s storage.Storage) {
	x := newSession("s-1", at(0))
	first := createSession(t, s, x, "rt-1")
	refused := errors.New("wrong client")
	var seen storage.Session
	_, err := s.RotateRefreshToken(t.Context(), key("s-1", "rt-1"), newToken("rt-2", "", at(time.Hour)), at(time.Hour), grace,
		func(got storage.Session) error { seen = got; return refused })
	checkErr(t, "RotateRefreshToken(check refuses)", err, refused)
	diff(t, "the session the check saw", seen, x)
	checkToken(t, s, first) // not rotated
	_, _, err = s.GetRefreshToken(t.Context(), key("s-1", "rt-2"))
	checkErr(t, "GetRefreshToken(rt-2)", err, storage.ErrNotFound)
	x.LastUsedAt = at(time.Hour)
	rotate(t, s, key("s-1", "rt-1"), "rt-3", at(time.Hour), storage.RotateResult{Outcome: storage.Rotated, Session: x})
}
