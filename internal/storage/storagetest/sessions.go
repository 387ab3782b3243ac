package storagetest

import (
	"testing"
	"time"

	"github.com/hubauth/hubauth/internal/storage"
)

var browserSessionTests = []subtest{
	{"BrowserSessionByToken", testBrowserSessionByToken},
	{"EndBrowserSession", testEndBrowserSession},
}

var sessionTests = []subtest{
	{"SessionCRUD", testSessionCRUD},
	{"ListUserSessions", testListUserSessions},
	{"RevokeSession", testRevokeSession},
	{"EndUserSessions", testEndUserSessions},
	{"RevokeAccessToken", testRevokeAccessToken},
	{"GetLiveAccessToken", testGetLiveAccessToken},
	{"ExchangedSessionsEndWithTheirParent", testExchangedSessions},
	{"SessionWithoutRefreshToken", testSessionWithoutRefreshToken},
	{"ExchangedSessionNeedsLiveParent", testExchangedNeedsLiveParent},
	{"RefreshReuseRevokesExchanged", testReuseRevokesExchanged},
	{"ExchangedFromPersonalToken", testExchangedFromPersonalToken},
}

func newBrowserSession(id string) storage.BrowserSession {
	return storage.BrowserSession{
		ID: id, TokenHash: "cookie-" + id, UserID: "u-1", AuthTime: at(0), AMR: []string{"pwd"},
		Address: "192.0.2.7", UserAgent: "Mozilla/5.0", CreatedAt: at(0), ExpiresAt: at(24 * time.Hour),
	}
}

// newSession is a browser login of u-1 created at created, living 30 days.
func newSession(id string, created time.Time) storage.Session {
	return storage.Session{
		ID: id, UserID: "u-1", ClientID: "hubauth-cli", Method: storage.MethodBrowser,
		Name: "laptop", Address: "192.0.2.7", BrowserSessionID: "b-1",
		Scopes: []string{"openid", "offline_access"}, AuthTime: created, AMR: []string{"pwd"},
		CreatedAt: created, LastUsedAt: created, ExpiresAt: created.Add(30 * 24 * time.Hour),
		Resources: []string{"https://data.example.org"}, Actors: []string{"hubauth-cli"},
	}
}

// newToken is a refresh token of session created at created, living 30 days.
func newToken(hash, session string, created time.Time) storage.RefreshToken {
	return storage.RefreshToken{Hash: hash, SessionID: session, CreatedAt: created, ExpiresAt: created.Add(30 * 24 * time.Hour)}
}

// key is the key a client presenting refresh token hash of session
// (refresh tokens name their session) looks the token up by.
func key(session, hash string) storage.RefreshKey {
	return storage.RefreshKey{SessionID: session, Hash: hash}
}

func createSession(t *testing.T, s storage.Storage, x storage.Session, hash string) storage.RefreshToken {
	t.Helper()
	first := newToken(hash, x.ID, x.CreatedAt)
	must(t, "CreateSession", s.CreateSession(t.Context(), x, first))
	return first
}

func testBrowserSessionByToken(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	b := newBrowserSession("b-1")
	must(t, "CreateBrowserSession", s.CreateBrowserSession(ctx, b))
	checkErr(t, "CreateBrowserSession(same id)", s.CreateBrowserSession(ctx, b), storage.ErrAlreadyExists)
	got, err := s.GetBrowserSessionByToken(ctx, b.TokenHash, at(time.Hour))
	checkErr(t, "GetBrowserSessionByToken", err, nil)
	diff(t, "GetBrowserSessionByToken", got, b)
	_, err = s.GetBrowserSessionByToken(ctx, b.TokenHash, b.ExpiresAt)
	checkErr(t, "GetBrowserSessionByToken(at expiry)", err, storage.ErrNotFound)
	_, err = s.GetBrowserSessionByToken(ctx, "cookie-none", at(time.Hour))
	checkErr(t, "GetBrowserSessionByToken(unknown)", err, storage.ErrNotFound)
}

func testEndBrowserSession(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	must(t, "CreateBrowserSession", s.CreateBrowserSession(ctx, newBrowserSession("b-1")))
	x1, x2, x3, other := newSession("s-1", at(0)), newSession("s-2", at(time.Minute)),
		newSession("s-3", at(2*time.Minute)), newSession("s-4", at(0))
	other.BrowserSessionID = "b-2"
	for i, x := range []storage.Session{x1, x2, x3, other} {
		createSession(t, s, x, "rt-"+string(rune('a'+i)))
	}
	must(t, "RevokeSession", s.RevokeSession(ctx, "s-3", at(time.Hour)))

	ids, err := s.EndBrowserSession(ctx, "b-1", at(2*time.Hour))
	checkErr(t, "EndBrowserSession", err, nil)
	diff(t, "EndBrowserSession revoked ids", ids, []string{"s-1", "s-2"})
	_, err = s.GetBrowserSessionByToken(ctx, "cookie-b-1", at(time.Hour))
	checkErr(t, "GetBrowserSessionByToken(ended)", err, storage.ErrNotFound)

	x1.RevokedAt, x2.RevokedAt, x3.RevokedAt = at(2*time.Hour), at(2*time.Hour), at(time.Hour)
	for _, want := range []storage.Session{x1, x2, x3, other} {
		got, err := s.GetSession(ctx, want.ID)
		checkErr(t, "GetSession", err, nil)
		diff(t, "session after EndBrowserSession", got, want)
	}
	_, err = s.EndBrowserSession(ctx, "b-1", at(3*time.Hour))
	checkErr(t, "EndBrowserSession(again)", err, storage.ErrNotFound)
}

