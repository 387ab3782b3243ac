package mfa

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/hubauth/hubauth/internal/storage"
)

// ListPasskeys lists u's passkeys, oldest first.
func (s *Service) ListPasskeys(ctx context.Context, u storage.User) ([]storage.Passkey, error) {
	keys, err := s.cfg.Store.ListPasskeys(ctx, u.ID)
	if err != nil {
		return nil, fmt.Errorf("mfa: %w", err)
	}
	return keys, nil
}

// RenamePasskey renames u's passkey id; ErrPasskeyName for a bad name,
// ErrNoFactor when u has no such passkey.
func (s *Service) RenamePasskey(ctx context.Context, u storage.User, id, name string) error {
	name, err := CheckPasskeyName(name)
	if err != nil {
		return err
	}
	err = s.cfg.Store.RenamePasskey(ctx, u.ID, id, name)
	if errors.Is(err, storage.ErrNotFound) {
		return ErrNoFactor
	}
	if err != nil {
		return fmt.Errorf("mfa: %w", err)
	}
	return nil
}

// RemovePasskey removes u's passkey id, unless it is u's last second
// factor and the policy requires one (ErrRequired); ErrNoFactor when u
// has no such passkey. The recovery codes go with the last factor. by
// says who asked, for the audit log.
func (s *Service) RemovePasskey(ctx context.Context, u storage.User, id, addr, by string) error {
	keys, err := s.ListPasskeys(ctx, u)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(keys, func(k storage.Passkey) bool { return k.ID == id })
	if i < 0 {
		return ErrNoFactor
	}
	return s.removeFactor(ctx, u, storage.FactorPasskey, id, addr, "passkey "+keys[i].Name, by)
}

// removeFactor is the one rule on removing a second factor (what names
// it): the store counts and removes in one transaction, so that of
// removals at once (other tabs, other nodes) none takes the last factor
// of a user the policy requires one of (ErrRequired, audited), and the
// recovery codes go with the last factor.
func (s *Service) removeFactor(ctx context.Context, u storage.User, kind, id, addr, what, by string) error {
	err := s.cfg.Store.DeleteFactorUnlessLast(ctx, u.ID, kind, id, s.cfg.Policy.Requires(u))
	switch {
	case errors.Is(err, storage.ErrNotFound):
		return ErrNoFactor
	case errors.Is(err, storage.ErrLastFactor):
		s.audit(ctx, storage.AuditEvent{Type: storage.AuditMFAFailed, UserID: u.ID, Address: addr,
			Detail: what + " removal refused: the policy requires a second factor"})
		return ErrRequired
	case err != nil:
		return fmt.Errorf("mfa: %w", err)
	}
	s.audit(ctx, storage.AuditEvent{Type: storage.AuditMFARemoved, UserID: u.ID, Address: addr, Detail: what + ", by " + by})
	return nil
}
