package storagetest

import (
	"testing"
	"time"

	"github.com/hubauth/hubauth/internal/storage"
)

// testEndUserSessions: a password change signs the user out everywhere,
// and no one else.
func testEndUserSessions(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	now := at(2 * time.Hour)
	live, revoked, expired, stranger := newSession("s-1", at(0)), newSession("s-2", at(0)),
		newSession("s-3", at(-31*24*time.Hour)), newSession("s-4", at(0))
	stranger.UserID = "u-2"
	for i, x := range []storage.Session{live, revoked, expired, stranger} {
		createSession(t, s, x, "rt-"+string(rune('a'+i)))
	}
	must(t, "RevokeSession", s.RevokeSession(ctx, revoked.ID, at(time.Hour)))
	strangerBrowser := newBrowserSession("b-2")
	strangerBrowser.UserID = "u-2"
	for _, b := range []storage.BrowserSession{newBrowserSession("b-1"), strangerBrowser} {
		must(t, "CreateBrowserSession", s.CreateBrowserSession(ctx, b))
	}
	for _, pt := range []storage.PersonalToken{newPersonalToken("t-1", "u-1", "ci", at(0)), newPersonalToken("t-2", "u-2", "ci", at(0))} {
		must(t, "CreatePersonalToken", s.CreatePersonalToken(ctx, pt))
	}
	must(t, "CreateAuthRequest", s.CreateAuthRequest(ctx, withCode(newAuthRequest("a-1"), "code-1")))
	must(t, "CreateDeviceAuth", s.CreateDeviceAuth(ctx, newDeviceAuth("dc-1", "BCDFGHJK", at(time.Hour+55*time.Minute))))
	must(t, "UpdateDeviceAuth", s.UpdateDeviceAuth(ctx, "BCDFGHJK", approve))

	ended, err := s.EndUserSessions(ctx, "u-1", now, false)
	checkErr(t, "EndUserSessions", err, nil)
	diff(t, "EndUserSessions ended", ended, storage.EndedSessions{Sessions: 1, BrowserSessions: 1})
	for id, want := range map[string]time.Time{"s-1": now, "s-2": at(time.Hour), "s-3": {}, "s-4": {}} {
		got, err := s.GetSession(ctx, id)
		checkErr(t, "GetSession("+id+")", err, nil)
		diff(t, "RevokedAt of "+id, got.RevokedAt, want)
	}
	_, err = s.GetBrowserSessionByToken(ctx, "cookie-b-1", now)
	checkErr(t, "GetBrowserSessionByToken(the user's)", err, storage.ErrNotFound)
	_, err = s.GetBrowserSessionByToken(ctx, "cookie-b-2", now)
	checkErr(t, "GetBrowserSessionByToken(another user's)", err, nil)
	_, err = s.GetPersonalTokenByHash(ctx, "pat-hash-t-1", now)
	checkErr(t, "GetPersonalTokenByHash(kept)", err, nil)
	_, err = s.GetAuthRequest(ctx, "a-1")
	checkErr(t, "GetAuthRequest(code not yet exchanged)", err, storage.ErrNotFound)
	d, err := s.GetDeviceAuthByUserCode(ctx, "BCDFGHJK")
	checkErr(t, "GetDeviceAuthByUserCode", err, nil)
	diff(t, "approved device authorization", d.State, storage.DeviceDenied)

	ended, err = s.EndUserSessions(ctx, "u-1", now, true)
	checkErr(t, "EndUserSessions(personal tokens)", err, nil)
	diff(t, "EndUserSessions(personal tokens) ended", ended, storage.EndedSessions{PersonalTokens: 1})
	_, err = s.GetPersonalTokenByHash(ctx, "pat-hash-t-1", now)
	checkErr(t, "GetPersonalTokenByHash(revoked)", err, storage.ErrNotFound)
	_, err = s.GetPersonalTokenByHash(ctx, "pat-hash-t-2", now)
	checkErr(t, "GetPersonalTokenByHash(another user's)", err, nil)
	ended, err = s.EndUserSessions(ctx, "u-none", now, true)
	checkErr(t, "EndUserSessions(unknown user)", err, nil)
	diff(t, "EndUserSessions(unknown user) ended", ended, storage.EndedSessions{})
}
