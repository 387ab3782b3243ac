package provider_test

import (
	"database/sql"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/hubauth/hubauth/internal/secret"
	"github.com/hubauth/hubauth/internal/server/bearer"
	"github.com/hubauth/hubauth/internal/server/provider"
	"github.com/hubauth/hubauth/internal/storage"
	"github.com/hubauth/hubauth/internal/storage/sqlite"
)

// authorize starts an authorization request of cli with PKCE, completes it
// as the login step does (ada, a hub session made now) and returns the
// code from the redirect.
func (o *server) authorize(t *testing.T, conf *oauth2.Config, verifier string) string {
	t.Helper()
	req, _ := http.NewRequest("GET", conf.AuthCodeURL("st-1", oauth2.S256ChallengeOption(verifier)), nil)
	status, header, _ := o.send(t, req)
	loc, _ := url.Parse(header.Get("Location"))
	id := loc.Query().Get("authRequestID")
	if status != http.StatusFound || loc.Path != "/login" || id == "" {
		t.Fatalf("/authorize = %d → %q, want the login step", status, header.Get("Location"))
	}
	a, err := o.prov.AuthRequest(t.Context(), id)
	must(t, err)
	bs := storage.BrowserSession{ID: "bs-1", UserID: o.ada.ID, AuthTime: o.clock.Now().UTC(), AMR: []string{"pwd"}}
	if provider.NeedsLogin(a, bs, o.clock.Now()) {
		t.Fatal("a login made after the request needs another")
	}
	rec := httptest.NewRecorder()
	must(t, o.prov.Complete(rec, httptest.NewRequest("POST", "/login", nil), id, o.ada, bs))
	back, _ := url.Parse(rec.Header().Get("Location"))
	if back.Query().Get("state") != "st-1" || back.Query().Get("code") == "" {
		t.Fatalf("completion redirect = %q, want the code and state", rec.Header().Get("Location"))
	}
	if err := o.prov.Complete(httptest.NewRecorder(), httptest.NewRequest("POST", "/login", nil), id, o.ada, bs); !errors.Is(err, provider.ErrAuthRequestGone) {
		t.Errorf("second completion = %v, want ErrAuthRequestGone", err)
	}
	return back.Query().Get("code")
}

func (o *server) cliConfig() *oauth2.Config {
	return &oauth2.Config{ClientID: "cli", RedirectURL: "http://127.0.0.1:53682/cb", Scopes: []string{"openid", "offline_access"},
		Endpoint: oauth2.Endpoint{AuthURL: o.url + provider.PathAuthorize, TokenURL: o.url + provider.PathToken, AuthStyle: oauth2.AuthStyleInParams}}
}

func TestAuthorizationCode(t *testing.T) {
	o := newServer(t)
	conf := o.cliConfig()
	verifier := oauth2.GenerateVerifier()
	code := o.authorize(t, conf, verifier)

	other := *conf
	other.ClientID = "other"
	for name, try := range map[string]func() error{
		"wrong verifier": func() error {
			_, err := conf.Exchange(t.Context(), code, oauth2.VerifierOption("wrong-"+verifier))
			return err
		},
		"another client": func() error {
			_, err := other.Exchange(t.Context(), code, oauth2.VerifierOption(verifier))
			return err
		},
		"another redirect URI": func() error {
			moved := *conf
			moved.RedirectURL = "http://127.0.0.1:1/cb"
			_, err := moved.Exchange(t.Context(), code, oauth2.VerifierOption(verifier))
			return err
		},
	} {
		var re *oauth2.RetrieveError
		if err := try(); !errors.As(err, &re) || re.ErrorCode != "invalid_grant" {
			t.Errorf("exchange with %s = %v, want invalid_grant (RFC 6749 §4.1.3)", name, err)
		}
	}
	tok, err := conf.Exchange(t.Context(), code, oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatalf("exchange after wrong presentations: %v (they must not burn the code)", err)
	}
	if tok.RefreshToken == "" || tok.Extra("id_token") == nil {
		t.Errorf("token response = %+v, want a refresh token and an ID token", tok)
	}
	p, err := o.bearer.Verify(t.Context(), tok.AccessToken)
	if err != nil || p.Subject != o.ada.ID || p.ClientID != "cli" || p.SessionID == "" {
		t.Fatalf("access token = %+v, %v; want ada's at cli in a session", p, err)
	}
	if _, err := conf.Exchange(t.Context(), code, oauth2.VerifierOption(verifier)); err == nil {
		t.Error("the code was exchanged twice")
	}
	if _, err := o.bearer.Verify(t.Context(), tok.AccessToken); !errors.Is(err, bearer.ErrInvalidToken) {
		t.Errorf("access token after a code replay: %v, want revoked", err)
	}
}

// login signs ada in at conf's client with the code flow and PKCE.
func (o *server) login(t *testing.T, conf *oauth2.Config) *oauth2.Token {
	t.Helper()
	verifier := oauth2.GenerateVerifier()
	tok, err := conf.Exchange(t.Context(), o.authorize(t, conf, verifier), oauth2.VerifierOption(verifier))
	must(t, err)
	return tok
}

// refresher returns a function that redeems a refresh token at conf's
// client, as an x/oauth2 token source does once its access token expired.
func refresher(t *testing.T, conf *oauth2.Config) func(rt string) (*oauth2.Token, error) {
	return func(rt string) (*oauth2.Token, error) {
		return conf.TokenSource(t.Context(), &oauth2.Token{RefreshToken: rt, Expiry: time.Now().Add(-time.Hour)}).Token()
	}
}

