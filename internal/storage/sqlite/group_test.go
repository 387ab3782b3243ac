package sqlite

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// queued holds the writer's turn while n writeGrouped calls queue up, so
// that they share one group, then lets them run; it returns their errors
// and panics by index.
func queued(t *testing.T, s *Store, n int, decide func(i int, tx querier) (func(querier) error, error)) ([]error, []any) {
	t.Helper()
	s.gate <- struct{}{}
	errs, panics := make([]error, n), make([]any, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			defer func() { panics[i] = recover() }()
			errs[i] = s.writeGrouped(t.Context(), "test", func(tx querier) (func(querier) error, error) { return decide(i, tx) })
		})
	}
	for s.queued() < n {
		time.Sleep(time.Millisecond)
	}
	<-s.gate
	wg.Wait()
	return errs, panics
}

func (s *Store) queued() int { return s.group.Len() }

func revoked(t *testing.T, s *Store, id string) bool {
	t.Helper()
	var n int
	if err := s.rq.QueryRowContext(t.Context(), `SELECT count(*) FROM revoked_access_tokens WHERE id = ?`, id).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n == 1
}

// TestGroupCommitIsolatesWrites: writes sharing one group commit behave as
// if each had its own transaction: one refused or panicking in its decide
// step, or failing or panicking in its apply step after writing, leaves
// nothing behind and fails alone (a panic reaches its own caller only);
// the others are committed when their calls return.
func TestGroupCommitIsolatesWrites(t *testing.T) {
	s := openTest(t, filepath.Join(t.TempDir(), "hub.db"))
	errBoom := errors.New("boom")
	const n = 15
	insert := func(tx querier, id string) error {
		_, err := tx.ExecContext(t.Context(), `INSERT INTO revoked_access_tokens (id, expires_at) VALUES (?, 1)`, id)
		return err
	}
	errs, panics := queued(t, s, n, func(i int, tx querier) (func(querier) error, error) {
		id := fmt.Sprint("at-", i)
		switch i % 5 {
		case 1:
			return nil, errBoom
		case 2:
			panic(id)
		case 3:
			return func(tx querier) error { insert(tx, id); return errBoom }, nil
		case 4:
			return func(tx querier) error { insert(tx, id); panic(id) }, nil
		}
		return func(tx querier) error { return insert(tx, id) }, nil
	})
	for i := range n {
		id := fmt.Sprint("at-", i)
		stored := revoked(t, s, id)
		switch i % 5 {
		case 0:
			if errs[i] != nil || panics[i] != nil || !stored {
				t.Errorf("write %d: %v, panic %v, stored %v; want committed", i, errs[i], panics[i], stored)
			}
		case 1, 3:
			if !errors.Is(errs[i], errBoom) || stored {
				t.Errorf("failed write %d: %v, stored %v; want its own error and nothing stored", i, errs[i], stored)
			}
		case 2, 4:
			if panics[i] != id || stored {
				t.Errorf("panicking write %d: panic %v, stored %v; want its own panic and nothing stored", i, panics[i], stored)
			}
		}
	}
}

// TestGroupCommitCancelledWhileQueued: a write whose context ends before
// its group starts returns the context's error and writes nothing.
func TestGroupCommitCancelledWhileQueued(t *testing.T) {
	s := openTest(t, filepath.Join(t.TempDir(), "hub.db"))
	cancelled, cancel := context.WithCancel(t.Context())
	cancel()
	s.gate <- struct{}{}
	err := s.writeGrouped(cancelled, "test", func(querier) (func(querier) error, error) {
		return func(tx querier) error {
			_, err := tx.ExecContext(t.Context(), `INSERT INTO revoked_access_tokens (id, expires_at) VALUES ('at-x', 1)`)
			return err
		}, nil
	})
	<-s.gate
	if !errors.Is(err, context.Canceled) || revoked(t, s, "at-x") || s.queued() != 0 {
		t.Errorf("cancelled write: %v, stored %v, still queued %d; want context.Canceled and nothing", err, revoked(t, s, "at-x"), s.queued())
	}
}
