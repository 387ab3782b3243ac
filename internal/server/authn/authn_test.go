package authn_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/hubauth/hubauth/internal/hubtest"
	"github.com/hubauth/hubauth/internal/password"
	"github.com/hubauth/hubauth/internal/server/authn"
	"github.com/hubauth/hubauth/internal/server/throttle"
	"github.com/hubauth/hubauth/internal/storage"
	"github.com/hubauth/hubauth/internal/storage/sqlite"
)

const (
	secretPassword = "correct horse battery staple"
	addr           = "192.0.2.7"
)

type fixture struct {
	store  *sqlite.Store
	clock  *hubtest.Clock
	hasher *password.Hasher
	auth   *authn.Authenticator
	reg    *prometheus.Registry
}

// newFixture returns an authenticator over a real store with users ada
// (password secretPassword), bob (disabled, same password) and carol (no
// password), throttling after two free failures.
func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{store: hubtest.SQLite(t), clock: &hubtest.Clock{Base: time.Now()}, hasher: password.NewHasher(password.TestParams, 1, 0)}
	t.Cleanup(f.hasher.Close)
	f.auth = &authn.Authenticator{
		Store: f.store, Hasher: f.hasher, Now: f.clock.Now,
		Guard:        throttle.NewLoginGuard(throttle.LoginGuardConfig{FreeFailures: 2, Now: f.clock.Now}),
		FailedLogins: prometheus.NewCounter(prometheus.CounterOpts{Name: "failed"}),
	}
	f.reg = prometheus.NewRegistry()
	f.reg.MustRegister(f.auth.FailedLogins)
	hash, err := f.hasher.Hash(t.Context(), secretPassword)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []storage.User{
		{ID: "u-ada", Username: "ada", PasswordHash: hash},
		{ID: "u-bob", Username: "bob", PasswordHash: hash, Disabled: true},
		{ID: "u-carol", Username: "carol"},
	} {
		u.CreatedAt = f.clock.Now()
		if err := f.store.CreateUser(t.Context(), u); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

func (f *fixture) audit(t *testing.T) []storage.AuditEvent {
	t.Helper()
	list, err := f.store.ListAudit(t.Context(), 100)
	if err != nil {
		t.Fatal(err)
	}
	return list
}

func (f *fixture) failedLogins(t *testing.T) float64 {
	t.Helper()
	families, err := f.reg.Gather()
	if err != nil || len(families) != 1 {
		t.Fatalf("gather = %v, %v", families, err)
	}
	return families[0].GetMetric()[0].GetCounter().GetValue()
}

func TestLogin(t *testing.T) {
	for _, tc := range []struct {
		name, username, password string
		wantUser                 string // empty: ErrBadCredentials
		auditUser                string
	}{
		{name: "good password", username: "ada", password: secretPassword, wantUser: "u-ada", auditUser: "u-ada"},
		{name: "username with surrounding spaces", username: " ada\t", password: secretPassword, wantUser: "u-ada", auditUser: "u-ada"},
		{name: "wrong password", username: "ada", password: "Correct horse battery staple", auditUser: "u-ada"},
		{name: "unknown user", username: "mallory", password: secretPassword},
		{name: "disabled user", username: "bob", password: secretPassword, auditUser: "u-bob"},
		{name: "user without a password", username: "carol", password: secretPassword, auditUser: "u-carol"},
		{name: "empty password", username: "ada", password: ""},
		{name: "empty username", username: "  ", password: secretPassword},
		{name: "password too long", username: "ada", password: strings.Repeat("x", 1025)},
		{name: "username too long", username: strings.Repeat("a", 257), password: secretPassword},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			u, err := f.auth.Login(t.Context(), tc.username, tc.password, addr)
			wantType := "login"
			if tc.wantUser == "" {
				wantType = "login_failed"
				if !errors.Is(err, authn.ErrBadCredentials) {
					t.Fatalf("Login = %+v, %v; want ErrBadCredentials", u, err)
				}
				if got := f.failedLogins(t); got != 1 {
					t.Errorf("failed logins counted = %v, want 1", got)
				}
			} else if err != nil || u.ID != tc.wantUser {
				t.Fatalf("Login = %q, %v; want %q", u.ID, err, tc.wantUser)
			}
			events := f.audit(t)
			if len(events) != 1 {
				t.Fatalf("audit = %+v, want one event", events)
			}
			e := events[0]
			if e.Type != wantType || e.UserID != tc.auditUser || e.Address != addr || e.Time.IsZero() {
				t.Errorf("audit event = %+v, want %s of %q from %s", e, wantType, tc.auditUser, addr)
			}
			if strings.Contains(e.Detail, secretPassword) || len(e.Detail) > 300 {
				t.Errorf("audit detail %q holds the password or is unbounded", e.Detail)
			}
		})
	}
}

