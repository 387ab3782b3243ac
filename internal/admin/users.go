package admin

import (
	"context"
	"fmt"
	"net/mail"

	"github.com/hubauth/hubauth/internal/names"
	"github.com/hubauth/hubauth/internal/secret"
	"github.com/hubauth/hubauth/internal/storage"
)

// NewUser is a user to add.
type NewUser struct {
	Username string
	Name     string // full name
	Email    string // "" for none
	Admin    bool   // a hub administrator
}

// Check validates the username, the name and the e-mail address.
func (n NewUser) Check() error {
	if err := names.CheckID("username", n.Username); err != nil {
		return invalid(err)
	}
	if err := names.CheckText("--name", n.Name); err != nil {
		return invalid(err)
	}
	return invalid(checkEmail(n.Email))
}

// CheckEmail checks an e-mail address by the rule of NewUser.Check: ""
// (none) or a bare address; an ErrInvalid error otherwise. Upstream
// sign-in keeps only the addresses it accepts.
func CheckEmail(email string) error { return invalid(checkEmail(email)) }

// checkEmail accepts "" (no address) or a bare address.
func checkEmail(email string) error {
	if email == "" {
		return nil
	}
	a, err := mail.ParseAddress(email)
	if err != nil || a.Address != email {
		return fmt.Errorf("invalid e-mail address %q", email)
	}
	return nil
}

// AddUser adds a user with password pw under a new id, and audits it.
func (a *Admin) AddUser(ctx context.Context, n NewUser, pw string) (storage.User, error) {
	if err := n.Check(); err != nil {
		return storage.User{}, err
	}
	hash, err := a.hash(ctx, pw)
	if err != nil {
		return storage.User{}, fmt.Errorf("hash password: %w", err)
	}
	u := storage.User{
		ID:            secret.ID(),
		Username:      n.Username,
		Name:          n.Name,
		Email:         n.Email,
		EmailVerified: n.Email != "", // an address an administrator sets counts as verified
		PasswordHash:  hash,
		Admin:         n.Admin,
		CreatedAt:     a.now().UTC(),
	}
	if err := a.store.CreateUser(ctx, u); err != nil {
		return u, describe(err, "user", u.Username)
	}
	detail := "add user " + u.Username
	if u.Admin {
		detail += " (admin)"
	}
	return u, a.audit(ctx, storage.AuditEvent{UserID: u.ID, Detail: detail})
}

// SetUserDisabled disables a user (they cannot log in, and the tokens of
// their sessions stop working) or enables them again, and audits it.
func (a *Admin) SetUserDisabled(ctx context.Context, username string, disabled bool) error {
	id, err := a.updateUser(ctx, username, func(u storage.User) storage.User {
		u.Disabled = disabled
		return u
	})
	if err != nil {
		return err
	}
	verb := map[bool]string{true: "disable", false: "enable"}[disabled]
	return a.audit(ctx, storage.AuditEvent{UserID: id, Detail: verb + " user " + username})
}

// updateUser applies change to the user with this username and returns the
// user's id.
func (a *Admin) updateUser(ctx context.Context, username string, change func(storage.User) storage.User) (string, error) {
	u, err := a.store.GetUserByUsername(ctx, username)
	if err != nil {
		return "", describe(err, "user", username)
	}
	err = a.store.UpdateUser(ctx, u.ID, func(old storage.User) (storage.User, error) {
		return change(old), nil
	})
	return u.ID, describe(err, "user", username)
}
