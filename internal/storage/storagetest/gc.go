package storagetest

import (
	"errors"
	"testing"
	"time"

	"github.com/hubauth/hubauth/internal/storage"
)

var gcTests = []subtest{
	{"GarbageCollect", testGarbageCollect},
}

// gcNow is the time the garbage collection test collects at.
var gcNow = at(48 * time.Hour)

// gcFixture stores one dead and one live row of every kind GarbageCollect
// looks at, and returns what it should delete.
func gcFixture(t *testing.T, s storage.Storage) storage.GCResult {
	ctx := t.Context()
	dead, live := newAuthRequest("a-dead"), newAuthRequest("a-live")
	dead.ExpiresAt, live.ExpiresAt = gcNow, gcNow.Add(time.Microsecond)
	must(t, "CreateAuthRequest", s.CreateAuthRequest(ctx, dead))
	must(t, "CreateAuthRequest", s.CreateAuthRequest(ctx, live))

	must(t, "CreateDeviceAuth", s.CreateDeviceAuth(ctx, newDeviceAuth("dc-dead", "BCDFGHJK", at(0))))
	must(t, "CreateDeviceAuth", s.CreateDeviceAuth(ctx, newDeviceAuth("dc-live", "LMNPQRST", gcNow.Add(-time.Minute))))

	bDead, bLive := newBrowserSession("b-dead"), newBrowserSession("b-live")
	bLive.ExpiresAt = gcNow.Add(24 * time.Hour)
	must(t, "CreateBrowserSession", s.CreateBrowserSession(ctx, bDead))
	must(t, "CreateBrowserSession", s.CreateBrowserSession(ctx, bLive))

	gcSessionFixture(t, s)

	pDead, pLive, pForever := newPersonalToken("p-dead", "u-1", "dead", at(0)),
		newPersonalToken("p-live", "u-1", "live", at(0)), newPersonalToken("p-forever", "u-1", "forever", at(0))
	pDead.ExpiresAt, pForever.ExpiresAt = gcNow, time.Time{}
	pRevokedOld, pRevokedRecent := newPersonalToken("p-revoked-old", "u-1", "revoked-old", at(0)),
		newPersonalToken("p-revoked-recent", "u-1", "revoked-recent", at(0))
	for _, p := range []storage.PersonalToken{pDead, pLive, pForever, pRevokedOld, pRevokedRecent} {
		must(t, "CreatePersonalToken", s.CreatePersonalToken(ctx, p))
	}
	must(t, "UpdatePersonalToken", s.UpdatePersonalToken(ctx, "u-1", "p-revoked-old", revokeAt(gcNow.Add(-24*time.Hour-time.Microsecond))))
	must(t, "UpdatePersonalToken", s.UpdatePersonalToken(ctx, "u-1", "p-revoked-recent", revokeAt(gcNow.Add(-24*time.Hour))))

	must(t, "RevokeAccessToken", s.RevokeAccessToken(ctx, "jti-dead", gcNow))
	must(t, "RevokeAccessToken", s.RevokeAccessToken(ctx, "jti-live", gcNow.Add(time.Minute)))

	uDead, uLive := newUpstreamLogin("state-dead"), newUpstreamLogin("state-live")
	uDead.ExpiresAt, uLive.ExpiresAt = gcNow, gcNow.Add(time.Microsecond)
	must(t, "CreateUpstreamLogin", s.CreateUpstreamLogin(ctx, uDead))
	must(t, "CreateUpstreamLogin", s.CreateUpstreamLogin(ctx, uLive))
	return storage.GCResult{AuthRequests: 1, DeviceAuths: 1, BrowserSessions: 1, Sessions: 2,
		RefreshTokens: 4, PersonalTokens: 2, RevokedTokens: 1, UpstreamLogins: 1}
}

