package sqlite

import (
	"context"
	"sync"
)

// maxGroup bounds how many writes one group commit carries.
const maxGroup = 128

// group queues writes that may share one transaction (group commit): the
// writer that gets the writer's turn runs every queued write in one
// transaction, each inside a savepoint of its own (released before the
// next one starts, so one name serves), and commits once. Each
// write is answered only after that commit, exactly as if it had
// committed alone: a write whose own statements fail is rolled back to its
// savepoint and fails alone; a failed commit fails them all. Under load
// the cost of BEGIN and COMMIT and the hand-over of the writer's turn are
// shared by many writes rather than paid by each.
type group struct {
	mu    sync.Mutex
	queue []*groupWrite
}

// groupWrite is one queued write and, once done is closed, its outcome.
type groupWrite struct {
	fn       func(tx querier) error
	err      error
	panicked any // fn's panic, raised again in the writer's goroutine
	done     chan struct{}
}

// writeGrouped runs fn like write, but possibly in one transaction with
// other writeGrouped calls. fn's error is returned unchanged.
func (s *Store) writeGrouped(ctx context.Context, op string, fn func(tx querier) error) error {
	w := &groupWrite{fn: fn, done: make(chan struct{})}
	s.group.push(w)
	select {
	case s.gate <- struct{}{}:
		s.lead(ctx, op, w)
	case <-w.done:
	case <-ctx.Done():
		if s.group.remove(w) {
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
		select {
		case <-w.done:
			return
		default:
		}
		batch := s.group.take(maxGroup)
		if len(batch) == 0 {
			return // cannot happen while w is queued and not done
		}
		s.commitGroup(ctx, op, batch)
	}
}

// commitGroup runs batch in one transaction and closes each write's done.
func (s *Store) commitGroup(ctx context.Context, op string, batch []*groupWrite) {
	defer func() {
		for _, w := range batch {
			close(w.done)
		}
	}()
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		for _, w := range batch {
			w.err = s.wrap(op, err)
		}
		return
	}
	var misses []string
	defer func() { s.wq.prepareMisses(ctx, misses) }() // after the rollback below
	defer tx.Rollback()                                // after Commit: sql.ErrTxDone, ignored
	q := cachedTx{tx: tx, cache: s.wq, misses: &misses}
	ok := 0
	for _, w := range batch {
		if _, err := q.ExecContext(ctx, "SAVEPOINT g"); err != nil {
			w.err = s.wrap(op, err)
			continue
		}
		w.err, w.panicked = runGuarded(w.fn, q)
		if w.err != nil || w.panicked != nil {
			if _, err := q.ExecContext(ctx, "ROLLBACK TO g"); err != nil {
				s.failAll(op, batch, err) // the transaction cannot be trusted
				return
			}
		}
		if _, err := q.ExecContext(ctx, "RELEASE g"); err != nil {
			s.failAll(op, batch, err)
			return
		}
		if w.err == nil && w.panicked == nil {
			ok++
		}
	}
	if ok == 0 {
		return // nothing to commit: rolled back
	}
	if err := tx.Commit(); err != nil {
		s.failAll(op, batch, err)
	}
}

// failAll gives every write of batch that had not failed on its own the
// error of the group's transaction: none of them is committed.
func (s *Store) failAll(op string, batch []*groupWrite, err error) {
	for _, w := range batch {
		if w.err == nil && w.panicked == nil {
			w.err = s.wrap(op, err)
		}
	}
}

// runGuarded runs fn, turning a panic into a value for its own caller.
func runGuarded(fn func(tx querier) error, q querier) (err error, panicked any) {
	defer func() {
		if p := recover(); p != nil {
			panicked = p
		}
	}()
	return fn(q), nil
}

func (g *group) push(w *groupWrite) {
	g.mu.Lock()
	g.queue = append(g.queue, w)
	g.mu.Unlock()
}

// take removes and returns up to n queued writes, oldest first.
func (g *group) take(n int) []*groupWrite {
	g.mu.Lock()
	defer g.mu.Unlock()
	n = min(n, len(g.queue))
	batch := make([]*groupWrite, n)
	copy(batch, g.queue)
	g.queue = append(g.queue[:0], g.queue[n:]...)
	return batch
}

// remove takes w out of the queue and reports whether it was still there
// (no group has started it).
func (g *group) remove(w *groupWrite) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	for i, q := range g.queue {
		if q == w {
			g.queue = append(g.queue[:i], g.queue[i+1:]...)
			return true
		}
	}
	return false
}
