package main

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// setupTimeout bounds the untimed logins before a run.
const setupTimeout = 2 * time.Minute

// reloginPause keeps a worker whose re-login fails from spinning.
const reloginPause = 100 * time.Millisecond

// loginWorker is a worker of a scenario that needs a token per worker: it
// logs in untimed before the run (and again after a failed step) and then
// runs timed steps.
type loginWorker interface {
	// login obtains the worker's token and keeps it.
	login(ctx context.Context) error
	// step is one timed request.
	step(ctx context.Context) (outcome, time.Time, time.Duration)
}

// loginSteps makes n workers with newWorker, logs them all in at once
// (untimed, before the run starts, within setupTimeout) and returns their
// steps.
func loginSteps(ctx context.Context, n int, newWorker func() loginWorker) ([]step, error) {
	ctx, cancel := context.WithTimeout(ctx, setupTimeout)
	defer cancel()
	workers := make([]loginWorker, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range workers {
		w := newWorker()
		workers[i] = w
		wg.Go(func() { errs[i] = w.login(ctx) })
	}
	wg.Wait()
	steps := make([]step, len(workers))
	for i, w := range workers {
		if errs[i] != nil {
			return nil, fmt.Errorf("setup of worker %d: %w", i, errs[i])
		}
		steps[i] = w.step
	}
	return steps, nil
}

// reloginFailed is the outcome of a step whose re-login failed: an error,
// after a pause so the worker does not spin.
func reloginFailed(ctx context.Context, err error) (outcome, time.Time, time.Duration) {
	sleep(ctx, reloginPause)
	return outcome{kind: kindError, detail: "re-login: " + err.Error()}, time.Now(), 0
}
