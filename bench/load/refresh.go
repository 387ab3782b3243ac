package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"time"
)

// setupTimeout bounds the untimed logins before a refresh run.
const setupTimeout = 2 * time.Minute

// reloginPause keeps a worker whose re-login fails from spinning.
const reloginPause = 100 * time.Millisecond

// refreshWorker holds one worker's current refresh token. Each worker
// owns its own session, so rotation never races between workers.
type refreshWorker struct {
	hc    *http.Client
	ep    Endpoints
	cfg   Config
	token string // empty after an error: the next step logs in again
}

// refreshSteps logs every worker in (untimed, before the run starts) and
// returns steps that rotate each worker's refresh token.
func refreshSteps(ctx context.Context, hc *http.Client, ep Endpoints, cfg Config) ([]step, error) {
	ctx, cancel := context.WithTimeout(ctx, setupTimeout)
	defer cancel()
	workers := make([]*refreshWorker, cfg.Concurrency)
	errs := make([]error, cfg.Concurrency)
	var wg sync.WaitGroup
	for i := range workers {
		w := &refreshWorker{hc: hc, ep: ep, cfg: cfg}
		workers[i] = w
		wg.Go(func() { w.token, errs[i] = login(ctx, hc, ep, cfg) })
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

// step sends grant_type=refresh_token (RFC 6749 §6) as the public client
// and keeps the rotated refresh token. A failed refresh is an error and
// drops the session; the next step logs in again, untimed.
func (w *refreshWorker) step(ctx context.Context) (outcome, time.Time, time.Duration) {
	if w.token == "" {
		tok, err := login(ctx, w.hc, w.ep, w.cfg)
		if err != nil {
			sleep(ctx, reloginPause)
			return outcome{kind: kindError, detail: "re-login: " + err.Error()}, time.Now(), 0
		}
		w.token = tok
	}
	body := url.Values{
		"grant_type":    {"refresh_token"},
		"refresh_token": {w.token},
		"client_id":     {w.cfg.ClientID},
	}.Encode()
	start := time.Now()
	r, err := postForm(ctx, w.hc, w.ep.Token, body, nil)
	took := time.Since(start)
	t, ok := parseTokens(r)
	switch {
	case err != nil:
		w.token = ""
		return outcome{kind: kindError, detail: err.Error()}, start, took
	case !ok:
		w.token = ""
		return outcome{kind: kindError, detail: r.String()}, start, took
	case t.RefreshToken == "":
		w.token = ""
		return outcome{kind: kindError, detail: "refresh: 200 without refresh_token"}, start, took
	}
	w.token = t.RefreshToken
	return outcome{kind: kindOK}, start, took
}
