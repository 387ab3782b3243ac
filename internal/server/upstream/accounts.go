package upstream

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/hubauth/hubauth/internal/storage"
)

// SignIn finds the hub user of id, or links id by a verified e-mail
// address (the provider's LinkVerifiedEmail), or provisions a user
// (ProvisionAuto: a unique valid username, generated when the claims make
// none; races resolved by retrying). A disabled user gives
// ErrUserDisabled, an unknown identity of a provider that does not
// provision ErrNoAccount, both audited. It then refreshes the user's name,
// e-mail and groups under GroupsPrefix, touches the identity and audits
// AuditUpstreamLogin.
func (f *Federation) SignIn(ctx context.Context, id Identity, addr string) (storage.User, error) {
	u, err := f.account(ctx, id, addr)
	if err == nil && u.Disabled {
		err = fail(ErrUserDisabled, "user "+u.Username+" disabled", nil)
	}
	if err != nil {
		f.auditFailure(ctx, id.Provider.Name, u.ID, addr, err)
		return storage.User{}, err
	}
	if u, err = f.refresh(ctx, u, id); err != nil {
		return storage.User{}, err
	}
	if err := f.cfg.Store.TouchUserIdentity(ctx, id.Provider.Name, id.Subject, f.now().UTC()); err != nil {
		return storage.User{}, fmt.Errorf("upstream: touch identity: %w", err)
	}
	f.audit(ctx, storage.AuditUpstreamLogin, u.ID, addr, id.Provider.Name)
	return u, nil
}

// account returns the user id signs in as: linked already, linked now by
// verified e-mail, or provisioned.
func (f *Federation) account(ctx context.Context, id Identity, addr string) (storage.User, error) {
	u, err := f.linkedUser(ctx, id)
	if !errors.Is(err, storage.ErrNotFound) {
		return u, err
	}
	if u, ok, err := f.linkByEmail(ctx, id, addr); ok || err != nil {
		return u, err
	}
	if id.Provider.Provision != storage.ProvisionAuto {
		return storage.User{}, fail(ErrNoAccount, "no account for subject "+id.Subject, nil)
	}
	return f.provision(ctx, id, addr)
}

// linkedUser returns the user id is linked to: storage.ErrNotFound when
// it is linked to no one.
func (f *Federation) linkedUser(ctx context.Context, id Identity) (storage.User, error) {
	ui, err := f.cfg.Store.GetUserIdentity(ctx, id.Provider.Name, id.Subject)
	if err != nil {
		return storage.User{}, err
	}
	u, err := f.cfg.Store.GetUser(ctx, ui.UserID)
	if err != nil {
		return u, fmt.Errorf("upstream: user of identity: %w", err)
	}
	return u, nil
}

// linkByEmail links id to the one user whose verified e-mail address is
// id's, when the provider links by e-mail and asserts the address
// verified. Several such users link nothing (ok false), nor does one that
// is disabled, an administrator, or linked to the provider already (under
// another subject): those are never taken over by an address.
func (f *Federation) linkByEmail(ctx context.Context, id Identity, addr string) (storage.User, bool, error) {
	if !id.Provider.LinkVerifiedEmail || !id.EmailVerified || id.Email == "" {
		return storage.User{}, false, nil
	}
	u, ok, err := f.emailOwner(ctx, id)
	if !ok || err != nil {
		return storage.User{}, false, err
	}
	err = f.cfg.Store.CreateUserIdentity(ctx, f.userIdentity(id, u.ID))
	if errors.Is(err, storage.ErrAlreadyExists) { // a concurrent sign-in linked it
		u, err = f.linkedUser(ctx, id)
		return u, err == nil, err
	}
	if err != nil {
		return storage.User{}, false, fmt.Errorf("upstream: link identity: %w", err)
	}
	f.audit(ctx, storage.AuditIdentityLinked, u.ID, addr, "provider "+id.Provider.Name+" (verified e-mail address)")
	return u, true, nil
}

// emailOwner returns the user id may be linked to by e-mail: the only one
// whose address is id's and verified, when linkByEmail may take it.
func (f *Federation) emailOwner(ctx context.Context, id Identity) (storage.User, bool, error) {
	users, err := f.cfg.Store.GetUsersByEmail(ctx, id.Email)
	if err != nil {
		return storage.User{}, false, fmt.Errorf("upstream: users by e-mail: %w", err)
	}
	users = slices.DeleteFunc(users, func(u storage.User) bool { return !u.EmailVerified })
	if len(users) != 1 || users[0].Disabled || users[0].Admin {
		return storage.User{}, false, nil
	}
	ids, err := f.cfg.Store.ListUserIdentities(ctx, users[0].ID)
	if err != nil {
		return storage.User{}, false, fmt.Errorf("upstream: identities of user: %w", err)
	}
	for _, ui := range ids {
		if ui.Provider == id.Provider.Name {
			return storage.User{}, false, nil
		}
	}
	return users[0], true, nil
}

// userIdentity is the link of id to user userID, created now.
func (f *Federation) userIdentity(id Identity, userID string) storage.UserIdentity {
	return storage.UserIdentity{Provider: id.Provider.Name, Subject: id.Subject, UserID: userID, CreatedAt: f.now().UTC()}
}

// Link links id to u (the account page's "Link ORCID"): ErrLinkedElsewhere
// when it belongs to another user; already u's: no error. Audited.
func (f *Federation) Link(ctx context.Context, u storage.User, id Identity, addr string) error {
	err := f.cfg.Store.CreateUserIdentity(ctx, f.userIdentity(id, u.ID))
	if errors.Is(err, storage.ErrAlreadyExists) {
		ui, gerr := f.cfg.Store.GetUserIdentity(ctx, id.Provider.Name, id.Subject)
		switch {
		case gerr != nil:
			return fmt.Errorf("upstream: link identity: %w", gerr)
		case ui.UserID == u.ID:
			return nil
		}
		f.auditFailure(ctx, id.Provider.Name, u.ID, addr, fail(ErrLinkedElsewhere, "link: identity of another user", nil))
		return ErrLinkedElsewhere
	}
	if err != nil {
		return fmt.Errorf("upstream: link identity: %w", err)
	}
	f.audit(ctx, storage.AuditIdentityLinked, u.ID, addr, "provider "+id.Provider.Name)
	return nil
}

// Unlink unlinks u's identity (provider, subject): storage.ErrLastSignIn
// when it is u's last way to sign in (storage.CheckUnlink),
// storage.ErrNotFound when u has no such identity. Audited.
func (f *Federation) Unlink(ctx context.Context, u storage.User, provider, subject, addr string) error {
	err := storage.UnlinkIdentity(ctx, f.cfg.Store, u.ID, provider, subject, !f.cfg.PasswordOff)
	if err != nil {
		return fmt.Errorf("upstream: unlink identity: %w", err)
	}
	f.audit(ctx, storage.AuditIdentityUnlinked, u.ID, addr, "provider "+provider)
	return nil
}