// gcSessionFixture stores sessions: expired (two tokens), revoked just over
// a day ago (one token), revoked exactly a day ago (kept), and live with one
// expired and one live token.
func gcSessionFixture(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	expired := newSession("s-expired", at(0))
	expired.ExpiresAt = gcNow
	createSession(t, s, expired, "rt-expired-1")
	_, err := s.RotateRefreshToken(ctx, key("s-expired", "rt-expired-1"), newToken("rt-expired-2", "", at(time.Hour)), at(time.Hour), grace, nil)
	must(t, "RotateRefreshToken", err)

	createSession(t, s, newSession("s-revoked-old", at(0)), "rt-revoked-old")
	must(t, "RevokeSession", s.RevokeSession(ctx, "s-revoked-old", gcNow.Add(-24*time.Hour-time.Microsecond)))
	createSession(t, s, newSession("s-revoked-recent", at(0)), "rt-revoked-recent")
	must(t, "RevokeSession", s.RevokeSession(ctx, "s-revoked-recent", gcNow.Add(-24*time.Hour)))

	must(t, "CreateSession", s.CreateSession(ctx, newSession("s-live", at(0)),
		storage.RefreshToken{Hash: "rt-live-1", CreatedAt: at(0), ExpiresAt: at(time.Hour)}))
	_, err = s.RotateRefreshToken(ctx, key("s-live", "rt-live-1"), newToken("rt-live-2", "", at(time.Minute)), at(time.Minute), grace, nil)
	must(t, "RotateRefreshToken", err)
}

func testGarbageCollect(t *testing.T, s storage.Storage) {
	want := gcFixture(t, s)
	got, err := s.GarbageCollect(t.Context(), gcNow)
	checkErr(t, "GarbageCollect", err, nil)
	diff(t, "GarbageCollect counts", got, want)
	got, err = s.GarbageCollect(t.Context(), gcNow)
	checkErr(t, "GarbageCollect(again)", err, nil)
	diff(t, "GarbageCollect(again) counts", got, storage.GCResult{})

	for what, err := range gcLookups(t, s) {
		_, kept := gcKept[what]
		switch {
		case kept && err != nil:
			t.Errorf("%s after GarbageCollect: got error %v, want it kept", what, err)
		case !kept && !errors.Is(err, storage.ErrNotFound):
			t.Errorf("%s after GarbageCollect: got error %v, want %v", what, err, storage.ErrNotFound)
		}
	}
}

// gcKept names the rows of the fixture that GarbageCollect keeps.
var gcKept = map[string]bool{
	"auth request a-live": true, "device auth dc-live": true, "browser session b-live": true,
	"session s-revoked-recent": true, "session s-live": true, "personal token p-live": true,
	"personal token p-forever": true, "personal token p-revoked-recent": true, "refresh token rt-revoked-recent": true,
	"refresh token rt-live-2": true, "revoked access token jti-live": true,
	"upstream login state-live": true,
}

// gcLookups looks up every row of the fixture, by name.
func gcLookups(t *testing.T, s storage.Storage) map[string]error {
	ctx := t.Context()
	got := map[string]error{}
	for _, id := range []string{"a-dead", "a-live"} {
		got["auth request "+id] = errOf(s.GetAuthRequest(ctx, id))
	}
	for _, id := range []string{"dc-dead", "dc-live"} {
		got["device auth "+id] = errOf(s.GetDeviceAuthByDeviceCode(ctx, id))
	}
	for _, id := range []string{"b-dead", "b-live"} {
		got["browser session "+id] = errOf(s.GetBrowserSessionByToken(ctx, "cookie-"+id, at(0)))
	}
	for _, id := range []string{"s-expired", "s-revoked-old", "s-revoked-recent", "s-live"} {
		got["session "+id] = errOf(s.GetSession(ctx, id))
	}
	for _, id := range []string{"p-dead", "p-live", "p-forever", "p-revoked-old", "p-revoked-recent"} {
		got["personal token "+id] = errOf(s.GetPersonalToken(ctx, "u-1", id))
	}
	for _, k := range []storage.RefreshKey{key("s-expired", "rt-expired-1"), key("s-expired", "rt-expired-2"),
		key("s-revoked-old", "rt-revoked-old"), key("s-revoked-recent", "rt-revoked-recent"),
		key("s-live", "rt-live-1"), key("s-live", "rt-live-2")} {
		_, _, err := s.GetRefreshToken(ctx, k)
		got["refresh token "+k.Hash] = err
	}
	for _, id := range []string{"jti-dead", "jti-live"} {
		revoked, err := s.IsAccessTokenRevoked(ctx, id)
		if err == nil && !revoked {
			err = storage.ErrNotFound
		}
		got["revoked access token "+id] = err
	}
	for _, h := range []string{"state-dead", "state-live"} {
		// Consumed before either expires: only a row GarbageCollect
		// deleted is missing.
		got["upstream login "+h] = errOf(s.ConsumeUpstreamLogin(ctx, h, at(0)))
	}
	return got
}

// errOf keeps the error of a two-value call.
func errOf[T any](_ T, err error) error { return err }
