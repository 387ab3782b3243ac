package storagetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/hubauth/hubauth/internal/storage"
)

var concurrencyTests = []subtest{
	{"ConcurrentWrites", testConcurrentWrites},
}

// parallel runs f(0), …, f(n-1) in n goroutines released at the same
// instant, and waits for them.
func parallel(n int, f func(i int)) {
	var start, done sync.WaitGroup
	start.Add(1)
	for i := range n {
		done.Add(1)
		go func() {
			defer done.Done()
			start.Wait()
			f(i)
		}()
	}
	start.Done()
	done.Wait()
}

// rotateAll has n goroutines rotate the token k at now at once and counts
// the outcomes; ErrNotFound counts under outcome 0. Other errors fail the
// test. Goroutine i's next token is k.Hash+"-next-"+i.
func rotateAll(t *testing.T, s storage.Storage, n int, k storage.RefreshKey, now time.Time, g time.Duration) map[storage.RotateOutcome]int {
	t.Helper()
	var mu sync.Mutex
	counts := map[storage.RotateOutcome]int{}
	parallel(n, func(i int) {
		next := newToken(fmt.Sprintf("%s-next-%d", k.Hash, i), "", now)
		res, err := s.RotateRefreshToken(t.Context(), k, next, now, g, nil)
		mu.Lock()
		defer mu.Unlock()
		switch {
		case err == nil:
			counts[res.Outcome]++
		case errors.Is(err, storage.ErrNotFound):
			counts[0]++
		default:
			t.Errorf("RotateRefreshToken (goroutine %d): %v", i, err)
		}
	})
	return counts
}

func testRotateConcurrentGrace(t *testing.T, s storage.Storage) {
	createSession(t, s, newSession("s-1", at(0)), "rt-1")
	got := rotateAll(t, s, 20, key("s-1", "rt-1"), at(time.Hour), grace)
	want := map[storage.RotateOutcome]int{storage.Rotated: 1, storage.GraceReissued: 19}
	diff(t, "outcomes of 20 simultaneous rotations", got, want)
	for i := range 20 {
		tok, _, err := s.GetRefreshToken(t.Context(), key("s-1", fmt.Sprintf("rt-1-next-%d", i)))
		checkErr(t, "GetRefreshToken(next)", err, nil)
		if tok.SessionID != "s-1" {
			t.Errorf("next token %d: SessionID = %q, want s-1", i, tok.SessionID)
		}
	}
}

func testRotateConcurrentReuse(t *testing.T, s storage.Storage) {
	createSession(t, s, newSession("s-1", at(0)), "rt-1")
	_, err := s.RotateRefreshToken(t.Context(), key("s-1", "rt-1"), newToken("rt-2", "", at(time.Hour)), at(time.Hour), grace, nil)
	must(t, "RotateRefreshToken", err)
	got := rotateAll(t, s, 20, key("s-1", "rt-1"), at(time.Hour+time.Minute), 0)
	want := map[storage.RotateOutcome]int{storage.ReuseDetected: 1, 0: 19}
	diff(t, "outcomes of 20 simultaneous reuses (0: ErrNotFound)", got, want)
	events, err := s.ListAudit(t.Context(), 100)
	checkErr(t, "ListAudit", err, nil)
	if len(events) != 1 || events[0].Type != "refresh_reuse" {
		t.Errorf("audit after simultaneous reuse = %+v, want one refresh_reuse event", events)
	}
}

// testConcurrentWrites checks that simultaneous writers never see an error
// (with SQLite: never SQLITE_BUSY).
func testConcurrentWrites(t *testing.T, s storage.Storage) {
	const writers, each = 8, 200
	parallel(writers, func(w int) {
		for i := range each {
			e := storage.AuditEvent{Time: at(time.Duration(i) * time.Second), Type: "login", UserID: fmt.Sprint("u-", w)}
			if err := s.AppendAudit(t.Context(), e); err != nil {
				t.Errorf("AppendAudit (writer %d, event %d): %v", w, i, err)
				return
			}
		}
	})
	events, err := s.ListAudit(t.Context(), 2*writers*each)
	checkErr(t, "ListAudit", err, nil)
	if len(events) != writers*each {
		t.Errorf("ListAudit: got %d events, want %d", len(events), writers*each)
	}
}
