package mfa

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hubauth/hubauth/internal/storage"
)

// SetupTTL is how long a set-up waits for its first code.
const SetupTTL = 15 * time.Minute

// Begin starts setting up an authenticator app for u: a fresh seed,
// pending until Confirm, bound to owner (the browser session or waiting
// sign-in that started it). A set-up already under way is replaced.
func (s *Service) Begin(ctx context.Context, u storage.User, owner string) (string, error) {
	secret, err := newSecret(s.cfg.Issuer, u.Username)
	if err != nil {
		return "", err
	}
	err = s.cfg.Store.BeginTOTP(ctx, storage.TOTP{UserID: u.ID, Secret: secret, CreatedAt: s.now(), Owner: owner})
	if errors.Is(err, storage.ErrAlreadyExists) {
		return "", ErrEnrolled
	}
	if err != nil {
		return "", fmt.Errorf("mfa: %w", err)
	}
	return secret, nil
}

// Pending returns the seed of u's set-up under way started by owner;
// ErrNoEnrolment when there is none (or another owner's, or one whose
// attempts are spent), ErrEnrolled when it is done.
func (s *Service) Pending(ctx context.Context, u storage.User, owner string) (string, error) {
	t, err := s.cfg.Store.GetTOTP(ctx, u.ID)
	switch {
	case errors.Is(err, storage.ErrNotFound):
		return "", ErrNoEnrolment
	case err != nil:
		return "", fmt.Errorf("mfa: %w", err)
	case t.Confirmed():
		return "", ErrEnrolled
	case t.Owner != owner, t.Attempts >= storage.MaxCodeAttempts, s.now().Sub(t.CreatedAt) > SetupTTL:
		return "", ErrNoEnrolment
	}
	return t.Secret, nil
}

// attempt counts a code against u's set-up started by owner before it is
// checked, and returns the set-up's seed.
func (s *Service) attempt(ctx context.Context, u storage.User, owner string) (string, error) {
	t, err := s.cfg.Store.AttemptTOTPSetup(ctx, u.ID, owner, s.now().Add(-SetupTTL))
	if errors.Is(err, storage.ErrNotFound) {
		if _, perr := s.Pending(ctx, u, owner); errors.Is(perr, ErrEnrolled) {
			return "", ErrEnrolled
		}
		return "", ErrNoEnrolment
	}
	if err != nil {
		return "", fmt.Errorf("mfa: %w", err)
	}
	return t.Secret, nil
}

// Confirm finishes the set-up of u's authenticator app started by owner
// with its first code, and returns u's new recovery codes (shown this
// once). Each code is counted before it is checked: after
// storage.MaxCodeAttempts the set-up is spent (ErrNoEnrolment). The
// authenticator and the codes are saved together or not at all.
func (s *Service) Confirm(ctx context.Context, u storage.User, owner, code, addr string) ([]string, error) {
	if err := s.throttled(u, addr); err != nil {
		return nil, err
	}
	secret, err := s.attempt(ctx, u, owner)
	if err != nil {
		return nil, err
	}
	code = compact(code)
	if !isTOTPCode(code) {
		return nil, s.failed(ctx, u, addr, ErrMalformed, "totp set-up: malformed code")
	}
	step, ok := matchStep(secret, code, s.now())
	if !ok {
		return nil, s.failed(ctx, u, addr, ErrWrongCode, "totp set-up: wrong code")
	}
	codes, hashes := newRecoveryCodes(RecoveryCodes)
	err = s.cfg.Store.ConfirmTOTP(ctx, u.ID, secret, step, hashes, s.now())
	if errors.Is(err, storage.ErrNotFound) {
		return nil, ErrNoEnrolment
	}
	if err != nil {
		return nil, fmt.Errorf("mfa: %w", err)
	}
	s.cfg.Guard.Succeeded(u.ID, addr)
	s.audit(ctx, storage.AuditEvent{Type: storage.AuditMFAEnrolled, UserID: u.ID, Address: addr, Detail: "totp"})
	return codes, nil
}

// RemoveTOTP removes u's authenticator app (pending or confirmed), unless
// it is u's last second factor and the policy requires one of u:
// ErrRequired. The recovery codes go with the last factor. by says who
// asked, for the audit log.
func (s *Service) RemoveTOTP(ctx context.Context, u storage.User, addr, by string) error {
	return s.removeFactor(ctx, u, storage.FactorTOTP, "", addr, "totp", by)
}

// RegenerateRecovery replaces u's recovery codes by fresh ones, shown this
// once; ErrNoFactor when u has no second factor to recover.
func (s *Service) RegenerateRecovery(ctx context.Context, u storage.User, addr string) ([]string, error) {
	f, err := s.Factors(ctx, u)
	if err != nil {
		return nil, fmt.Errorf("mfa: %w", err)
	}
	if !f.Any() {
		return nil, ErrNoFactor
	}
	codes, hashes := newRecoveryCodes(RecoveryCodes)
	if err := s.cfg.Store.ReplaceRecoveryCodes(ctx, u.ID, hashes, s.now()); err != nil {
		return nil, fmt.Errorf("mfa: %w", err)
	}
	s.audit(ctx, storage.AuditEvent{Type: storage.AuditRecoveryCodesRegenerated, UserID: u.ID, Address: addr})
	return codes, nil
}