// TestLoginUnknownUserCostsAHash checks that an unknown user, and a user
// without a password, cost one hash like a wrong password does, so the time
// of the answer does not tell which usernames exist: with the hasher
// stopped, the hash's error comes back instead of ErrBadCredentials.
func TestLoginUnknownUserCostsAHash(t *testing.T) {
	for _, username := range []string{"ada", "mallory", "carol"} {
		t.Run(username, func(t *testing.T) {
			f := newFixture(t)
			f.hasher.Close()
			_, err := f.auth.Login(t.Context(), username, "guess", addr)
			if !errors.Is(err, password.ErrClosed) {
				t.Errorf("Login with the hasher stopped = %v, want its ErrClosed (a hash was asked for)", err)
			}
		})
	}
}

func TestLoginMalformed(t *testing.T) {
	f := newFixture(t)
	for range 5 {
		if _, err := f.auth.Login(t.Context(), "ada\xff", secretPassword, addr); !errors.Is(err, authn.ErrMalformed) {
			t.Fatalf("Login of a non-UTF-8 username = %v, want ErrMalformed", err)
		}
	}
	if events := f.audit(t); len(events) != 0 {
		t.Errorf("audit after malformed logins = %+v, want none", events)
	}
	if _, err := f.auth.Login(t.Context(), "ada", secretPassword, addr); err != nil {
		t.Errorf("good login after malformed ones = %v, want no throttling (nothing was counted)", err)
	}
}

func TestLoginThrottled(t *testing.T) {
	f := newFixture(t)
	for i := range 2 {
		if _, err := f.auth.Login(t.Context(), "ada", "wrong", addr); !errors.Is(err, authn.ErrBadCredentials) {
			t.Fatalf("failure %d = %v, want ErrBadCredentials", i+1, err)
		}
	}
	f.auth.Login(t.Context(), "ada", "wrong", addr) // the first delayed failure
	_, err := f.auth.Login(t.Context(), "ada", secretPassword, addr)
	var te *authn.ThrottledError
	if !errors.As(err, &te) || te.RetryAfter <= 0 || te.RetryAfter > time.Minute {
		t.Fatalf("right password right after failures = %v, want a ThrottledError", err)
	}
	if !strings.Contains(te.Error(), "try again in") {
		t.Errorf("message %q does not say when to try again", te.Error())
	}
	f.clock.Advance(te.RetryAfter - 300*time.Millisecond) // 0.3 s left: the message says 1 s, as Retry-After does
	if _, err := f.auth.Login(t.Context(), "ada", secretPassword, addr); !errors.As(err, &te) || !strings.Contains(te.Error(), "try again in 1s") {
		t.Errorf("with 0.3 s left = %v, want a ThrottledError saying 1 s", err)
	}
	if _, err := f.auth.Login(t.Context(), "ada", secretPassword, "198.51.100.1"); err != nil {
		t.Errorf("the same user from another address = %v, want let in", err)
	}
	f.clock.Advance(te.RetryAfter)
	if _, err := f.auth.Login(t.Context(), "ada", secretPassword, addr); err != nil {
		t.Errorf("after the wait = %v, want let in", err)
	}
}

// With password sign-in off, even the right password is refused with
// ErrPasswordLoginOff, and nothing is audited or counted against the user.
func TestLoginPasswordOff(t *testing.T) {
	f := newFixture(t)
	f.auth.PasswordOff = true
	for _, pw := range []string{secretPassword, "wrong"} {
		if _, err := f.auth.Login(t.Context(), "ada", pw, addr); !errors.Is(err, authn.ErrPasswordLoginOff) {
			t.Fatalf("Login with password sign-in off = %v, want ErrPasswordLoginOff", err)
		}
	}
	if events := f.audit(t); len(events) != 0 {
		t.Errorf("audit after refused logins = %+v, want none", events)
	}
	f.auth.PasswordOff = false
	if _, err := f.auth.Login(t.Context(), "ada", secretPassword, addr); err != nil {
		t.Errorf("Login with password sign-in on again = %v, want let in", err)
	}
}
