// Package authn checks usernames and passwords for every place the hub
// accepts them (the login page, the device page, the NOMAD-compatible token
// endpoint): argon2id on a bounded worker pool, failed logins slowed down per
// user and per address, and every outcome in the audit log.
package authn

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/hubauth/hubauth/internal/names"
	"github.com/hubauth/hubauth/internal/password"
	"github.com/hubauth/hubauth/internal/server/throttle"
	"github.com/hubauth/hubauth/internal/storage"
)

// Errors callers branch on.
var (
	// ErrBadCredentials: unknown user, wrong password or disabled account
	// (deliberately not told apart).
	ErrBadCredentials = errors.New("authn: invalid username or password")
	// ErrBusy: too many logins are being checked; try again shortly.
	ErrBusy = errors.New("authn: too many logins in progress, try again shortly")
	// ErrMalformed: the username is not UTF-8 text. It is the client's
	// mistake, not a failed login: nothing was looked up or counted (and
	// PostgreSQL refuses such text outright).
	ErrMalformed = errors.New("authn: the username is not valid UTF-8 text")
	// ErrPasswordLoginOff: the operator turned password sign-in off
	// (serve --password-login=false); users sign in through an upstream
	// provider. Nothing was looked up or counted.
	ErrPasswordLoginOff = errors.New("authn: password sign-in is turned off on this hub")
)

// ThrottledError says that this user or address failed too often and must
// wait before the next attempt.
type ThrottledError struct{ RetryAfter time.Duration }

func (e *ThrottledError) Error() string {
	return fmt.Sprintf("authn: too many failed logins, try again in %s", throttle.Rounded(e.RetryAfter))
}

// Limits on what is even looked at.
const (
	maxUsername = 256
	maxPassword = 1024
)

// Authenticator checks passwords.
type Authenticator struct {
	Store        storage.Storage
	Hasher       *password.Hasher
	Guard        *throttle.LoginGuard
	FailedLogins prometheus.Counter // may be nil
	Now          func() time.Time
	// PasswordOff refuses every password login with ErrPasswordLoginOff:
	// the one place the rule of a federated-only hub lives, for the login
	// page, the device page and the NOMAD-compatible token endpoint.
	PasswordOff bool
}

// Login checks username and password from address addr. It returns the user,
// ErrBadCredentials, ErrMalformed, ErrBusy, a *ThrottledError,
// ErrPasswordLoginOff, or a storage error.
func (a *Authenticator) Login(ctx context.Context, username, pw, addr string) (storage.User, error) {
	if a.PasswordOff {
		return storage.User{}, ErrPasswordLoginOff
	}
	username = strings.TrimSpace(username)
	if !utf8.ValidString(username) {
		return storage.User{}, ErrMalformed
	}
	if wait := a.Guard.Check(username, addr); wait > 0 {
		return storage.User{}, &ThrottledError{RetryAfter: wait}
	}
	u, ok, err := a.check(ctx, username, pw)
	if err != nil {
		return storage.User{}, err
	}
	if !ok {
		a.Guard.Failed(username, addr)
		a.audit(ctx, storage.AuditEvent{Type: storage.AuditLoginFailed, UserID: u.ID, Address: addr, Detail: "username " + names.Clip(username, names.MaxID)})
		if a.FailedLogins != nil {
			a.FailedLogins.Inc()
		}
		return storage.User{}, ErrBadCredentials
	}
	a.Guard.Succeeded(username, addr)
	a.audit(ctx, storage.AuditEvent{Type: storage.AuditLogin, UserID: u.ID, Address: addr})
	return u, nil
}

// check verifies the password; unknown users cost one dummy hash so timing
// does not tell which usernames exist.
func (a *Authenticator) check(ctx context.Context, username, pw string) (storage.User, bool, error) {
	if username == "" || len(username) > maxUsername || pw == "" || len(pw) > maxPassword {
		return storage.User{}, false, nil
	}
	u, err := a.Store.GetUserByUsername(ctx, username)
	if errors.Is(err, storage.ErrNotFound) || (err == nil && u.PasswordHash == "") {
		return u, false, a.busy(a.Hasher.VerifyDummy(ctx, pw))
	}
	if err != nil {
		return u, false, err
	}
	ok, err := a.Hasher.Verify(ctx, u.PasswordHash, pw)
	if err != nil {
		return u, false, a.busy(err)
	}
	return u, ok && !u.Disabled, nil
}

func (a *Authenticator) busy(err error) error {
	if errors.Is(err, password.ErrBusy) {
		return ErrBusy
	}
	return err
}

func (a *Authenticator) audit(ctx context.Context, e storage.AuditEvent) {
	e.Time = a.Now().UTC()
	_ = a.Store.AppendAudit(ctx, e) // best effort: the login outcome stands
}
