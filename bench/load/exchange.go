package main

import (
	"context"
	"errors"
	"net/http"
	"net/url"
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

// exchangeSteps logs every worker's user in (untimed, before the run
// starts) and returns steps that exchange each worker's access token.
func exchangeSteps(ctx context.Context, hc *http.Client, ep Endpoints, cfg Config) ([]step, error) {
	return loginSteps(ctx, cfg.Concurrency, func() loginWorker { return &exchangeWorker{hc: hc, ep: ep, cfg: cfg} })
}

// login obtains the worker's subject token.
func (w *exchangeWorker) login(ctx context.Context) (err error) {
	w.subject, err = subjectLogin(ctx, w.hc, w.ep, w.cfg)
	return err
}

// subjectLogin returns an access token of the user, waiting out
// Retry-After answers.
func subjectLogin(ctx context.Context, hc *http.Client, ep Endpoints, cfg Config) (string, error) {
	cfg.ClientID = subjectClient // cfg is a copy: the exchanging client stays the caller's
	t, err := passwordLogin(ctx, hc, ep, passwordForm(cfg))
	if err != nil {
		return "", err
	}
	return t.AccessToken, nil
}

// step exchanges the worker's subject token once.
func (w *exchangeWorker) step(ctx context.Context) (outcome, time.Time, time.Duration) {
	if w.subject == "" {
		if err := w.login(ctx); err != nil {
			return reloginFailed(ctx, err)
		}
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
