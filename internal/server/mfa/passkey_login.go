package mfa

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"

	"github.com/hubauth/hubauth/internal/server/authn"
	"github.com/hubauth/hubauth/internal/storage"
)

// BeginSignIn begins a sign-in with a passkey alone: no user is named,
// the authenticator offers the passkeys it holds for this hub
// (discoverable credentials), and must verify its user (PIN or
// biometric), which makes the passkey two factors.
func (s *Service) BeginSignIn(ctx context.Context) (Ceremony, error) {
	if s.rp == nil {
		return Ceremony{}, ErrPasskeysOff
	}
	opts, sd, err := s.rp.BeginDiscoverableLogin(webauthn.WithUserVerification(protocol.VerificationRequired))
	if err != nil {
		return Ceremony{}, fmt.Errorf("mfa: begin passkey sign-in: %w", err)
	}
	return s.begin(ctx, storage.PasskeyCeremony{Kind: storage.PasskeySignIn}, opts, sd)
}

// FinishSignIn checks the browser's answer to the sign-in ceremony of
// token and returns the passkey's user and the sign-in's AMR
// (storage.PasskeyAMR: this answer's authenticator verified its user). Every refusal is audited; a disabled user, an
// unknown passkey or one whose user handle names another user is refused.
// Until the signature checks out nobody is known to be the user, so the
// refusals are counted against the address alone (anonymous): whoever
// knows a credential id cannot slow its user down.
func (s *Service) FinishSignIn(ctx context.Context, token string, answer []byte, addr string) (storage.User, []string, error) {
	if wait := s.cfg.Guard.Check(anonymous(addr), addr); wait > 0 {
		return storage.User{}, nil, &authn.ThrottledError{RetryAfter: wait}
	}
	_, sd, err := s.consume(ctx, token, storage.PasskeySignIn)
	if err != nil {
		return storage.User{}, nil, s.refused(ctx, storage.User{}, addr, err, "passkey sign-in")
	}
	parsed, err := protocol.ParseCredentialRequestResponseBytes(answer)
	if err != nil {
		return storage.User{}, nil, s.failedAnonymous(ctx, "", addr, "passkey sign-in: malformed answer: "+refusal(err))
	}
	key, err := s.cfg.Store.GetPasskeyByCredential(ctx, parsed.RawID)
	if errors.Is(err, storage.ErrNotFound) {
		return storage.User{}, nil, s.failedAnonymous(ctx, "", addr, "passkey sign-in: unknown passkey")
	}
	if err != nil {
		return storage.User{}, nil, fmt.Errorf("mfa: %w", err)
	}
	u, err := s.cfg.Store.GetUser(ctx, key.UserID)
	if err != nil {
		return storage.User{}, nil, fmt.Errorf("mfa: %w", err)
	}
	if u.Disabled {
		return storage.User{}, nil, s.failedAnonymous(ctx, u.ID, addr, "passkey sign-in: the user is disabled")
	}
	ku, err := s.keyUserOf(ctx, u)
	if err != nil {
		return storage.User{}, nil, err
	}
	handler := func(rawID, userHandle []byte) (webauthn.User, error) {
		if !bytes.Equal(userHandle, ku.WebAuthnID()) {
			return nil, errors.New("the passkey's user handle names another user")
		}
		return ku, nil
	}
	_, cred, err := s.rp.ValidatePasskeyLogin(handler, sd, parsed)
	if err != nil {
		return storage.User{}, nil, s.failedAnonymous(ctx, u.ID, addr, "passkey sign-in with "+key.Name+": "+refusal(err))
	}
	if !parsed.Response.AuthenticatorData.Flags.HasUserVerified() {
		// go-webauthn refuses it (verification required); what the amr
		// says comes from this answer, never from the stored passkey.
		return storage.User{}, nil, s.failedAnonymous(ctx, u.ID, addr, "passkey sign-in with "+key.Name+": no user verification")
	}
	if err := s.recordUse(ctx, u, key, cred, addr, "sign-in"); err != nil {
		return storage.User{}, nil, err
	}
	s.cfg.Guard.Succeeded(anonymous(addr), addr)
	return u, storage.PasskeyAMR(storage.PasskeyMethod(key.BackupEligible)), nil
}

