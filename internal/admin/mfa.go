package admin

import (
	"context"
	"errors"
	"fmt"

	"github.com/hubauth/hubauth/internal/storage"
)

// ErrNoSecondFactor: ResetMFA found no second factor to remove.
var ErrNoSecondFactor = errors.New("admin: the user has no second factor")

// ResetMFA removes a user's second factors (the authenticator app, the
// passkeys and the recovery codes), for a user who lost them: at the next
// sign-in the password alone passes, or, where the hub requires a second
// factor, the user sets up a new one right after it. They go together
// (one transaction) or not at all. It is audited, first;
// ErrNoSecondFactor when there was none.
func (a *Admin) ResetMFA(ctx context.Context, username string) error {
	u, err := a.store.GetUserByUsername(ctx, username)
	if err != nil {
		return describe(err, "user", username)
	}
	f, err := a.store.GetSecondFactors(ctx, u.ID)
	if err != nil {
		return describe(err, "user", username)
	}
	_, terr := a.store.GetTOTP(ctx, u.ID) // a pending set-up goes too
	if !f.Any() && f.RecoveryCodes == 0 && errors.Is(terr, storage.ErrNotFound) {
		return ErrNoSecondFactor
	}
	// Audited first: a removal is never without its record (a removal
	// that then fails leaves a record of the attempt, not a silent one).
	if err := a.audit(ctx, storage.AuditEvent{Type: storage.AuditMFARemoved, UserID: u.ID,
		Detail: fmt.Sprintf("totp, %d passkeys and recovery codes of %s, by an administrator (admin user reset-mfa)", f.Passkeys, username)}); err != nil {
		return err
	}
	return describe(a.store.DeleteSecondFactors(ctx, u.ID), "user", username)
}

// ListUsersWithFactors lists every user and their second factors, by
// user id.
func (a *Admin) ListUsersWithFactors(ctx context.Context) ([]storage.User, map[string]storage.SecondFactors, error) {
	users, err := a.store.ListUsers(ctx)
	if err != nil {
		return nil, nil, err
	}
	out := make(map[string]storage.SecondFactors, len(users))
	for _, u := range users {
		f, err := a.store.GetSecondFactors(ctx, u.ID)
		if err != nil {
			return nil, nil, err
		}
		out[u.ID] = f
	}
	return users, out, nil
}

// FactorNames lists the kinds of second factors of f as admin user list
// shows them: "totp" and "passkey" (one or more).
func FactorNames(f storage.SecondFactors) []string {
	out := []string{}
	if f.TOTP {
		out = append(out, "totp")
	}
	if f.Passkeys > 0 {
		out = append(out, "passkey")
	}
	return out
}