func testSessionCRUD(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	x := newSession("s-1", at(0))
	x.Method, x.BrowserSessionID = storage.MethodDevice, ""
	first := createSession(t, s, x, "rt-1")
	err := s.CreateSession(ctx, x, newToken("rt-2", "s-1", at(0)))
	checkErr(t, "CreateSession(same id)", err, storage.ErrAlreadyExists)
	// Hashes are unique as tokens are random, and a store need not check;
	// one that refuses a taken hash stores nothing of the session either.
	if err := s.CreateSession(ctx, newSession("s-2", at(0)), newToken("rt-1", "s-2", at(0))); err != nil {
		checkErr(t, "CreateSession(token hash taken)", err, storage.ErrAlreadyExists)
		_, err = s.GetSession(ctx, "s-2")
		checkErr(t, "GetSession(session of failed CreateSession)", err, storage.ErrNotFound)
	}

	got, err := s.GetSession(ctx, "s-1")
	checkErr(t, "GetSession", err, nil)
	diff(t, "GetSession", got, x)
	tok, sess, err := s.GetRefreshToken(ctx, key("s-1", "rt-1"))
	checkErr(t, "GetRefreshToken", err, nil)
	diff(t, "GetRefreshToken token", tok, first)
	diff(t, "GetRefreshToken session", sess, x)
	_, err = s.GetSession(ctx, "none")
	checkErr(t, "GetSession(unknown)", err, storage.ErrNotFound)
	_, _, err = s.GetRefreshToken(ctx, key("s-1", "none"))
	checkErr(t, "GetRefreshToken(unknown)", err, storage.ErrNotFound)
}

func testListUserSessions(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	now := at(40 * 24 * time.Hour)
	old := newSession("s-old", at(0)) // expired by now
	live1, live2 := newSession("s-1", at(20*24*time.Hour)), newSession("s-2", at(21*24*time.Hour))
	revoked := newSession("s-revoked", at(22*24*time.Hour))
	stranger := newSession("s-other", at(23*24*time.Hour))
	stranger.UserID = "u-2"
	for i, x := range []storage.Session{old, live1, live2, revoked, stranger} {
		createSession(t, s, x, "rt-"+string(rune('a'+i)))
	}
	must(t, "RevokeSession", s.RevokeSession(ctx, revoked.ID, now))
	got, err := s.ListUserSessions(ctx, "u-1", now)
	checkErr(t, "ListUserSessions", err, nil)
	diff(t, "ListUserSessions (active, newest first)", got, []storage.Session{live2, live1})
	got, err = s.ListUserSessions(ctx, "u-none", now)
	checkErr(t, "ListUserSessions(unknown user)", err, nil)
	diff(t, "ListUserSessions(unknown user)", got, []storage.Session{})
}

func testRevokeSession(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	x := newSession("s-1", at(0))
	createSession(t, s, x, "rt-1")
	checkErr(t, "RevokeSession", s.RevokeSession(ctx, "s-1", at(time.Hour)), nil)
	checkErr(t, "RevokeSession(again)", s.RevokeSession(ctx, "s-1", at(2*time.Hour)), nil)
	checkErr(t, "RevokeSession(unknown)", s.RevokeSession(ctx, "none", at(time.Hour)), storage.ErrNotFound)
	x.RevokedAt = at(time.Hour)
	got, err := s.GetSession(ctx, "s-1")
	checkErr(t, "GetSession", err, nil)
	diff(t, "session revoked twice (keeps the first time)", got, x)
}

func testRevokeAccessToken(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	revoked, err := s.IsAccessTokenRevoked(ctx, "jti-1")
	if err != nil || revoked {
		t.Errorf("IsAccessTokenRevoked(never revoked) = %v, %v; want false, nil", revoked, err)
	}
	must(t, "RevokeAccessToken", s.RevokeAccessToken(ctx, "jti-1", at(15*time.Minute)))
	checkErr(t, "RevokeAccessToken(again)", s.RevokeAccessToken(ctx, "jti-1", at(15*time.Minute)), nil)
	revoked, err = s.IsAccessTokenRevoked(ctx, "jti-1")
	if err != nil || !revoked {
		t.Errorf("IsAccessTokenRevoked(revoked) = %v, %v; want true, nil", revoked, err)
	}
}
