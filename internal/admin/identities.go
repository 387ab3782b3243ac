package admin

import (
	"context"
	"errors"
	"fmt"

	"github.com/hubauth/hubauth/internal/names"
	"github.com/hubauth/hubauth/internal/storage"
)

// MaxSubject is the longest upstream subject, in bytes: OpenID Connect
// Core §2 bounds sub to 255 ASCII characters.
const MaxSubject = 255

// CheckSubject checks an upstream subject (the sub claim) an administrator
// gives: 1 to MaxSubject bytes of text without an unsafe character.
func CheckSubject(sub string) error {
	if sub == "" || len(sub) > MaxSubject {
		return invalid(fmt.Errorf("invalid --subject: give the upstream's sub claim, 1 to %d bytes", MaxSubject))
	}
	return invalid(names.CheckText("--subject", sub))
}

// LinkUserIdentity links the identity (provider, subject) to the user with
// this username, so that whoever signs in at the provider as subject signs
// in to the hub as that user (a provider with provisioning off needs it).
// It is audited as storage.AuditIdentityLinked. The user and the provider
// must exist; an identity linked already, to this user or another, is an
// error naming the user, matching storage.ErrAlreadyExists.
func (a *Admin) LinkUserIdentity(ctx context.Context, username, provider, subject string) (storage.UserIdentity, error) {
	if err := CheckSubject(subject); err != nil {
		return storage.UserIdentity{}, err
	}
	u, err := a.user(ctx, username)
	if err != nil {
		return storage.UserIdentity{}, err
	}
	if _, err := GetIdentityProvider(ctx, a.store, provider); err != nil {
		return storage.UserIdentity{}, err
	}
	id := storage.UserIdentity{Provider: provider, Subject: subject, UserID: u.ID, CreatedAt: a.now().UTC()}
	err = a.store.CreateUserIdentity(ctx, id)
	switch {
	case errors.Is(err, storage.ErrAlreadyExists):
		return id, a.linkedAlready(ctx, err, provider, subject)
	case errors.Is(err, storage.ErrNotFound): // removed meanwhile
		return id, &adminError{msg: fmt.Sprintf("no user %q or no identity provider %q", username, provider), causes: []error{err}}
	case err != nil:
		return id, err
	}
	return id, a.audit(ctx, storage.AuditEvent{Type: storage.AuditIdentityLinked, UserID: u.ID,
		Detail: fmt.Sprintf("administrator linked identity %s of identity provider %s to user %s", names.Quote(subject), provider, u.Username)})
}

// linkedAlready is the error of a link refused because the identity is
// linked already: it names the user it belongs to.
func (a *Admin) linkedAlready(ctx context.Context, cause error, provider, subject string) error {
	owner := "another user"
	if id, err := a.store.GetUserIdentity(ctx, provider, subject); err == nil {
		if u, err := a.store.GetUser(ctx, id.UserID); err == nil {
			owner = fmt.Sprintf("user %q", u.Username)
		}
	}
	return &adminError{msg: fmt.Sprintf("identity %s of identity provider %q is already linked to %s", names.Quote(subject), provider, owner),
		causes: []error{cause}}
}

// UnlinkUserIdentity unlinks the identity (provider, subject) from the user
// with this username, and audits it as storage.AuditIdentityUnlinked. An
// administrator cannot leave a user without a way to sign in either: the
// last identity of a user without a password, or whose other identities
// are of disabled providers, stays (storage.CheckUnlink), with an error
// matching storage.ErrLastSignIn. A password counts: the administrator's
// tool reads the database and cannot know whether the servers run with
// password sign-in off (the account page's unlink knows, and does not
// count it then).
func (a *Admin) UnlinkUserIdentity(ctx context.Context, username, provider, subject string) error {
	u, err := a.user(ctx, username)
	if err != nil {
		return err
	}
	err = storage.UnlinkIdentity(ctx, a.store, u.ID, provider, subject, true)
	switch {
	case errors.Is(err, storage.ErrLastSignIn):
		return &adminError{msg: fmt.Sprintf("identity %s of identity provider %q is the last way user %q can sign in (no password, no other identity of an enabled provider): "+
			"set a password (admin user set-password) or link another identity first", names.Quote(subject), provider, u.Username), causes: []error{err}}
	case errors.Is(err, storage.ErrNotFound):
		return &adminError{msg: fmt.Sprintf("user %q has no identity %s of identity provider %q", u.Username, names.Quote(subject), provider), causes: []error{err}}
	case err != nil:
		return err
	}
	return a.audit(ctx, storage.AuditEvent{Type: storage.AuditIdentityUnlinked, UserID: u.ID,
		Detail: fmt.Sprintf("administrator unlinked identity %s of identity provider %s from user %s", names.Quote(subject), provider, u.Username)})
}

// ListUserIdentities returns the identities linked to the user with this
// username, sorted by provider then subject.
func (a *Admin) ListUserIdentities(ctx context.Context, username string) ([]storage.UserIdentity, error) {
	u, err := a.user(ctx, username)
	if err != nil {
		return nil, err
	}
	return a.store.ListUserIdentities(ctx, u.ID)
}
