package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// patLifetime is the lifetime in seconds of the personal token the
// pat_userinfo scenario creates: long past any run, revoked at its end.
const patLifetime = 3600

// patToken is the personal token a pat_userinfo run uses. ID and Access
// are set when the run created it (and revokes it at the end).
type patToken struct {
	Secret string
	ID     string
	Access string // the access token that created it
}

// patSteps returns steps that each GET hubauth's /api/v1/users/me with
// the personal token; a 200 naming a user is the success.
func patSteps(hc *http.Client, ep Endpoints, cfg Config, secret string) []step {
	auth := http.Header{"Authorization": {"Bearer " + secret}}
	st := func(ctx context.Context) (outcome, time.Time, time.Duration) {
		start := time.Now()
		r, err := get(ctx, hc, ep.UsersMe, auth)
		return classify(r, err, namesUser), start, time.Since(start)
	}
	return repeat(st, cfg.Concurrency)
}

// namesUser is the success test of pat_userinfo: 200 with a user's id.
func namesUser(r reply) bool {
	var u struct {
		ID string `json:"id"`
	}
	return r.status == http.StatusOK && json.Unmarshal(r.body, &u) == nil && u.ID != ""
}

// preparePAT returns cfg.Token, or logs in at the password endpoint and
// creates a personal token through POST /api/v1/tokens (untimed).
func preparePAT(ctx context.Context, hc *http.Client, ep Endpoints, cfg Config) (patToken, error) {
	if cfg.Token != "" {
		return patToken{Secret: cfg.Token}, nil
	}
	ctx, cancel := context.WithTimeout(ctx, setupTimeout)
	defer cancel()
	form := url.Values{"username": {cfg.Username}, "password": {cfg.Password},
		"client_id": {cfg.ClientID}, "scope": {"openid"}}.Encode()
	r, err := postForm(ctx, hc, ep.Password, form, nil)
	if err != nil {
		return patToken{}, fmt.Errorf("login: %w", err)
	}
	t, ok := parseTokens(r)
	if !ok {
		return patToken{}, fmt.Errorf("login: %s", r)
	}
	return createPAT(ctx, hc, ep, cfg, t.AccessToken)
}

// createPAT creates a personal token named bench-load-<random> with
// cfg.Scopes, valid for patLifetime.
func createPAT(ctx context.Context, hc *http.Client, ep Endpoints, cfg Config, access string) (patToken, error) {
	var nonce [6]byte
	_, _ = rand.Read(nonce[:])
	scopes := strings.Fields(cfg.Scopes)
	if scopes == nil {
		scopes = []string{}
	}
	body, _ := json.Marshal(map[string]any{
		"name": "bench-load-" + hex.EncodeToString(nonce[:]), "expires_in": patLifetime, "scopes": scopes,
	})
	r, err := send(ctx, hc, http.MethodPost, ep.Tokens, string(body), bearerJSON(access))
	if err != nil {
		return patToken{}, fmt.Errorf("create personal token: %w", err)
	}
	var out struct {
		ID    string `json:"id"`
		Token string `json:"token"`
	}
	if r.status != http.StatusCreated || json.Unmarshal(r.body, &out) != nil || out.Token == "" {
		return patToken{}, fmt.Errorf("create personal token: %s", r)
	}
	return patToken{Secret: out.Token, ID: out.ID, Access: access}, nil
}

// revoke revokes a personal token the run created; one given with
// --token-file is left alone.
func (p patToken) revoke(ctx context.Context, hc *http.Client, ep Endpoints) error {
	if p.ID == "" {
		return nil
	}
	r, err := send(ctx, hc, http.MethodDelete, ep.Tokens+"/"+url.PathEscape(p.ID), "", bearerJSON(p.Access))
	switch {
	case err != nil:
		return fmt.Errorf("revoke personal token: %w", err)
	case r.status != http.StatusNoContent:
		return fmt.Errorf("revoke personal token: %s", r)
	}
	return nil
}

// runPAT prepares the personal token, runs the steps and revokes the token
// it created; a failed revocation is reported on stderr, not as an error
// of the run.
func runPAT(ctx context.Context, hc *http.Client, ep Endpoints, cfg Config, stderr io.Writer) (Result, error) {
	pat, err := preparePAT(ctx, hc, ep, cfg)
	if err != nil {
		return Result{}, err
	}
	res := runLoop(ctx, cfg, "req", patSteps(hc, ep, cfg, pat.Secret))
	if err := pat.revoke(context.WithoutCancel(ctx), hc, ep); err != nil {
		fmt.Fprintf(stderr, "load: %v\n", err)
	}
	return res, nil
}

// bearerJSON is the header of a JSON API call with an access token.
func bearerJSON(access string) http.Header {
	return http.Header{"Authorization": {"Bearer " + access}, "Content-Type": {"application/json"}}
}
