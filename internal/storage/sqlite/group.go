package sqlite

import (
	"context"

	"github.com/hubauth/hubauth/internal/storage/groupqueue"
)

// maxGroup bounds how many writes one group commit carries.
const maxGroup = 128

// group queues writes that may share one transaction (group commit): the
// writer that gets the writer's turn runs every queued write in one
// transaction and commits once. Each write is answered only after that
// commit, exactly as if it had committed alone. A write comes in two
// steps: decide only reads, and may refuse (its error is the write's, and
// nothing of it is to undo); apply writes what decide decided. An apply
// that fails (a failing disk, say) leaves the transaction with half a
// write, so the group is rolled back and run again without it; a failed
// commit fails them all. Under load the cost of BEGIN and COMMIT and the
// hand-over of the writer's turn are shared by many writes rather than
// paid by each, and no savepoint is needed per write.
type group = groupqueue.Queue[*groupWrite]

// decideFunc is a grouped write's first step: it reads (never writes) and
// returns the step that writes, or nil for nothing to write, or the
// write's error.
type decideFunc func(tx querier) (apply func(tx querier) error, err error)

// groupWrite is one queued write and, once done is closed, its outcome.
type groupWrite struct {
	decide   decideFunc
	err      error
	panicked any // a step's panic, raised again in the writer's goroutine
	// applyFailed: its apply step failed, the group ran again without it.
	applyFailed bool
	done        chan struct{}
}

func (w *groupWrite) failed() bool { return w.err != nil || w.panicked != nil }

// writeGrouped runs decide and then its apply step in one write
// transaction, possibly shared with other writeGrouped calls, and returns
// once it is committed. decide's and apply's errors are returned
// unchanged.
func (s *Store) writeGrouped(ctx context.Context, op string, decide decideFunc) error {
	w := &groupWrite{decide: decide, done: make(chan struct{})}
	s.group.Push(w)
	select {
	case s.gate <- struct{}{}:
		s.lead(ctx, op, w)
	case <-w.done:
	case <-ctx.Done():
		if s.group.Remove(w) {
			return s.wrap(op, ctx.Err())
		}
		<-w.done // already running: its outcome is the answer
	}
	if w.panicked != nil {
		panic(w.panicked)
	}
	return w.err
}

// lead holds the writer's turn and commits groups of queued writes until
// w's is done.
func (s *Store) lead(ctx context.Context, op string, w *groupWrite) {
	defer func() { <-s.gate }()
	ctx = context.WithoutCancel(ctx) // the group carries others' writes
	for {
		batch := s.group.Next(w.done, maxGroup)
		if len(batch) == 0 {
			return
		}
		s.commitGroup(ctx, op, batch)
		for _, w := range batch {
			close(w.done)
		}
	}
}

// commitGroup runs batch in one transaction and sets each write's outcome.
func (s *Store) commitGroup(ctx context.Context, op string, batch []*groupWrite) {
	for {
		live := batch[:0:0]
		for _, w := range batch {
			if !w.applyFailed {
				w.err, w.panicked = nil, nil // decided again
				live = append(live, w)
			}
		}
		if len(live) == 0 || !s.tryGroup(ctx, op, live) {
			return
		}
	}
}

// tryGroup runs writes in one transaction; it reports whether the group
// must run again, without the write whose apply step failed (rolled back).
func (s *Store) tryGroup(ctx context.Context, op string, writes []*groupWrite) (again bool) {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		s.failAll(op, writes, err)
		return false
	}
	var misses []string
	defer func() { s.wq.prepareMisses(ctx, misses) }() // after the rollback below
	defer tx.Rollback()                                // after Commit: sql.ErrTxDone, ignored
	q := cachedTx{tx: tx, cache: s.wq, misses: &misses}
	ok := 0
	for _, w := range writes {
		var apply func(querier) error
		apply, w.err, w.panicked = guarded(func() (func(querier) error, error) { return w.decide(q) })
		if w.failed() || apply == nil {
			continue
		}
		if _, w.err, w.panicked = guarded(func() (func(querier) error, error) { return nil, apply(q) }); w.failed() {
			w.applyFailed = true
			return true
		}
		ok++
	}
	if ok == 0 {
		return false // nothing to commit: rolled back
	}
	if err := tx.Commit(); err != nil {
		s.failAll(op, writes, err)
	}
	return false
}

// failAll gives every write that had not failed on its own the error of
// the group's transaction: none of them is committed.
func (s *Store) failAll(op string, writes []*groupWrite, err error) {
	for _, w := range writes {
		if !w.failed() {
			w.err = s.wrap(op, err)
		}
	}
}

// guarded runs step, turning a panic into a value for its own caller.
func guarded(step func() (func(querier) error, error)) (apply func(querier) error, err error, panicked any) {
	defer func() {
		if p := recover(); p != nil {
			panicked = p
		}
	}()
	apply, err = step()
	return apply, err, nil
}
