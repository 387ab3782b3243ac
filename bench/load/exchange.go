package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"time"
)

// The token_exchange scenario (RFC 8693): each worker's user logs in once
// at the password endpoint with hubauth-cli (untimed) and the exchanging
// client (--client-id, --client-secret: a confidential client with the
// token-exchange grant and one exchange audience) exchanges that access
// token for one for its API, again and again. Each exchange starts a
// session exchanged from the user's login: a write, as a refresh is.
func init() {
	scenarios = append(scenarios, "token_exchange")
	defaultScopes["token_exchange"] = "openid"
}

// subjectClient logs the exchange scenario's users in.
const subjectClient = "hubauth-cli"

// runExchange checks the scenario's flags, logs every worker in and runs.
func runExchange(ctx context.Context, hc *http.Client, ep Endpoints, cfg Config) (Result, error) {
	if cfg.ClientID == subjectClient || cfg.ClientSecret == "" || cfg.Username == "" || cfg.Password == "" {
		return Result{}, errors.New("token_exchange needs --client-id and --client-secret of a client allowed token exchange, and --username and --password or --password-file")
	}
	steps, err := exchangeSteps(ctx, hc, ep, cfg)
	if err != nil {
		return Result{}, err
	}
	return runLoop(ctx, cfg, "req", steps), nil
}

// exchangeWorker holds one worker's subject token.
type exchangeWorker struct {
	hc      *http.Client
	ep      Endpoints
	cfg     Config
	subject string // empty after an error: the next step logs in again
}

func exchangeSteps(ctx context.Context, hc *http.Client, ep Endpoints, cfg Config) ([]step, error) {
	ctx, cancel := context.WithTimeout(ctx, setupTimeout)
	defer cancel()
	workers := make([]*exchangeWorker, cfg.Concurrency)
	errs := make([]error, cfg.Concurrency)
	var wg sync.WaitGroup
	for i := range workers {
		w := &exchangeWorker{hc: hc, ep: ep, cfg: cfg}
		workers[i] = w
		wg.Go(func() { w.subject, errs[i] = subjectLogin(ctx, hc, ep, cfg) })
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

// subjectLogin returns an access token of the user, waiting out
// Retry-After answers.
func subjectLogin(ctx context.Context, hc *http.Client, ep Endpoints, cfg Config) (string, error) {
	body := url.Values{"username": {cfg.Username}, "password": {cfg.Password}, "client_id": {subjectClient},
		"scope": {cfg.Scopes}}.Encode()
	for {
		r, err := postForm(ctx, hc, ep.Password, body, nil)
		if err != nil {
			return "", fmt.Errorf("login: %w", err)
		}
		if r.throttled() {
			sleep(ctx, r.retryAfter)
			if ctx.Err() != nil {
				return "", fmt.Errorf("login: throttled: %w", ctx.Err())
			}
			continue
		}
		t, ok := parseTokens(r)
		if !ok {
			return "", fmt.Errorf("login: %s", r)
		}
		return t.AccessToken, nil
	}
}

// step exchanges the worker's subject token once.
func (w *exchangeWorker) step(ctx context.Context) (outcome, time.Time, time.Duration) {
	if w.subject == "" {
		tok, err := subjectLogin(ctx, w.hc, w.ep, w.cfg)
		if err != nil {
			sleep(ctx, reloginPause)
			return outcome{kind: kindError, detail: "re-login: " + err.Error()}, time.Now(), 0
		}
		w.subject = tok
	}
	body := url.Values{
		"grant_type":         {"urn:ietf:params:oauth:grant-type:token-exchange"},
		"subject_token":      {w.subject},
		"subject_token_type": {"urn:ietf:params:oauth:token-type:access_token"},
	}.Encode()
	start := time.Now()
	r, err := postForm(ctx, w.hc, w.ep.Token, body, http.Header{"Authorization": {basicAuth(w.cfg.ClientID, w.cfg.ClientSecret)}})
	o := classify(r, err, hasAccessToken)
	if o.kind == kindError {
		w.subject = "" // expired: log in again
	}
	return o, start, time.Since(start)
}
