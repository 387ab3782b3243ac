package main

import (
	"context"
	"sync"
	"time"
)

// Config is a validated run configuration, built from the flags.
type Config struct {
	Issuer       string
	Scenario     string
	Duration     time.Duration
	Warmup       time.Duration
	Concurrency  int
	ClientID     string
	ClientSecret string
	Username     string
	Password     string
	Token        string // pat_userinfo: a personal token given with --token-file
	Scopes       string // space-separated, as sent on the wire
	DeviceCodes  int
	DeviceSpread time.Duration
}

// window is the time line of a run: warm-up from start to measure, then
// the measured part until end.
type window struct {
	start, measure, end time.Time
}

// newWindow starts a window now.
func newWindow(cfg Config) window {
	now := time.Now()
	return window{start: now, measure: now.Add(cfg.Warmup), end: now.Add(cfg.Warmup + cfg.Duration)}
}

// counted reports whether a request started at t falls in the measured part.
func (w window) counted(t time.Time) bool { return !t.Before(w.measure) }

// elapsed is the measured time so far: cut short by an interrupt, never
// longer than the configured duration.
func (w window) elapsed() time.Duration {
	now := time.Now()
	if now.After(w.end) {
		now = w.end
	}
	return max(now.Sub(w.measure), 0)
}

// step is one timed iteration of a worker. It returns the outcome of its
// request, and when it started and how long it took: a step may do untimed
// work (such as logging in again) before its request.
type step func(ctx context.Context) (o outcome, start time.Time, took time.Duration)

// outcome classifies one request.
type outcome struct {
	kind   outcomeKind
	detail string        // error sample for kindError
	wait   time.Duration // Retry-After for kindThrottled
}

type outcomeKind int

const (
	kindOK outcomeKind = iota
	kindError
	kindThrottled
)

// runLoop runs one worker per step until the window ends and merges their
// recorders. A request still in flight at the end is cancelled and dropped;
// throttled workers sleep for Retry-After before their next step.
func runLoop(ctx context.Context, cfg Config, unit string, steps []step) Result {
	w := newWindow(cfg)
	ctx, cancel := context.WithDeadline(ctx, w.end)
	defer cancel()
	recs := make([]*Recorder, len(steps))
	var wg sync.WaitGroup
	for i, st := range steps {
		rec := NewRecorder()
		recs[i] = rec
		wg.Go(func() {
			for ctx.Err() == nil {
				o, start, took := st(ctx)
				if ctx.Err() != nil {
					return
				}
				if w.counted(start) {
					record(rec, o, took)
				}
				if o.kind == kindThrottled {
					sleep(ctx, o.wait)
				}
			}
		})
	}
	wg.Wait()
	return Merge(cfg.Scenario, unit, cfg.Concurrency, w.elapsed(), recs)
}

// record adds an outcome to rec.
func record(rec *Recorder, o outcome, took time.Duration) {
	switch o.kind {
	case kindOK:
		rec.OK(took)
	case kindThrottled:
		rec.Throttled()
	default:
		rec.Error(o.detail)
	}
}

// classify turns a reply or transport error into an outcome; ok decides
// which replies are successes.
func classify(r reply, err error, ok func(reply) bool) outcome {
	switch {
	case err != nil:
		return outcome{kind: kindError, detail: err.Error()}
	case ok(r):
		return outcome{kind: kindOK}
	case r.throttled():
		return outcome{kind: kindThrottled, wait: r.retryAfter}
	default:
		return outcome{kind: kindError, detail: r.String()}
	}
}

// sleep waits for d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
