package jsonapi_test

import (
	"bytes"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/hubauth/hubauth/internal/hubtest"
	"github.com/hubauth/hubauth/internal/server/bearer"
	"github.com/hubauth/hubauth/internal/server/jsonapi"
	"github.com/hubauth/hubauth/internal/server/keys"
	"github.com/hubauth/hubauth/internal/storage"
)

func TestAuthenticate(t *testing.T) {
	store := hubtest.SQLite(t)
	ring := keys.NewKeyring(store, time.Hour, time.Minute, time.Now)
	if err := ring.EnsureActive(t.Context()); err != nil {
		t.Fatal(err)
	}
	v := bearer.NewVerifier("https://hub.example", ring, store, time.Now)
	if err := store.CreateUser(t.Context(), storage.User{ID: "u-ada", Username: "ada", CreatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	token, _ := hubtest.StorePersonalToken(t, store, "u-ada", "laptop", []string{"tokens:read"}, time.Hour, time.Now())
	// A token not checked before: one checked within bearer.VerifiedTTL is
	// answered from the verifier's cache, database or not.
	unseen, _ := hubtest.StorePersonalToken(t, store, "u-ada", "notebook", []string{"tokens:read"}, time.Hour, time.Now())

	for _, tc := range []struct {
		name, authorization string
		closeStore          bool
		ok                  bool
		status              int
		challenge, code     string
	}{
		{name: "personal token", authorization: "Bearer " + token, ok: true},
		{name: "no token (RFC 6750 §3.1: no error code)", status: 401, challenge: `Bearer realm="hubauth"`, code: "invalid_token"},
		{name: "basic credentials", authorization: "Basic YTpi", status: 401, challenge: `Bearer realm="hubauth"`, code: "invalid_token"},
		{
			name: "invalid token", authorization: "Bearer " + bearer.PersonalTokenPrefix + "nope", status: 401, code: "invalid_token",
			challenge: `Bearer realm="hubauth", error="invalid_token", error_description="the token is invalid, expired or revoked"`,
		},
		{name: "database away", authorization: "Bearer " + unseen, closeStore: true, status: 503, code: "temporarily_unavailable"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.closeStore {
				store.Close()
			}
			r := httptest.NewRequest("GET", "/api/v1/users/me", nil)
			if tc.authorization != "" {
				r.Header.Set("Authorization", tc.authorization)
			}
			rec := httptest.NewRecorder()
			var logs bytes.Buffer
			p, ok := jsonapi.Authenticate(v, slog.New(slog.NewTextHandler(&logs, nil)), rec, r)
			if ok != tc.ok {
				t.Fatalf("Authenticate ok = %v, want %v (answer %d %s)", ok, tc.ok, rec.Code, rec.Body)
			}
			if ok {
				if p.Subject != "u-ada" || rec.Body.Len() != 0 {
					t.Errorf("principal %q, body %q; want u-ada and nothing written", p.Subject, rec.Body)
				}
				return
			}
			a := read(t, rec)
			if a.Status != tc.status || a.Body["error"] != tc.code {
				t.Errorf("answer = %d %q, want %d %q", a.Status, a.Body["error"], tc.status, tc.code)
			}
			if got := a.Header.Get("WWW-Authenticate"); got != tc.challenge {
				t.Errorf("WWW-Authenticate = %q, want %q", got, tc.challenge)
			}
			if strings.Contains(rec.Body.String()+logs.String(), token) || strings.Contains(rec.Body.String()+logs.String(), unseen) {
				t.Error("the token is in the answer or the log")
			}
		})
	}
}
