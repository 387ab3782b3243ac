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

// tokenResponse is the part of an RFC 6749 §5.1 token response (and of
// hubauth's password endpoint) the scenarios check.
type tokenResponse struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
}

// parseTokens decodes a 200 response carrying an access token.
func parseTokens(r reply) (tokenResponse, bool) {
	var t tokenResponse
	if r.status != http.StatusOK || json.Unmarshal(r.body, &t) != nil {
		return t, false
	}
	return t, t.AccessToken != ""
}

// hasAccessToken is the success test of client_credentials and password.
func hasAccessToken(r reply) bool {
	_, ok := parseTokens(r)
	return ok
}

// clientCredentialsSteps loops grant_type=client_credentials with HTTP
// basic client authentication (RFC 6749 §4.4).
func clientCredentialsSteps(hc *http.Client, ep Endpoints, cfg Config) []step {
	form := url.Values{"grant_type": {"client_credentials"}}
	if cfg.Scopes != "" {
		form.Set("scope", cfg.Scopes)
	}
	body, auth := form.Encode(), basicAuth(cfg.ClientID, cfg.ClientSecret)
	st := func(ctx context.Context) (outcome, time.Time, time.Duration) {
		start := time.Now()
		r, err := postForm(ctx, hc, ep.Token, body, http.Header{"Authorization": {auth}})
		return classify(r, err, hasAccessToken), start, time.Since(start)
	}
	return repeat(st, cfg.Concurrency)
}

// passwordSteps loops hubauth's password endpoint; 429/503 with
// Retry-After count as throttled.
func passwordSteps(hc *http.Client, ep Endpoints, cfg Config) []step {
	body := passwordForm(cfg)
	st := func(ctx context.Context) (outcome, time.Time, time.Duration) {
		start := time.Now()
		r, err := postForm(ctx, hc, ep.Password, body, nil)
		return classify(r, err, hasAccessToken), start, time.Since(start)
	}
	return repeat(st, cfg.Concurrency)
}

// repeat returns n copies of a stateless step.
func repeat(st step, n int) []step {
	steps := make([]step, n)
	for i := range steps {
		steps[i] = st
	}
	return steps
}

// passwordForm is the form body of a login at the password endpoint.
func passwordForm(cfg Config) string {
	return url.Values{
		"username":  {cfg.Username},
		"password":  {cfg.Password},
		"client_id": {cfg.ClientID},
		"scope":     {cfg.Scopes},
	}.Encode()
}

// errNoRefreshToken reports a login that returned no refresh token, as
// when offline_access was not granted.
var errNoRefreshToken = errors.New("login returned no refresh_token (is offline_access granted?)")

// login obtains a refresh token at the password endpoint, waiting out
// Retry-After answers until ctx is done.
func login(ctx context.Context, hc *http.Client, ep Endpoints, cfg Config) (string, error) {
	t, err := passwordLogin(ctx, hc, ep, passwordForm(cfg))
	if err != nil {
		return "", err
	}
	if t.RefreshToken == "" {
		return "", errNoRefreshToken
	}
	return t.RefreshToken, nil
}

// passwordLogin posts body to the password endpoint and returns the
// tokens, waiting out Retry-After answers until ctx is done.
func passwordLogin(ctx context.Context, hc *http.Client, ep Endpoints, body string) (tokenResponse, error) {
	for {
		r, err := postForm(ctx, hc, ep.Password, body, nil)
		if err != nil {
			return tokenResponse{}, fmt.Errorf("login: %w", err)
		}
		if r.throttled() {
			sleep(ctx, r.retryAfter)
			if ctx.Err() != nil {
				return tokenResponse{}, fmt.Errorf("login: throttled: %w", ctx.Err())
			}
			continue
		}
		t, ok := parseTokens(r)
		if !ok {
			return tokenResponse{}, fmt.Errorf("login: %s", r)
		}
		return t, nil
	}
}
