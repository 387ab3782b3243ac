package mfa

import (
	"context"
	"errors"
	"fmt"

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
// has no such passkey. A removal that raced another one to the last
// factor is undone (undoIfLast). The recovery codes go with the last
// factor. by says who asked, for the audit log.
func (s *Service) RemovePasskey(ctx context.Context, u storage.User, id, addr, by string) error {
	keys, err := s.ListPasskeys(ctx, u)
	if err != nil {
		return err
	}
	var key storage.Passkey
	for _, k := range keys {
		if k.ID == id {
			key = k
		}
	}
	if key.ID == "" {
		return ErrNoFactor
	}
	name := key.Name
	f, err := s.Factors(ctx, u)
	if err != nil {
		return fmt.Errorf("mfa: %w", err)
	}
	if err := s.keepLast(ctx, u, f, addr, "passkey "+name); err != nil {
		return err
	}
	err = s.cfg.Store.DeletePasskey(ctx, u.ID, id)
	if errors.Is(err, storage.ErrNotFound) {
		return ErrNoFactor
	}
	if err != nil {
		return fmt.Errorf("mfa: %w", err)
	}
	if err := s.undoIfLast(ctx, u, key, addr); err != nil {
		return err
	}
	if f.Count() == 1 && f.RecoveryCodes > 0 {
		// Recovery codes stand in for a factor; with none left they go.
		if err := s.cfg.Store.ReplaceRecoveryCodes(ctx, u.ID, nil, s.now()); err != nil {
			return fmt.Errorf("mfa: %w", err)
		}
	}
	s.audit(ctx, storage.AuditEvent{Type: storage.AuditMFARemoved, UserID: u.ID, Address: addr, Detail: "passkey " + name + ", by " + by})
	return nil
}

// undoIfLast puts back passkey key, just deleted, when another removal
// at the same moment (another node, another tab) took u's other factor
// and the policy requires one: keepLast checked before both deleted.
func (s *Service) undoIfLast(ctx context.Context, u storage.User, key storage.Passkey, addr string) error {
	if !s.cfg.Policy.Requires(u) {
		return nil
	}
	f, err := s.Factors(ctx, u)
	if err != nil {
		return fmt.Errorf("mfa: %w", err)
	}
	if f.Any() {
		return nil
	}
	if err := s.cfg.Store.CreatePasskey(ctx, key); err != nil {
		return fmt.Errorf("mfa: put back passkey %s: %w", key.Name, err)
	}
	return s.keepLast(ctx, u, f, addr, "passkey "+key.Name)
}

// keepLast is the one rule on removing a second factor: the last one of
// a user the policy requires one of stays (ErrRequired, audited). f is
// what u has now, what names the factor to remove.
func (s *Service) keepLast(ctx context.Context, u storage.User, f storage.SecondFactors, addr, what string) error {
	if f.Count() > 1 || !s.cfg.Policy.Requires(u) {
		return nil
	}
	s.audit(ctx, storage.AuditEvent{Type: storage.AuditMFAFailed, UserID: u.ID, Address: addr,
		Detail: what + " removal refused: the policy requires a second factor"})
	return ErrRequired
}
