package main

import (
	"context"
	"net/http"
	"net/url"
	"time"
)

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
	return loginSteps(ctx, cfg.Concurrency, func() loginWorker { return &refreshWorker{hc: hc, ep: ep, cfg: cfg} })
}

// login obtains a refresh token for the worker.
func (w *refreshWorker) login(ctx context.Context) (err error) {
	w.token, err = login(ctx, w.hc, w.ep, w.cfg)
	return err
}

// step sends grant_type=refresh_token (RFC 6749 §6) as the public client
// and keeps the rotated refresh token. A failed refresh is an error and
// drops the session; the next step logs in again, untimed.
func (w *refreshWorker) step(ctx context.Context) (outcome, time.Time, time.Duration) {
	if w.token == "" {
		if err := w.login(ctx); err != nil {
			return reloginFailed(ctx, err)
		}
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
