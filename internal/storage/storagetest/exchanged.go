package storagetest

import (
	"testing"
	"time"

	"github.com/hubauth/hubauth/internal/storage"
)

// exchanged is a session a token exchange started from parent for client.
func exchanged(id, parent, client string, created time.Time) storage.Session {
	x := newSession(id, created)
	x.ClientID, x.Method, x.ParentID, x.BrowserSessionID = client, storage.MethodExchange, parent, ""
	x.Actors = []string{client}
	return x
}

// live reports whether each session is neither revoked nor expired at now.
func live(t *testing.T, s storage.Storage, ids ...string) []bool {
	t.Helper()
	out := make([]bool, len(ids))
	for i, id := range ids {
		x, err := s.GetSession(t.Context(), id)
		must(t, "GetSession", err)
		out[i] = x.RevokedAt.IsZero()
	}
	return out
}

// testExchangedSessions: revoking a session, or ending the browser session
// it came from, revokes every session exchanged from it, however deep,
// and no other.
func testExchangedSessions(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	must(t, "CreateBrowserSession", s.CreateBrowserSession(ctx, newBrowserSession("b-1")))
	login, other := newSession("login", at(0)), newSession("other", at(0))
	other.BrowserSessionID = ""
	createSession(t, s, login, "rt-login")
	createSession(t, s, other, "rt-other")
	createSession(t, s, exchanged("pipeline", "login", "pipeline", at(time.Minute)), "rt-pipeline")
	createSession(t, s, exchanged("transfer", "pipeline", "transfer", at(2*time.Minute)), "rt-transfer")
	createSession(t, s, exchanged("elsewhere", "other", "pipeline", at(time.Minute)), "rt-elsewhere")

	// Revoking the middle of a chain ends what was exchanged from it.
	must(t, "RevokeSession", s.RevokeSession(ctx, "pipeline", at(time.Hour)))
	diff(t, "live after revoking pipeline (login, pipeline, transfer, other, elsewhere)",
		live(t, s, "login", "pipeline", "transfer", "other", "elsewhere"), []bool{true, false, false, true, true})
	got, err := s.GetSession(ctx, "transfer")
	checkErr(t, "GetSession", err, nil)
	if !got.RevokedAt.Equal(at(time.Hour)) || got.ParentID != "pipeline" || got.Method != storage.MethodExchange {
		t.Errorf("transfer = %+v, want revoked at the parent's revocation, parent pipeline", got)
	}

	// Ending the browser session ends its login and what was exchanged.
	createSession(t, s, exchanged("notebook", "login", "notebook", at(3*time.Minute)), "rt-notebook")
	ids, err := s.EndBrowserSession(ctx, "b-1", at(2*time.Hour))
	checkErr(t, "EndBrowserSession", err, nil)
	diff(t, "EndBrowserSession ids", ids, []string{"login", "notebook"})
	diff(t, "live after the browser session ended (login, notebook, other, elsewhere)",
		live(t, s, "login", "notebook", "other", "elsewhere"), []bool{false, false, true, true})
	_, _, err = s.GetRefreshToken(ctx, key("notebook", "rt-notebook"))
	checkErr(t, "GetRefreshToken(exchanged)", err, nil)
	_, err = s.RotateRefreshToken(ctx, key("notebook", "rt-notebook"), newToken("rt-notebook-2", "", at(3*time.Hour)), at(3*time.Hour), 0, nil)
	checkErr(t, "RotateRefreshToken(of a session whose parent ended)", err, storage.ErrNotFound)
}

// testSessionWithoutRefreshToken: a session may start without a refresh
// token (a token exchange asking for none).
func testSessionWithoutRefreshToken(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	x := exchanged("pipeline", "login", "pipeline", at(0))
	must(t, "CreateSession", s.CreateSession(ctx, x, storage.RefreshToken{}))
	got, err := s.GetSession(ctx, "pipeline")
	checkErr(t, "GetSession", err, nil)
	diff(t, "GetSession", got, x)
	_, _, err = s.GetRefreshToken(ctx, key("pipeline", ""))
	checkErr(t, "GetRefreshToken(\"\")", err, storage.ErrNotFound)
}

