package postgres

import (
	"context"
	"crypto/rand"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hubauth/hubauth/internal/storage"
)

// TestRevocationsBesideARotationGroup: a transaction that revokes several
// sessions locks them in the order of their ids, as a rotation group of
// another node does, so the two never deadlock. The sessions are written
// b, c, a (a and c exchanged from b for the single-session revocation): an
// UPDATE that locks them as it finds them holds b and waits for c (held
// elsewhere) while the group holds a and waits for b; once c is free it
// would wait for a, and PostgreSQL would end it (a 503). The group's node
// here waits a minute before it looks for deadlocks, so that it is the
// revoking node that would find one.
func TestRevocationsBesideARotationGroup(t *testing.T) {
	ctx := context.Background()
	revocations := []struct {
		name   string
		revoke func(s *Store, now time.Time) error
	}{
		{"sign out everywhere", func(s *Store, now time.Time) error {
			_, err := s.EndUserSessions(ctx, "u-1", now, false)
			return err
		}},
		{"end the browser session", func(s *Store, now time.Time) error {
			_, err := s.EndBrowserSession(ctx, "browser", now)
			return err
		}},
		{"revoke a session and those exchanged from it", func(s *Store, now time.Time) error {
			return s.RevokeSession(ctx, "b", now)
		}},
	}
	for _, rv := range revocations {
		t.Run(rv.name, func(t *testing.T) {
			groupNode, revokingNode, dsn, tag, first := lockOrderFixture(t)
			now := time.Now().UTC()
			held := lockSessionElsewhere(t, dsn, "c")
			revoked := make(chan error, 1)
			go func() { revoked <- rv.revoke(revokingNode, now) }()
			waitForLockWaiters(t, tag, 1)

			q := groupNode.rotations
			q.gate <- struct{}{} // queue a's and b's rotations so that one group takes both
			ra := &rotation{key: storage.RefreshKey{SessionID: "a", Hash: first["a"].Hash}, next: nextToken("a", 1, now), now: now, done: make(chan struct{})}
			rb := &rotation{key: storage.RefreshKey{SessionID: "b", Hash: first["b"].Hash}, next: nextToken("b", 1, now), now: now, done: make(chan struct{})}
			q.Push(ra)
			q.Push(rb)
			led := make(chan struct{})
			go func() { groupNode.leadRotations(ctx, ra); close(led) }()
			waitForLockWaiters(t, tag, 2)

			if err := held.Rollback(ctx); err != nil {
				t.Fatal(err)
			}
			if err := <-revoked; err != nil {
				t.Errorf("beside a rotation group: %v; want it done", err)
			}
			<-led
			<-rb.done
			for _, r := range []*rotation{ra, rb} {
				if !errors.Is(r.err, storage.ErrNotFound) {
					t.Errorf("rotation of a revoked session: %v, %v; want ErrNotFound", r.r.Outcome, r.err)
				}
			}
		})
	}
}

