package password

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// gate holds every worker inside its hash until release is closed.
type gate struct {
	started chan struct{}
	release chan struct{}
}

func newGatedHasher(t *testing.T, workers, queue int) (*Hasher, *gate) {
	t.Helper()
	g := &gate{started: make(chan struct{}, 1000), release: make(chan struct{})}
	h := newHasher(TestParams, workers, queue, func() {
		g.started <- struct{}{}
		<-g.release
	})
	t.Cleanup(func() {
		g.open()
		h.Close()
	})
	return h, g
}

func (g *gate) open() {
	select {
	case <-g.release:
	default:
		close(g.release)
	}
}

// waitFor polls cond until it holds or a few seconds pass.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// saturate starts enough Verify calls to occupy every worker and queue slot and
// returns a channel of their results.
func saturate(t *testing.T, h *Hasher, g *gate, workers int) <-chan error {
	t.Helper()
	n := cap(h.slots)
	results := make(chan error, n)
	for range n {
		go func() {
			_, err := h.Verify(context.Background(), validHash, "correct horse")
			results <- err
		}()
	}
	for range workers {
		select {
		case <-g.started:
		case <-time.After(5 * time.Second):
			t.Fatal("timed out waiting for the workers to start")
		}
	}
	waitFor(t, "a full queue", func() bool { return len(h.slots) == cap(h.slots) })
	return results
}

func TestBusy(t *testing.T) {
	tests := []struct {
		name           string
		workers, queue int
	}{
		{"one worker, two waiting", 1, 2},
		{"two workers, none waiting", 2, -1},
		{"two workers, default queue", 2, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, g := newGatedHasher(t, tt.workers, tt.queue)
			results := saturate(t, h, g, tt.workers)
			start := time.Now()
			if _, err := h.Verify(t.Context(), validHash, "correct horse"); !errors.Is(err, ErrBusy) {
				t.Fatalf("Verify on a saturated pool = %v, want ErrBusy", err)
			}
			if _, err := h.Hash(t.Context(), "x"); !errors.Is(err, ErrBusy) {
				t.Fatalf("Hash on a saturated pool = %v, want ErrBusy", err)
			}
			if d := time.Since(start); d > time.Second {
				t.Errorf("ErrBusy took %v, want at once", d)
			}
			g.open()
			for range cap(results) {
				if err := <-results; err != nil {
					t.Errorf("admitted Verify: %v", err)
				}
			}
		})
	}
}

func TestCancelWhileQueued(t *testing.T) {
	h, g := newGatedHasher(t, 1, 1)
	go h.VerifyDummy(context.Background(), "occupies the worker")
	<-g.started
	ctx, cancel := context.WithCancel(t.Context())
	errc := make(chan error, 1)
	go func() {
		_, err := h.Verify(ctx, validHash, "correct horse")
		errc <- err
	}()
	waitFor(t, "the request to be queued", func() bool { return len(h.slots) == 2 })
	cancel()
	select {
	case err := <-errc:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Verify after cancel = %v, want context.Canceled", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Verify did not return after its context was cancelled")
	}
}

func TestClose(t *testing.T) {
	h, g := newGatedHasher(t, 1, 1)
	go h.VerifyDummy(context.Background(), "occupies the worker")
	<-g.started
	errc := make(chan error, 1)
	go func() {
		_, err := h.Hash(context.Background(), "queued")
		errc <- err
	}()
	waitFor(t, "the request to be queued", func() bool { return len(h.slots) == 2 })
	go h.Close()
	if err := <-errc; !errors.Is(err, ErrClosed) {
		t.Errorf("queued Hash during Close = %v, want ErrClosed", err)
	}
	g.open()
	h.Close()
	if _, err := h.Hash(t.Context(), "later"); !errors.Is(err, ErrClosed) {
		t.Errorf("Hash after Close = %v, want ErrClosed", err)
	}
	if _, err := h.Verify(t.Context(), validHash, "correct horse"); !errors.Is(err, ErrClosed) {
		t.Errorf("Verify after Close = %v, want ErrClosed", err)
	}
}

// TestFlood sends 50 concurrent logins at real cost to one worker with two
// waiting slots: some must be refused with ErrBusy, the admitted ones must
// succeed, and every call must return.
func TestFlood(t *testing.T) {
	const callers = 50
	flood := Params{Memory: 8 << 10, Time: 2, Threads: 1}
	h := newTestHasher(t, flood, 1, 2)
	encoded := mustHash(t, h, "pw")
	var ok, busy atomic.Int32
	var wg sync.WaitGroup
	start := make(chan struct{})
	for range callers {
		wg.Go(func() {
			<-start
			match, err := h.Verify(context.Background(), encoded, "pw")
			switch {
			case errors.Is(err, ErrBusy):
				busy.Add(1)
			case err != nil:
				t.Errorf("Verify: %v", err)
			case !match:
				t.Errorf("Verify = false, want true")
			default:
				ok.Add(1)
			}
		})
	}
	close(start)
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("flood did not finish: deadlock")
	}
	t.Logf("%d verified, %d busy", ok.Load(), busy.Load())
	if busy.Load() == 0 {
		t.Errorf("no call got ErrBusy")
	}
	if ok.Load() < 1 {
		t.Errorf("no call was admitted")
	}
}
