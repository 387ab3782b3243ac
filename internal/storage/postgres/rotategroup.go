package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/hubauth/hubauth/internal/storage"
	"github.com/hubauth/hubauth/internal/storage/groupqueue"
)

// maxRotations bounds how many rotations one transaction carries.
const maxRotations = 64

// groupTimeout bounds a group's transaction, which no caller's context
// does (it carries every caller's rotation): a database that stops
// answering fails the group's rotations as unavailable.
const groupTimeout = 10 * time.Second

// maxAttempts bounds how often a transaction that PostgreSQL ended for a
// deadlock or a serialization failure is run in all: a rotation group
// (another node's group revoking an exchanged session, say) or a
// revocation of several sessions (writeRetried).
const maxAttempts = 3

// rotationQueue queues RotateRefreshToken calls so that they share
// transactions (group commit): the call that gets the leader's turn runs
// the queued rotations in one transaction of two round trips — BEGIN and
// every rotation's locking reads, then every rotation's writes and COMMIT —
// and answers each only after that commit, exactly as if it had committed
// alone. Per rotation, PostgreSQL then spends a third of the CPU it spent
// on a transaction of its own (BEGIN, COMMIT, a WAL flush and two round
// trips each).
type rotationQueue struct {
	gate chan struct{} // the leader's turn
	groupqueue.Queue[*rotation]
}

// rotation is one queued RotateRefreshToken call and, once done is
// closed, its outcome.
type rotation struct {
	key   storage.RefreshKey
	next  storage.RefreshToken
	now   time.Time
	grace time.Duration
	check func(storage.Session) error

	r        storage.Rotation
	err      error
	panicked any  // check's panic, raised again in the caller's goroutine
	failed   bool // its writes failed: the group ran again without it
	done     chan struct{}
}

func newRotationQueue() *rotationQueue { return &rotationQueue{gate: make(chan struct{}, 1)} }

// rotateGrouped runs a rotation in a group transaction and returns once
// it is committed (or has failed).
func (s *Store) rotateGrouped(ctx context.Context, w *rotation) {
	q := s.rotations
	q.Push(w)
	select {
	case q.gate <- struct{}{}:
		s.leadRotations(ctx, w)
	case <-w.done:
	case <-ctx.Done():
		if q.Remove(w) {
			w.err = s.wrap(opRotate, ctx.Err())
			return
		}
		// Already taken by a group: its outcome is the answer. The group
		// may defer it to the next one; then it is withdrawn, as it would
		// have been had it not been taken.
		select {
		case q.gate <- struct{}{}:
			if q.Remove(w) {
				<-q.gate // every caller still queued waits for the turn
				w.err = s.wrap(opRotate, ctx.Err())
				return
			}
			s.leadRotations(ctx, w)
		case <-w.done:
		}
	}
}

// leadRotations holds the leader's turn and commits groups of queued
// rotations until w's is done.
func (s *Store) leadRotations(ctx context.Context, w *rotation) {
	q := s.rotations
	defer func() { <-q.gate }()
	defer func() {
		// A group that panicked answered its own rotations (runGroup);
		// w, if it was not among them, must not be left queued.
		if p := recover(); p != nil {
			if q.Remove(w) {
				w.panicked = p
				close(w.done)
			}
			panic(p)
		}
	}()
	ctx = context.WithoutCancel(ctx) // the group carries others' rotations
	for {
		batch := q.Next(w.done, maxRotations)
		if len(batch) == 0 {
			return
		}
		deferred := s.runGroup(ctx, batch)
		q.PushFront(deferred)
		for _, x := range batch {
			if !slices.Contains(deferred, x) {
				close(x.done)
			}
		}
	}
}

// runGroup is commitRotations bounded by groupTimeout. Should it panic,
// every rotation of the batch is answered with the panic (raised again in
// each caller's goroutine) before it goes on up: none waits forever.
func (s *Store) runGroup(ctx context.Context, batch []*rotation) []*rotation {
	gctx, cancel := context.WithTimeout(ctx, groupTimeout)
	defer cancel()
	defer func() {
		if p := recover(); p != nil {
			for _, x := range batch {
				x.panicked = p
				close(x.done)
			}
			panic(p)
		}
	}()
	return s.commitRotations(gctx, batch)
}

// commitRotations runs batch in one transaction and sets each rotation's
// outcome, except for those it returns: rotations of a session another
// rotation of the group had already read, which must see that one's
// writes and so go into the next group.
func (s *Store) commitRotations(ctx context.Context, batch []*rotation) []*rotation {
	for attempt := 1; ; {
		live := batch[:0:0]
		for _, w := range batch {
			if !w.failed {
				w.err, w.panicked = nil, nil // decided again
				live = append(live, w)
			}
		}
		if len(live) == 0 {
			return nil
		}
		deferred, err := s.tryRotations(ctx, live)
		switch {
		case errors.Is(err, errAgain):
			continue
		case retryable(err) && attempt < maxAttempts:
			attempt++
			continue
		case err != nil:
			err = s.wrap(opRotate, err)
			if errors.Is(err, context.DeadlineExceeded) {
				err = fmt.Errorf("postgres: %s: %w: no answer within %s", opRotate, storage.ErrUnavailable, groupTimeout)
			}
			for _, w := range live {
				if w.err == nil && w.panicked == nil {
					w.err = err
				}
			}
			return nil
		}
		return deferred
	}
}

// errAgain: a rotation's writes failed; it is marked failed and the
// group, rolled back, runs again without it.
var errAgain = errors.New("run the group again")

