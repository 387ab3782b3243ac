package storagetest

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/hubauth/hubauth/internal/storage"
)

var upstreamLoginTests = []subtest{
	{"UpstreamLogin", testUpstreamLogin},
	{"UpstreamLoginExpiry", testUpstreamLoginExpiry},
	{"UpstreamLoginConcurrentConsume", testUpstreamLoginConcurrent},
}

// newUpstreamLogin is a login with every field set, expiring 10 minutes
// after at(0).
func newUpstreamLogin(stateHash string) storage.UpstreamLogin {
	return storage.UpstreamLogin{
		StateHash: stateHash, Provider: "orcid", AuthRequestID: "ar-1", UserCode: "BCDFGHJK",
		Next: "/account", LinkUserID: "u-1", ForceLogin: true, MaxAgeSeconds: 300, CreatedAt: at(0), ExpiresAt: at(10 * time.Minute),
	}
}

func testUpstreamLogin(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	l := newUpstreamLogin("state-1")
	must(t, "CreateUpstreamLogin", s.CreateUpstreamLogin(ctx, l))
	dup := newUpstreamLogin("state-1")
	dup.Provider = "egi"
	checkErr(t, "CreateUpstreamLogin(same state hash)", s.CreateUpstreamLogin(ctx, dup), storage.ErrAlreadyExists)
	bare := storage.UpstreamLogin{StateHash: "state-2", Provider: "egi", CreatedAt: at(0), ExpiresAt: at(time.Hour)}
	must(t, "CreateUpstreamLogin(no continuation)", s.CreateUpstreamLogin(ctx, bare))

	got, err := s.ConsumeUpstreamLogin(ctx, "state-1", at(time.Minute))
	checkErr(t, "ConsumeUpstreamLogin", err, nil)
	diff(t, "ConsumeUpstreamLogin (the original, not the refused duplicate)", got, l)
	_, err = s.ConsumeUpstreamLogin(ctx, "state-1", at(time.Minute))
	checkErr(t, "ConsumeUpstreamLogin(again)", err, storage.ErrNotFound)
	_, err = s.ConsumeUpstreamLogin(ctx, "state-none", at(time.Minute))
	checkErr(t, "ConsumeUpstreamLogin(unknown)", err, storage.ErrNotFound)
	got, err = s.ConsumeUpstreamLogin(ctx, "state-2", at(time.Minute))
	checkErr(t, "ConsumeUpstreamLogin(no continuation)", err, nil)
	diff(t, "ConsumeUpstreamLogin(no continuation)", got, bare)
}

func testUpstreamLoginExpiry(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	l := newUpstreamLogin("state-1")
	must(t, "CreateUpstreamLogin", s.CreateUpstreamLogin(ctx, l))
	_, err := s.ConsumeUpstreamLogin(ctx, "state-1", l.ExpiresAt)
	checkErr(t, "ConsumeUpstreamLogin(at ExpiresAt)", err, storage.ErrNotFound)
	_, err = s.ConsumeUpstreamLogin(ctx, "state-1", at(0))
	checkErr(t, "ConsumeUpstreamLogin(expired, then again before expiry)", err, storage.ErrNotFound)

	live := newUpstreamLogin("state-2")
	must(t, "CreateUpstreamLogin", s.CreateUpstreamLogin(ctx, live))
	got, err := s.ConsumeUpstreamLogin(ctx, "state-2", live.ExpiresAt.Add(-time.Microsecond))
	checkErr(t, "ConsumeUpstreamLogin(just before ExpiresAt)", err, nil)
	diff(t, "ConsumeUpstreamLogin(just before ExpiresAt)", got, live)
}

// testUpstreamLoginConcurrent has goroutines consume the same login at
// once: exactly one gets it.
func testUpstreamLoginConcurrent(t *testing.T, s storage.Storage) {
	const n = 8
	l := newUpstreamLogin("state-1")
	must(t, "CreateUpstreamLogin", s.CreateUpstreamLogin(t.Context(), l))
	var mu sync.Mutex
	wins := 0
	parallel(n, func(i int) {
		got, err := s.ConsumeUpstreamLogin(t.Context(), "state-1", at(time.Minute))
		mu.Lock()
		defer mu.Unlock()
		switch {
		case err == nil:
			wins++
			diff(t, "ConsumeUpstreamLogin", got, l)
		case !errors.Is(err, storage.ErrNotFound):
			t.Errorf("ConsumeUpstreamLogin (goroutine %d): %v", i, err)
		}
	})
	if wins != 1 {
		t.Errorf("%d of %d simultaneous ConsumeUpstreamLogin calls got the login, want 1", wins, n)
	}
}
