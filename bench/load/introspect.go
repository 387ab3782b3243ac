package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"
)

// loginClient is the public client introspect logs in with to obtain the
// access token it introspects (--client-id names the resource server).
const loginClient = "hubauth-cli"

// introspectSteps POSTs token to the introspection endpoint (RFC 7662 §2.1)
// with the resource server's HTTP basic client authentication; a 200
// saying active is the success.
func introspectSteps(hc *http.Client, ep Endpoints, cfg Config, token string) []step {
	body := url.Values{"token": {token}}.Encode()
	auth := http.Header{"Authorization": {basicAuth(cfg.ClientID, cfg.ClientSecret)}}
	st := func(ctx context.Context) (outcome, time.Time, time.Duration) {
		start := time.Now()
		r, err := postForm(ctx, hc, ep.Introspection, body, auth)
		return classify(r, err, isActive), start, time.Since(start)
	}
	return repeat(st, cfg.Concurrency)
}

// isActive is the success test of introspect: 200 with "active": true.
func isActive(r reply) bool {
	var v struct {
		Active bool `json:"active"`
	}
	return r.status == http.StatusOK && json.Unmarshal(r.body, &v) == nil && v.Active
}

// runIntrospect introspects --token-file's token, or the access token of
// a login at the password endpoint (untimed).
func runIntrospect(ctx context.Context, hc *http.Client, ep Endpoints, cfg Config) (Result, error) {
	if ep.Introspection == "" {
		return Result{}, errors.New("discovery: no introspection_endpoint")
	}
	token := cfg.Token
	if token == "" {
		var err error
		if token, err = loginAccessToken(ctx, hc, ep, cfg); err != nil {
			return Result{}, err
		}
	}
	return runLoop(ctx, cfg, "req", introspectSteps(hc, ep, cfg, token)), nil
}

// loginAccessToken logs in as --username with loginClient and returns the
// access token.
func loginAccessToken(ctx context.Context, hc *http.Client, ep Endpoints, cfg Config) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, setupTimeout)
	defer cancel()
	form := url.Values{"username": {cfg.Username}, "password": {cfg.Password},
		"client_id": {loginClient}, "scope": {cfg.Scopes}}.Encode()
	r, err := postForm(ctx, hc, ep.Password, form, nil)
	if err != nil {
		return "", fmt.Errorf("login: %w", err)
	}
	t, ok := parseTokens(r)
	if !ok {
		return "", fmt.Errorf("login: %s", r)
	}
	return t.AccessToken, nil
}