// tryRotations runs writes in one transaction. An error fails every write
// that had not failed on its own, unless it is errAgain.
func (s *Store) tryRotations(ctx context.Context, writes []*rotation) (deferred []*rotation, err error) {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Release()
	committed := false
	defer func() {
		if !committed {
			// A connection goes back to the pool outside a transaction
			// (a broken one is closed).
			rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Second)
			defer cancel()
			_, _ = conn.Exec(rctx, "ROLLBACK")
		}
	}()
	found, err := s.readRotations(ctx, conn, writes)
	if err != nil {
		return nil, err
	}
	decided, deferred := decideRotations(writes, found)
	if len(decided) == 0 {
		return deferred, nil
	}
	if err := s.writeRotations(ctx, conn, decided); err != nil {
		return nil, err
	}
	committed = true
	return deferred, nil
}

// lockedRow is a rotation's token and session as its group read them,
// locked; missing when there is no such token.
type lockedRow struct {
	token   storage.RefreshToken
	session storage.Session
	missing bool
}

// lockGroupSessions locks the sessions of a group's tokens in the order of
// their ids, so that groups of two nodes, which lock theirs in the same
// order, and revocations of several sessions (lockSessionTrees) do not
// deadlock with it. The exchanged sessions a reuse detection revokes are
// locked later, in another order, and may still deadlock with either:
// PostgreSQL then ends one transaction, which runs again (see
// RotateRefreshToken).
const lockGroupSessions = `SELECT id FROM sessions
	WHERE id IN (SELECT session_id FROM refresh_tokens WHERE hash = ANY($1)) ORDER BY id FOR NO KEY UPDATE`

// readRotations begins the transaction and, in the same round trip, locks
// the group's sessions (lockGroupSessions) and reads each rotation's
// session and then its token, locked (see RotateRefreshToken).
func (s *Store) readRotations(ctx context.Context, conn *pgxpool.Conn, writes []*rotation) ([]lockedRow, error) {
	b := &pgx.Batch{}
	b.Queue("BEGIN")
	hashes := make([]string, len(writes))
	for i, w := range writes {
		hashes[i] = w.key.Hash
	}
	b.Queue(lockGroupSessions, hashes)
	for _, w := range writes {
		b.Queue(readSession, w.key.Hash)
		b.Queue(lockToken, w.key.Hash)
	}
	res := conn.SendBatch(ctx, b)
	defer res.Close()
	for range 2 { // BEGIN, lockGroupSessions
		if _, err := res.Exec(); err != nil {
			return nil, err
		}
	}
	rows := make([]lockedRow, len(writes))
	for i := range writes {
		if err := readRotation(res, &rows[i]); err != nil {
			return nil, err
		}
	}
	return rows, res.Close()
}

// readRotation reads one rotation's two results into row: its session,
// then its token; row.missing when there is no such token.
func readRotation(res pgx.BatchResults, row *lockedRow) error {
	x, err := scanSession(res.QueryRow())
	if errors.Is(err, pgx.ErrNoRows) {
		row.missing = true
		_, err = res.Exec() // the token's statement: it finds nothing either
		return err
	}
	if err != nil {
		return err
	}
	row.session = x
	err = res.QueryRow().Scan(tokenDest(&row.token)...)
	if errors.Is(err, pgx.ErrNoRows) {
		row.missing = true
		return nil
	}
	return err
}

// decideRotations decides each rotation in queue order (storage.
// DecideRotation). A rotation whose token or session another rotation of
// the group already read is deferred: it has to see that one's writes.
func decideRotations(writes []*rotation, rows []lockedRow) (decided, deferred []*rotation) {
	seen := make(map[string]bool, 2*len(writes))
	for i, w := range writes {
		row := rows[i]
		if row.missing || !w.key.Finds(row.token) {
			w.err = notFound(opRotate)
			continue
		}
		if seen[w.key.Hash] || seen["session "+row.session.ID] {
			deferred = append(deferred, w)
			continue
		}
		seen[w.key.Hash], seen["session "+row.session.ID] = true, true
		w.r, w.err, w.panicked = decideGuarded(row, w)
		if w.err == nil && w.panicked == nil {
			decided = append(decided, w)
		}
	}
	return decided, deferred
}

// decideGuarded is storage.DecideRotation with the caller's check, whose
// panic becomes a value for its own caller.
func decideGuarded(row lockedRow, w *rotation) (r storage.Rotation, err error, panicked any) {
	defer func() {
		if p := recover(); p != nil {
			panicked = p
		}
	}()
	r, err = storage.DecideRotation(row.token, row.session, w.next, w.now, w.grace, w.check)
	return r, err, nil
}

// writeRotations sends every decided rotation's writes and COMMIT in one
// round trip. When a rotation's statement fails, the rotation is marked
// failed with that error and errAgain returned: the transaction is lost,
// the others run again.
func (s *Store) writeRotations(ctx context.Context, conn *pgxpool.Conn, decided []*rotation) error {
	b := &pgx.Batch{}
	owner := make([]*rotation, 0, 2*len(decided))
	for _, w := range decided {
		queueRotation(b, w.r)
		for len(owner) < b.Len() {
			owner = append(owner, w)
		}
	}
	b.Queue("COMMIT")
	res := conn.SendBatch(ctx, b)
	defer res.Close()
	for i := range owner {
		if _, err := res.Exec(); err != nil {
			if errors.Is(sentinelOf(err), storage.ErrUnavailable) { // deadlocks included
				return err // the group's, not the rotation's
			}
			owner[i].failed, owner[i].err = true, s.wrap(opRotate, err)
			return errAgain
		}
	}
	if _, err := res.Exec(); err != nil { // COMMIT
		return err
	}
	return res.Close()
}

// retryable reports an error for which PostgreSQL ended the transaction
// and the same work may succeed when run again.
func retryable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "40P01" || pe.Code == "40001") // deadlock_detected, serialization_failure
}
