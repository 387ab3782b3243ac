package postgres

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hubauth/hubauth/internal/storage"
)

// newStore opens a Store on a fresh schema, closed when the test ends,
// and returns it with its DSN.
func newStore(t *testing.T) (*Store, string) {
	t.Helper()
	dsn := freshSchema(t)
	s := openTest(t, dsn)
	t.Cleanup(func() { s.Close() })
	return s, dsn
}

// lockSessionElsewhere locks session id from another connection, in a
// transaction the caller rolls back.
func lockSessionElsewhere(t *testing.T, dsn, id string) pgx.Tx {
	t.Helper()
	ctx := context.Background()
	other, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { other.Close(ctx) })
	tx, err := other.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, `SELECT id FROM sessions WHERE id = $1 FOR UPDATE`, id); err != nil {
		t.Fatal(err)
	}
	return tx
}

// newSession stores a device session id of user u-1 with its first
// refresh token, and returns that token.
func newSession(t *testing.T, s *Store, id string, now time.Time) storage.RefreshToken {
	t.Helper()
	first := nextToken(id, 0, now)
	if err := s.CreateSession(context.Background(), storage.Session{ID: id, UserID: "u-1", ClientID: "hubauth-cli",
		Method: storage.MethodDevice, CreatedAt: now, LastUsedAt: now, ExpiresAt: now.Add(time.Hour)}, first); err != nil {
		t.Fatal(err)
	}
	return first
}

// tokenKey is the key of the i-th refresh token of session id.
func tokenKey(id string, i int) storage.RefreshKey {
	return storage.RefreshKey{SessionID: id, Hash: tokenHash(id, i)}
}

// nextToken is the i-th refresh token of session id, valid for an hour.
func nextToken(id string, i int, now time.Time) storage.RefreshToken {
	return storage.RefreshToken{Hash: tokenHash(id, i), CreatedAt: now, ExpiresAt: now.Add(time.Hour)}
}

// TestRotationGroupWithoutAFailedWrite: when one rotation's write fails
// inside a group transaction (here a trigger refuses its next token), that
// rotation alone gets the error and the others, run again without it, are
// committed.
func TestRotationGroupWithoutAFailedWrite(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t)
	if _, err := s.pool.Exec(ctx, `CREATE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN IF NEW.hash = 'poison' THEN RAISE EXCEPTION 'refused by the test'; END IF; RETURN NEW; END $$;
		CREATE TRIGGER refuse_poison BEFORE INSERT ON refresh_tokens FOR EACH ROW EXECUTE FUNCTION refuse_poison()`); err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	const n = 24
	var wg sync.WaitGroup
	start := make(chan struct{})
	errs := make([]error, n)
	outcomes := make([]storage.RotateOutcome, n)
	for i := range n {
		id := fmt.Sprint("s-", i)
		newSession(t, s, id, now)
		next := nextToken(id, 1, now)
		if i == n/2 {
			next.Hash = "poison"
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			var res storage.RotateResult
			res, errs[i] = s.RotateRefreshToken(ctx, tokenKey(id, 0), next, now, 0, nil)
			outcomes[i] = res.Outcome
		}()
	}
	close(start)
	wg.Wait()
	for i := range n {
		switch {
		case i == n/2 && errs[i] == nil:
			t.Errorf("the refused rotation succeeded")
		case i == n/2 && errors.Is(errs[i], storage.ErrUnavailable):
			t.Errorf("the refused rotation's error is the group's: %v", errs[i])
		case i != n/2 && (errs[i] != nil || outcomes[i] != storage.Rotated):
			t.Errorf("rotation %d: %v, %v; want Rotated", i, outcomes[i], errs[i])
		}
	}
	// The refused rotation left its token as it was: rotating it again works.
	id := fmt.Sprint("s-", n/2)
	next := nextToken(id, 2, now)
	if res, err := s.RotateRefreshToken(ctx, tokenKey(id, 0), next, now, 0, nil); err != nil || res.Outcome != storage.Rotated {
		t.Errorf("the refused token again: %v, %v; want Rotated", res.Outcome, err)
	}
}

