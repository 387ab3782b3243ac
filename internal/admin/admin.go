// Package admin holds the hub's administration rules: which users, groups,
// clients, scopes and upstream identity providers may be created and how
// they change, with the ids and secrets it mints and the audit event of
// every change. It works straight on a storage.Storage, so the admin CLI
// and web pages share one place for each rule.
package admin

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hubauth/hubauth/internal/storage"
)

// ErrInvalid is wrapped by every error about the input of a change (a name,
// an address, a grant type …): a caller's mistake, not the hub's.
var ErrInvalid = errors.New("invalid input")

// Admin makes administrators' changes to the hub's database.
type Admin struct {
	store storage.Storage
	now   func() time.Time
	hash  func(ctx context.Context, pw string) (string, error)
}

// New returns an Admin over store. now stamps what it creates and audits;
// hash turns a password into what is stored (argon2id): AddUser and
// SetPassword call it.
func New(store storage.Storage, now func() time.Time, hash func(ctx context.Context, pw string) (string, error)) *Admin {
	return &Admin{store: store, now: now, hash: hash}
}

// audit appends the audit event of an administrator's change: of type
// e.Type when the change has its own (storage.AuditIdentityLinked and
// AuditIdentityUnlinked, which a user's own changes share), else
// storage.AuditAdmin. e.Detail says what changed and never holds a secret.
func (a *Admin) audit(ctx context.Context, e storage.AuditEvent) error {
	if e.Type == "" {
		e.Type = storage.AuditAdmin
	}
	e.Time = a.now().UTC()
	if err := a.store.AppendAudit(ctx, e); err != nil {
		return fmt.Errorf("write audit event: %w", err)
	}
	return nil
}

// adminError is an error whose message is written for the operator and
// which still matches its causes with errors.Is.
type adminError struct {
	msg    string
	causes []error
}

func (e *adminError) Error() string   { return e.msg }
func (e *adminError) Unwrap() []error { return e.causes }

// invalid marks err (nil stays nil) as a mistake in the input: ErrInvalid.
func invalid(err error) error {
	if err == nil {
		return nil
	}
	return &adminError{msg: err.Error(), causes: []error{ErrInvalid, err}}
}

// describe turns the storage sentinels into messages about the object:
// `no user "x"`, `user "x" already exists`, which still match
// storage.ErrNotFound and storage.ErrAlreadyExists. Other errors pass
// unchanged.
func describe(err error, kind, name string) error {
	switch {
	case errors.Is(err, storage.ErrNotFound):
		return &adminError{msg: fmt.Sprintf("no %s %q", kind, name), causes: []error{err}}
	case errors.Is(err, storage.ErrAlreadyExists):
		return &adminError{msg: fmt.Sprintf("%s %q already exists", kind, name), causes: []error{err}}
	}
	return err
}