// lockOrderFixture opens two nodes on a fresh schema (twoNodes) and
// writes sessions b, c and a of user u-1 in that order, in one browser
// session, a and c exchanged from b. It returns the first refresh token
// of each.
func lockOrderFixture(t *testing.T) (groupNode, revokingNode *Store, dsn, tag string, first map[string]storage.RefreshToken) {
	t.Helper()
	ctx := context.Background()
	groupNode, revokingNode, dsn, tag = twoNodes(t)
	now := time.Now().UTC()
	if err := revokingNode.CreateBrowserSession(ctx, storage.BrowserSession{ID: "browser", TokenHash: tokenHash("browser"),
		UserID: "u-1", AuthTime: now, CreatedAt: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	first = map[string]storage.RefreshToken{}
	for i, id := range []string{"b", "c", "a"} {
		first[id] = nextToken(id, 0, now)
		x := storage.Session{ID: id, UserID: "u-1", ClientID: "hubauth-cli", Method: storage.MethodDevice,
			BrowserSessionID: "browser", CreatedAt: now.Add(time.Duration(i) * time.Second), LastUsedAt: now,
			ExpiresAt: now.Add(time.Hour)}
		if id != "b" {
			x.ParentID = "b"
		}
		if err := revokingNode.CreateSession(ctx, x, first[id]); err != nil {
			t.Fatal(err)
		}
	}
	return groupNode, revokingNode, dsn, tag, first
}

// twoNodes opens two nodes on a fresh schema (dsn), their connections
// named tag, the first slow to look for deadlocks (deadlock_timeout is a
// superuser's setting: the test is skipped for another role).
func twoNodes(t *testing.T) (groupNode, revokingNode *Store, dsn, tag string) {
	t.Helper()
	ctx := context.Background()
	dsn = freshSchema(t)
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	var super string
	err = conn.QueryRow(ctx, `SHOW is_superuser`).Scan(&super)
	conn.Close(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if super != "on" {
		t.Skip("HUBAUTH_TEST_POSTGRES's role is not a superuser: it cannot set deadlock_timeout for one node")
	}
	tag = "lockorder-" + rand.Text()[:8]
	groupNode = openTest(t, withParam(t, withParam(t, dsn, "application_name", tag), "deadlock_timeout", "60s"))
	t.Cleanup(func() { groupNode.Close() })
	revokingNode = openTest(t, withParam(t, dsn, "application_name", tag))
	t.Cleanup(func() { revokingNode.Close() })
	return groupNode, revokingNode, dsn, tag
}

// TestRevocationRetriedBesideAReuseDetection: a rotation group that
// detects a reused token revokes what was exchanged from its session after
// taking its locks, so it can still deadlock with a revocation of several
// sessions (here z, reused, is the group's; its child m, locked first by
// signing out everywhere, is the revocation's). PostgreSQL ends the
// revocation, which runs again and is done; the group revokes the family.
func TestRevocationRetriedBesideAReuseDetection(t *testing.T) {
	ctx := context.Background()
	groupNode, revokingNode, dsn, tag := twoNodes(t)
	now := time.Now().UTC()
	for _, id := range []string{"z", "m"} {
		x := storage.Session{ID: id, UserID: "u-1", ClientID: "hubauth-cli", Method: storage.MethodDevice,
			CreatedAt: now.Add(-time.Hour), LastUsedAt: now.Add(-time.Hour), ExpiresAt: now.Add(time.Hour)}
		if id == "m" {
			x.ParentID = "z"
		}
		if err := revokingNode.CreateSession(ctx, x, nextToken(id, 0, now)); err != nil {
			t.Fatal(err)
		}
	}
	// z's first token was rotated an hour ago: presenting it again is reuse.
	if _, err := revokingNode.RotateRefreshToken(ctx, tokenKey("z", 0), nextToken("z", 1, now), now.Add(-time.Hour), 0, nil); err != nil {
		t.Fatal(err)
	}
	held := lockSessionElsewhere(t, dsn, "z")
	reuse := make(chan storage.RotateOutcome, 1)
	go func() {
		res, err := groupNode.RotateRefreshToken(ctx, tokenKey("z", 0), nextToken("z", 2, now), now, 0, nil)
		if err != nil {
			t.Errorf("reused token: %v", err)
		}
		reuse <- res.Outcome
	}()
	waitForLockWaiters(t, tag, 1) // the group waits for z
	signedOut := make(chan error, 1)
	go func() {
		_, err := revokingNode.EndUserSessions(ctx, "u-1", now, false)
		signedOut <- err
	}()
	waitForLockWaiters(t, tag, 2) // signing out holds m and waits for z
	if err := held.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	if err := <-signedOut; err != nil {
		t.Errorf("sign out everywhere beside a reuse detection: %v; want it done", err)
	}
	if o := <-reuse; o != storage.ReuseDetected {
		t.Errorf("reused token: outcome %v, want ReuseDetected", o)
	}
	for _, id := range []string{"z", "m"} {
		if x, err := revokingNode.GetSession(ctx, id); err != nil || x.RevokedAt.IsZero() {
			t.Errorf("session %s: revoked at %v, %v; want revoked", id, x.RevokedAt, err)
		}
	}
}

// waitForLockWaiters waits until n connections named tag wait for a row
// lock.
func waitForLockWaiters(t *testing.T, tag string, n int) {
	t.Helper()
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, testDSN(t))
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	for deadline := time.Now().Add(10 * time.Second); ; {
		var waiting int
		if err := admin.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity
			WHERE application_name = $1 AND wait_event_type = 'Lock'`, tag).Scan(&waiting); err != nil {
			t.Fatal(err)
		}
		if waiting >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d connections wait for a lock after 10 s, want %d", waiting, n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
