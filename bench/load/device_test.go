package main

import (
	"context"
	"testing"
	"time"
)

func TestDevicePoll(t *testing.T) {
	tests := []struct {
		name          string
		slowDownFirst bool
		wantCode      int
	}{
		// The fake answers slow_down to any poll closer than the
		// interval to the previous one, so zero errors means the
		// scheduler kept every code's interval.
		{name: "pending is success", wantCode: exitOK},
		// After slow_down a code waits 5 s more, so within the run each
		// code is polled exactly once.
		{name: "slow_down is an error and backs off", slowDownFirst: true, wantCode: exitError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFakeServer(t, func(f *fakeServer) { f.slowDownFirst = tt.slowDownFirst })
			res, code := runMain(t, f, "--scenario", "device_poll", "--duration", "2500ms",
				"--device-codes", "20", "--device-spread", "500ms")
			if code != tt.wantCode {
				t.Errorf("exit code = %d, want %d (%v)", code, tt.wantCode, res.ErrorSamples)
			}
			if got := res.Counters["device_codes_started"]; got != 20 {
				t.Errorf("device_codes_started = %d, want 20", got)
			}
			if res.Unit != "poll" {
				t.Errorf("unit = %q, want poll", res.Unit)
			}
			if !tt.slowDownFirst {
				// 20 codes at a 1 s interval for ~2.5 s: up to 3 polls each,
				// at least one (a loaded machine may start a code late).
				if res.Errors != 0 || res.OK < 20 || res.OK > 60 {
					t.Errorf("ok = %d, errors = %d (%v); want 20..60 polls and no errors", res.OK, res.Errors, res.ErrorSamples)
				}
				return
			}
			if res.Errors != 20 || res.OK != 0 || f.polls.Load() != 20 {
				t.Errorf("errors = %d, ok = %d, polls = %d; want 20 slow_downs, then no polls", res.Errors, res.OK, f.polls.Load())
			}
		})
	}
}

func TestSchedulerDispatchesInDueOrder(t *testing.T) {
	now := time.Now()
	var codes []*deviceCode
	for _, ms := range []int{30, 10, 20, 0} {
		codes = append(codes, &deviceCode{code: string(rune('a' + ms/10)), due: now.Add(time.Duration(ms) * time.Millisecond)})
	}
	s := newScheduler(codes)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { s.run(ctx); close(done) }()
	var got string
	for range codes {
		c := <-s.work
		if time.Now().Before(c.due) {
			t.Errorf("code %s dispatched %v early", c.code, time.Until(c.due))
		}
		got += c.code
	}
	// A returned code comes back when it falls due again.
	codes[0].due = time.Now().Add(10 * time.Millisecond)
	s.back <- codes[0]
	if c := <-s.work; c != codes[0] || time.Now().Before(c.due) {
		t.Errorf("returned code: got %q at %v before due", c.code, time.Until(c.due))
	}
	cancel()
	<-done
	if want := "abcd"; got != want {
		t.Errorf("dispatch order = %q, want %q", got, want)
	}
}