// BeginSecondFactor begins a passkey check of u, who passed a first
// factor, for the sign-in waiting as owner: only u's passkeys are
// allowed. ErrNoFactor when u has none.
func (s *Service) BeginSecondFactor(ctx context.Context, u storage.User, owner string) (Ceremony, error) {
	if s.rp == nil {
		return Ceremony{}, ErrPasskeysOff
	}
	ku, err := s.keyUserOf(ctx, u)
	if err != nil {
		return Ceremony{}, err
	}
	if len(ku.keys) == 0 {
		return Ceremony{}, ErrNoFactor
	}
	opts, sd, err := s.rp.BeginLogin(ku, webauthn.WithUserVerification(protocol.VerificationPreferred))
	if err != nil {
		return Ceremony{}, fmt.Errorf("mfa: begin passkey check: %w", err)
	}
	return s.begin(ctx, storage.PasskeyCeremony{Kind: storage.PasskeySecondFactor, UserID: u.ID, Owner: owner}, opts, sd)
}

// FinishSecondFactor checks the browser's answer to the second-factor
// ceremony of token, begun for u by owner, and returns the AMR method it
// proves (storage.PasskeyMethod). A passkey of another user, a wrong
// origin or challenge, a counter going backwards: refused and audited.
func (s *Service) FinishSecondFactor(ctx context.Context, u storage.User, owner, token string, answer []byte, addr string) (string, error) {
	if err := s.throttled(u, addr); err != nil {
		return "", err
	}
	c, sd, err := s.consume(ctx, token, storage.PasskeySecondFactor)
	if err == nil && (c.UserID != u.ID || c.Owner != owner) {
		err = ErrNoCeremony
	}
	if err != nil {
		return "", s.refused(ctx, u, addr, err, "passkey")
	}
	parsed, err := protocol.ParseCredentialRequestResponseBytes(answer)
	if err != nil {
		return "", s.failed(ctx, u, addr, ErrPasskeyRefused, "passkey: malformed answer: "+refusal(err))
	}
	ku, err := s.keyUserOf(ctx, u)
	if err != nil {
		return "", err
	}
	cred, err := s.rp.ValidateLogin(ku, sd, parsed)
	if err != nil {
		return "", s.failed(ctx, u, addr, ErrPasskeyRefused, "passkey: "+refusal(err))
	}
	var key storage.Passkey
	for _, k := range ku.keys {
		if bytes.Equal(k.CredentialID, cred.ID) {
			key = k
		}
	}
	if err := s.recordUse(ctx, u, key, cred, addr, "second factor"); err != nil {
		return "", err
	}
	return storage.PasskeyMethod(key.BackupEligible), nil
}

// recordUse refuses an assertion whose signature counter did not move
// forward (a cloned authenticator, §6.1.1 step 21) and records the new
// counter, moving it from the value read, so that of two answers checked
// at once one passes. The passkey was removed or used by another sign-in
// meanwhile: refused and audited, but it is no failure of the user's
// (not counted).
func (s *Service) recordUse(ctx context.Context, u storage.User, key storage.Passkey, cred *webauthn.Credential, addr, what string) error {
	if cred.Authenticator.CloneWarning {
		return s.failed(ctx, u, addr, ErrPasskeyCloned, fmt.Sprintf("passkey %s (%s): signature counter %d is not above %d: a cloned authenticator?",
			key.Name, what, cred.Authenticator.SignCount, key.SignCount))
	}
	err := s.cfg.Store.UsePasskey(ctx, key.ID, key.SignCount, cred.Authenticator.SignCount, cred.Flags.BackupState, s.now())
	if errors.Is(err, storage.ErrNotFound) {
		s.audit(ctx, storage.AuditEvent{Type: storage.AuditMFAFailed, UserID: u.ID, Address: addr,
			Detail: "passkey " + key.Name + " (" + what + "): removed or used by another sign-in meanwhile"})
		return ErrPasskeyRefused
	}
	if err != nil {
		return fmt.Errorf("mfa: %w", err)
	}
	s.cfg.Guard.Succeeded(u.ID, addr)
	s.audit(ctx, storage.AuditEvent{Type: storage.AuditMFASucceeded, UserID: u.ID, Address: addr, Detail: "passkey " + key.Name + " (" + what + ")"})
	return nil
}

// anonymous is the throttle's name for the passkey sign-ins from addr: a
// name per address, so that its counters are the address's alone.
func anonymous(addr string) string { return "passkey:" + addr }

// failedAnonymous counts a refused passkey sign-in against its address
// alone and audits it (userID: the user the answer named, "" when none).
func (s *Service) failedAnonymous(ctx context.Context, userID, addr, what string) error {
	s.cfg.Guard.Failed(anonymous(addr), addr)
	s.audit(ctx, storage.AuditEvent{Type: storage.AuditMFAFailed, UserID: userID, Address: addr, Detail: what})
	return ErrPasskeyRefused
}