func TestRefreshRotation(t *testing.T) {
	o := newServer(t)
	conf := o.cliConfig()
	tok, refresh := o.login(t, conf), refresher(t, conf)
	next, err := refresh(tok.RefreshToken)
	if err != nil || next.RefreshToken == "" || next.RefreshToken == tok.RefreshToken {
		t.Fatalf("refresh = %+v, %v; want a new refresh token", next, err)
	}
	if _, err := refresh(tok.RefreshToken); err != nil {
		t.Errorf("the old token again within the grace: %v, want reissued (RFC 9700 §4.14.2)", err)
	}
	o.clock.Advance(time.Minute)
	_, err = refresh(tok.RefreshToken)
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) || re.ErrorCode != "invalid_grant" {
		t.Fatalf("the old token after the grace = %v, want invalid_grant", err)
	}
	if _, err := refresh(next.RefreshToken); err == nil || !strings.Contains(err.Error(), "invalid_grant") {
		t.Errorf("the newest token after a reuse = %v, want the whole family revoked", err)
	}
}

// TestRefreshTokensNameTheirSession: a refresh token is "<session id>.<secret>"
// (the store keeps a family's tokens together by it), and the session id in
// it cannot be changed: with another session's id the token is unknown, and
// nothing of either session is used up.
func TestRefreshTokensNameTheirSession(t *testing.T) {
	o := newServer(t)
	conf := o.cliConfig()
	first, second := o.login(t, conf), o.login(t, conf)
	p, err := o.bearer.Verify(t.Context(), first.AccessToken)
	must(t, err)
	session, rest, named := strings.Cut(first.RefreshToken, ".")
	if !named || session != p.SessionID || len(rest) != 43 {
		t.Fatalf("refresh token %q: want %q, a dot and 43 characters of secret", first.RefreshToken, p.SessionID)
	}
	otherSession, _, _ := strings.Cut(second.RefreshToken, ".")
	refresh := refresher(t, conf)
	var re *oauth2.RetrieveError
	if _, err := refresh(otherSession + "." + rest); !errors.As(err, &re) || re.ErrorCode != "invalid_grant" {
		t.Errorf("the secret under another session's id = %v, want invalid_grant", err)
	}
	for _, tok := range []*oauth2.Token{first, second} {
		next, err := refresh(tok.RefreshToken)
		if err != nil || !strings.HasPrefix(next.RefreshToken, strings.SplitN(tok.RefreshToken, ".", 2)[0]+".") {
			t.Errorf("refresh of %q = %+v, %v; want a successor in the same session", tok.RefreshToken, next, err)
		}
	}
}

// TestRefreshTokensFromBeforeTheyNamedTheirSession: a refresh token issued
// before tokens named their session (a bare secret, which migration 14
// listed in legacy_refresh_tokens) still refreshes, into a successor that
// names the session; presented again after the grace it revokes the
// session, and revoking it (RFC 7009) ends its session.
func TestRefreshTokensFromBeforeTheyNamedTheirSession(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hub.db")
	store, err := sqlite.Open(t.Context(), path)
	must(t, err)
	t.Cleanup(func() { store.Close() })
	db, err := sql.Open("sqlite", path)
	must(t, err)
	t.Cleanup(func() { db.Close() })
	o := newServerOn(t, store)
	ctx, now := t.Context(), o.clock.Now()
	issue := func() (string, string) {
		token := secret.New()
		x := storage.Session{ID: secret.ID(), UserID: o.ada.ID, ClientID: "cli", Method: storage.MethodDevice,
			Scopes: []string{"openid"}, AuthTime: now, AMR: []string{"pwd"}, CreatedAt: now, LastUsedAt: now,
			ExpiresAt: now.Add(24 * time.Hour)}
		expires := now.Add(time.Hour)
		must(t, store.CreateSession(ctx, x, storage.RefreshToken{Hash: secret.Hash(token), CreatedAt: now, ExpiresAt: expires}))
		_, err := db.ExecContext(ctx, `INSERT INTO legacy_refresh_tokens (hash, session_id, expires_at) VALUES (?, ?, ?)`,
			secret.Hash(token), x.ID, expires.UnixNano())
		must(t, err)
		return token, x.ID
	}
	revoked := func(session string) bool {
		x, err := store.GetSession(ctx, session)
		must(t, err)
		return !x.RevokedAt.IsZero()
	}
	refresh := refresher(t, o.cliConfig())

	token, session := issue()
	next, err := refresh(token)
	if err != nil || !strings.HasPrefix(next.RefreshToken, session+".") {
		t.Fatalf("refresh of a token from before = %+v, %v; want a successor naming session %s", next, err, session)
	}
	if _, err := refresh(next.RefreshToken); err != nil {
		t.Errorf("refresh of its successor: %v", err)
	}
	o.clock.Advance(time.Minute)
	var re *oauth2.RetrieveError
	if _, err := refresh(token); !errors.As(err, &re) || re.ErrorCode != "invalid_grant" || !revoked(session) {
		t.Errorf("the token from before again after the grace = %v (session revoked: %t), want invalid_grant and revoked", err, revoked(session))
	}

	token, session = issue()
	if status, _, body := o.post(t, provider.PathRevoke, url.Values{"token": {token}, "client_id": {"cli"}}, "", ""); status != http.StatusOK || !revoked(session) {
		t.Errorf("revoking a token from before = %d %v (session revoked: %t), want 200 and revoked", status, body, revoked(session))
	}
}
