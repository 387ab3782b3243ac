package mfa

import (
	"context"
	"errors"
	"fmt"

	"github.com/hubauth/hubauth/internal/storage"
)

// ErrHasFactor: a set-up at sign-in (right after the first factor) for a
// user who has a second factor already: that user passes it instead. The
// first factor alone never adds a second one.
var ErrHasFactor = errors.New("mfa: the user has a second factor already; pass it to sign in")

// The login-time set-up: a user the policy requires a second factor of,
// who has none, sets one up right after the first factor, bound to the
// waiting sign-in (owner). Each step refuses a user who has a second
// factor (ErrHasFactor): else a password alone would add the attacker's
// authenticator app or passkey and pass it as the second factor.

// BeginAtLogin is Begin for the login-time set-up.
func (s *Service) BeginAtLogin(ctx context.Context, u storage.User, owner string) (string, error) {
	if err := s.noFactor(ctx, u); err != nil {
		return "", err
	}
	return s.Begin(ctx, u, owner)
}

// ConfirmAtLogin is Confirm for the login-time set-up.
func (s *Service) ConfirmAtLogin(ctx context.Context, u storage.User, owner, code, addr string) ([]string, error) {
	if err := s.noFactor(ctx, u); err != nil {
		return nil, err
	}
	return s.Confirm(ctx, u, owner, code, addr)
}

// BeginRegistrationAtLogin is BeginRegistration for the login-time
// set-up.
func (s *Service) BeginRegistrationAtLogin(ctx context.Context, u storage.User, owner, name string) (Ceremony, error) {
	if err := s.noFactor(ctx, u); err != nil {
		return Ceremony{}, err
	}
	return s.BeginRegistration(ctx, u, owner, name)
}

// FinishRegistrationAtLogin is FinishRegistration for the login-time
// set-up.
func (s *Service) FinishRegistrationAtLogin(ctx context.Context, u storage.User, owner, token string, answer []byte, addr string) (storage.Passkey, []string, error) {
	if err := s.noFactor(ctx, u); err != nil {
		return storage.Passkey{}, nil, err
	}
	return s.FinishRegistration(ctx, u, owner, token, answer, addr)
}

// noFactor is ErrHasFactor when u has a second factor.
func (s *Service) noFactor(ctx context.Context, u storage.User) error {
	f, err := s.Factors(ctx, u)
	if err != nil {
		return fmt.Errorf("mfa: %w", err)
	}
	if f.Any() {
		return ErrHasFactor
	}
	return nil
}