// testExchangedNeedsLiveParent: a session is exchanged only from a live
// parent (an exchange racing with a logout must not leave a child the
// logout's cascade missed): a revoked, expired or unknown parent refuses
// it with ErrNotFound and stores nothing.
func testExchangedNeedsLiveParent(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	createSession(t, s, newSession("login", at(0)), "rt-login")
	createSession(t, s, newSession("ended", at(0)), "rt-ended")
	must(t, "RevokeSession", s.RevokeSession(ctx, "ended", at(time.Minute)))
	tok := func(hash, session string) storage.RefreshToken { return newToken(hash, session, at(time.Hour)) }

	child := exchanged("pipeline", "login", "pipeline", at(2*time.Minute))
	checkErr(t, "CreateExchangedSession(live parent)", s.CreateExchangedSession(ctx, child, tok("rt-pipeline", ""), at(2*time.Minute)), nil)
	got, err := s.GetSession(ctx, "pipeline")
	checkErr(t, "GetSession", err, nil)
	diff(t, "GetSession(pipeline)", got, child)
	_, _, err = s.GetRefreshToken(ctx, key("pipeline", "rt-pipeline"))
	checkErr(t, "GetRefreshToken(rt-pipeline)", err, nil)

	expired := newSession("login", at(0)).ExpiresAt
	for _, c := range []struct {
		name, parent string
		now          time.Time
	}{
		{"revoked parent", "ended", at(2 * time.Minute)},
		{"expired parent", "login", expired},
		{"unknown parent", "nobody", at(2 * time.Minute)},
	} {
		t.Run(c.name, func(t *testing.T) {
			x := exchanged("child-"+c.parent, c.parent, "pipeline", c.now)
			err := s.CreateExchangedSession(ctx, x, tok("rt-child-"+c.parent, ""), c.now)
			checkErr(t, "CreateExchangedSession", err, storage.ErrNotFound)
			_, err = s.GetSession(ctx, x.ID)
			checkErr(t, "GetSession(refused child)", err, storage.ErrNotFound)
			_, _, err = s.GetRefreshToken(ctx, key(x.ID, "rt-child-"+c.parent))
			checkErr(t, "GetRefreshToken(refused child's)", err, storage.ErrNotFound)
		})
	}
}

// testReuseRevokesExchanged: a reused refresh token revokes its session
// and, in the same transaction, every session exchanged from it.
func testReuseRevokesExchanged(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	createSession(t, s, newSession("login", at(0)), "rt-login")
	createSession(t, s, exchanged("pipeline", "login", "pipeline", at(time.Minute)), "rt-pipeline")
	createSession(t, s, exchanged("transfer", "pipeline", "transfer", at(2*time.Minute)), "rt-transfer")
	createSession(t, s, newSession("other", at(0)), "rt-other")
	_, err := s.RotateRefreshToken(ctx, key("login", "rt-login"), newToken("rt-login-2", "", at(time.Hour)), at(time.Hour), 0, nil)
	checkErr(t, "RotateRefreshToken", err, nil)
	res, err := s.RotateRefreshToken(ctx, key("login", "rt-login"), newToken("rt-login-3", "", at(2*time.Hour)), at(2*time.Hour), 0, nil)
	checkErr(t, "RotateRefreshToken(reused)", err, nil)
	if res.Outcome != storage.ReuseDetected {
		t.Fatalf("reuse: outcome %v, want ReuseDetected", res.Outcome)
	}
	diff(t, "live after the reuse (login, pipeline, transfer, other)",
		live(t, s, "login", "pipeline", "transfer", "other"), []bool{false, false, false, true})
}