// TestRotationGroupSameTokenTwice: rotations of one token that meet in a
// group are decided one after the other, each seeing the one before: one
// Rotated and, within the grace period, the others GraceReissued — never
// two Rotated.
func TestRotationGroupSameTokenTwice(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t)
	now := time.Now().UTC()
	newSession(t, s, "s", now)
	const n = 16
	var wg sync.WaitGroup
	start := make(chan struct{})
	outcomes := make(chan storage.RotateOutcome, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			next := nextToken("s", i+1, now)
			res, err := s.RotateRefreshToken(ctx, tokenKey("s", 0), next, now, time.Minute, nil)
			if err != nil {
				t.Errorf("rotation %d: %v", i, err)
				return
			}
			outcomes <- res.Outcome
		}()
	}
	close(start)
	wg.Wait()
	close(outcomes)
	count := map[storage.RotateOutcome]int{}
	for o := range outcomes {
		count[o]++
	}
	if count[storage.Rotated] != 1 || count[storage.GraceReissued] != n-1 {
		t.Errorf("outcomes = %v; want 1 Rotated and %d GraceReissued", count, n-1)
	}
}

// TestRotationGroupBounded: a group waiting on a lock that is never
// released (another client holds the session row) gives up after
// groupTimeout: its rotations fail as unavailable instead of hanging, and
// the next rotation of the session, once the lock is gone, works.
func TestRotationGroupBounded(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, dsn := newStore(t)
	now := time.Now().UTC()
	newSession(t, s, "s", now)
	tx := lockSessionElsewhere(t, dsn, "s")
	next := nextToken("s", 1, now)
	began := time.Now()
	_, err := s.RotateRefreshToken(ctx, tokenKey("s", 0), next, now, 0, nil)
	if !errors.Is(err, storage.ErrUnavailable) || time.Since(began) < groupTimeout {
		t.Errorf("rotation behind a lock held forever: %v after %s; want ErrUnavailable after %s", err, time.Since(began), groupTimeout)
	}
	if err := tx.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	if res, err := s.RotateRefreshToken(ctx, tokenKey("s", 0), next, now, 0, nil); err != nil || res.Outcome != storage.Rotated {
		t.Errorf("once the lock is gone: %v, %v; want Rotated", res.Outcome, err)
	}
}

// TestRotationGroupUnknownTokens: tokens the hub never issued are each
// answered not found in the group that reads them; none waits for a
// later group (a flood of them must not push real rotations back).
func TestRotationGroupUnknownTokens(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t)
	now := time.Now().UTC()
	var batch []*rotation
	for i := range 5 {
		batch = append(batch, &rotation{key: tokenKey("unknown", i), now: now, done: make(chan struct{}),
			next: nextToken("next", i, now)})
	}
	if deferred := s.commitRotations(ctx, batch); len(deferred) != 0 {
		t.Errorf("%d of %d unknown tokens deferred to the next group, want none", len(deferred), len(batch))
	}
	for i, w := range batch {
		if !errors.Is(w.err, storage.ErrNotFound) {
			t.Errorf("unknown token %d: %v, want ErrNotFound", i, w.err)
		}
	}
}

// TestRotationGroupCancelledCallerDeferred: a caller whose context ends
// while its rotation is in a group, which then defers it (another rotation
// of the same token went first), is answered once that group is over, and
// its rotation is withdrawn, as one still queued would be.
func TestRotationGroupCancelledCallerDeferred(t *testing.T) {
	ctx := context.Background()
	s, dsn := newStore(t)
	now := time.Now().UTC()
	first := newSession(t, s, "s", now)
	q := s.rotations
	queued := q.Len
	q.gate <- struct{}{} // A's caller has the leader's turn
	a := &rotation{key: storage.RefreshKey{SessionID: "s", Hash: first.Hash}, now: now, grace: time.Minute, done: make(chan struct{}),
		next: nextToken("s", 1, now)}
	q.Push(a)
	ctxB, cancelB := context.WithCancel(ctx)
	defer cancelB()
	bDone := make(chan error, 1)
	go func() {
		_, err := s.RotateRefreshToken(ctxB, tokenKey("s", 0),
			nextToken("s", 2, now), now, time.Minute, nil)
		bDone <- err
	}()
	for queued() < 2 {
		time.Sleep(time.Millisecond)
	}
	tx := lockSessionElsewhere(t, dsn, "s")
	leaderDone := make(chan struct{})
	go func() { s.leadRotations(ctx, a); close(leaderDone) }()
	for queued() > 0 { // the group [A, B] has been taken, and waits on the lock
		time.Sleep(time.Millisecond)
	}
	cancelB()
	time.Sleep(50 * time.Millisecond)
	if err := tx.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	<-leaderDone
	if a.err != nil || a.r.Outcome != storage.Rotated {
		t.Errorf("A: %v, %v; want Rotated", a.r.Outcome, a.err)
	}
	select {
	case err := <-bDone:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("B: %v; want its context's end", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("B, cancelled while its rotation was deferred, is still waiting 5 s after the group")
	}
	if n := queued(); n != 0 {
		t.Errorf("%d rotations left queued, want B's withdrawn", n)
	}
}
