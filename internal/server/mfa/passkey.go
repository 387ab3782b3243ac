package mfa

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"

	"github.com/hubauth/hubauth/internal/secret"
	"github.com/hubauth/hubauth/internal/storage"
)

// PasskeyTTL is how long a passkey ceremony (the browser asking the
// authenticator) waits for its answer.
const PasskeyTTL = 5 * time.Minute

// MaxPasskeyName is the longest name of a passkey, in characters.
const MaxPasskeyName = 64

// Passkey errors callers branch on; none changed anything.
var (
	// ErrPasskeysOff: this hub's address allows no passkeys
	// (PasskeysUnavailable says why).
	ErrPasskeysOff = errors.New("mfa: passkeys are unavailable on this hub's address")
	// ErrPasskeyRefused: the browser's answer is malformed, for another
	// origin, challenge or user, signed by an unknown passkey or with a
	// wrong signature.
	ErrPasskeyRefused = errors.New("mfa: the passkey was not accepted")
	// ErrPasskeyCloned: the passkey's signature counter did not move
	// forward: the authenticator may have been copied (§6.1.1).
	ErrPasskeyCloned = errors.New("mfa: the passkey's signature counter went backwards; it may have been copied")
	// ErrNoCeremony: no passkey ceremony of this browser is under way
	// (expired, finished, or never begun).
	ErrNoCeremony = errors.New("mfa: no passkey request under way; start again")
	// ErrPasskeyName: a passkey's name is empty, too long or not text.
	ErrPasskeyName = errors.New("mfa: a passkey's name is 1 to 64 characters of text")
	// ErrPasskeyExists: the passkey is registered already.
	ErrPasskeyExists = errors.New("mfa: this passkey is registered already")
)

// Ceremony is a passkey ceremony begun: the options the browser passes to
// navigator.credentials (JSON) and the secret of the cookie that binds the
// ceremony to this browser.
type Ceremony struct {
	Options []byte
	Token   string
}

// PasskeysUnavailable says why this hub offers no passkeys, or "".
func (s *Service) PasskeysUnavailable() string { return s.offReason }

// CheckPasskeyName returns name as kept, or ErrPasskeyName.
func CheckPasskeyName(name string) (string, error) {
	if name == "" || !utf8.ValidString(name) || utf8.RuneCountInString(name) > MaxPasskeyName {
		return "", ErrPasskeyName
	}
	for _, r := range name {
		if r < 0x20 || r == 0x7f {
			return "", ErrPasskeyName
		}
	}
	return name, nil
}

// begin stores a ceremony of kind with go-webauthn's session data and
// returns it with the options to send.
func (s *Service) begin(ctx context.Context, c storage.PasskeyCeremony, options any, session *webauthn.SessionData) (Ceremony, error) {
	opts, err := json.Marshal(options)
	if err != nil {
		return Ceremony{}, fmt.Errorf("mfa: passkey options: %w", err)
	}
	c.Session, err = json.Marshal(session)
	if err != nil {
		return Ceremony{}, fmt.Errorf("mfa: passkey session: %w", err)
	}
	token := secret.New()
	c.TokenHash, c.CreatedAt, c.ExpiresAt = secret.Hash(token), s.now(), s.now().Add(PasskeyTTL)
	if err := s.cfg.Store.CreatePasskeyCeremony(ctx, c); err != nil {
		return Ceremony{}, fmt.Errorf("mfa: %w", err)
	}
	return Ceremony{Options: opts, Token: token}, nil
}

// consume ends the ceremony of this browser's token (once) and returns
// go-webauthn's session data of it.
func (s *Service) consume(ctx context.Context, token, kind string) (storage.PasskeyCeremony, webauthn.SessionData, error) {
	var sd webauthn.SessionData
	if s.rp == nil {
		return storage.PasskeyCeremony{}, sd, ErrPasskeysOff
	}
	if token == "" || len(token) > 128 {
		return storage.PasskeyCeremony{}, sd, ErrNoCeremony
	}
	c, err := s.cfg.Store.ConsumePasskeyCeremony(ctx, secret.Hash(token), kind, s.now())
	if errors.Is(err, storage.ErrNotFound) {
		return c, sd, ErrNoCeremony
	}
	if err != nil {
		return c, sd, fmt.Errorf("mfa: %w", err)
	}
	if err := json.Unmarshal(c.Session, &sd); err != nil {
		return c, sd, fmt.Errorf("mfa: stored passkey session: %w", err)
	}
	return c, sd, nil
}

// keyUserOf loads u's passkeys for go-webauthn.
func (s *Service) keyUserOf(ctx context.Context, u storage.User) (keyUser, error) {
	keys, err := s.cfg.Store.ListPasskeys(ctx, u.ID)
	if err != nil {
		return keyUser{}, fmt.Errorf("mfa: %w", err)
	}
	return keyUser{u: u, keys: keys}, nil
}

// BeginRegistration begins adding a passkey named name for u, bound to
// owner (the browser session that asked, after a fresh sign-in): a
// discoverable credential, so it signs in without a username; the user's
// passkeys are excluded (an authenticator holds one per user).
func (s *Service) BeginRegistration(ctx context.Context, u storage.User, owner, name string) (Ceremony, error) {
	if s.rp == nil {
		return Ceremony{}, ErrPasskeysOff
	}
	name, err := CheckPasskeyName(name)
	if err != nil {
		return Ceremony{}, err
	}
	ku, err := s.keyUserOf(ctx, u)
	if err != nil {
		return Ceremony{}, err
	}
	opts, sd, err := s.rp.BeginRegistration(ku, webauthn.WithExclusions(webauthn.Credentials(ku.WebAuthnCredentials()).CredentialDescriptors()))
	if err != nil {
		return Ceremony{}, fmt.Errorf("mfa: begin passkey registration: %w", err)
	}
	return s.begin(ctx, storage.PasskeyCeremony{Kind: storage.PasskeyRegister, UserID: u.ID, Owner: owner, Name: name}, opts, sd)
}

// FinishRegistration checks the browser's answer to the registration
// ceremony of token, begun by owner for u, and stores the new passkey; a
// refusal is audited and saves nothing. A user without recovery codes
// gets them now, returned to be shown this once, as at an authenticator
// app's set-up. Refused answers are counted as wrong codes are, and while
// they are slowed down none is checked (a *authn.ThrottledError).
func (s *Service) FinishRegistration(ctx context.Context, u storage.User, owner, token string, answer []byte, addr string) (storage.Passkey, []string, error) {
	if err := s.throttled(u, addr); err != nil {
		return storage.Passkey{}, nil, err
	}
	c, sd, err := s.consume(ctx, token, storage.PasskeyRegister)
	if err == nil && (c.UserID != u.ID || c.Owner != owner) {
		err = ErrNoCeremony
	}
	if err != nil {
		return storage.Passkey{}, nil, s.refused(ctx, u, addr, err, "passkey registration")
	}
	ku, err := s.keyUserOf(ctx, u)
	if err != nil {
		return storage.Passkey{}, nil, err
	}
	parsed, err := protocol.ParseCredentialCreationResponseBytes(answer)
	if err != nil {
		return storage.Passkey{}, nil, s.failed(ctx, u, addr, ErrPasskeyRefused, "passkey registration: malformed answer: "+refusal(err))
	}
	cred, err := s.rp.CreateCredential(ku, sd, parsed)
	if err != nil {
		return storage.Passkey{}, nil, s.failed(ctx, u, addr, ErrPasskeyRefused, "passkey registration: "+refusal(err))
	}
	p := passkeyOf(cred)
	p.ID, p.UserID, p.Name, p.CreatedAt = secret.ID(), u.ID, c.Name, s.now()
	codes, hashes := newRecoveryCodes(RecoveryCodes)
	saved, err := s.cfg.Store.CreatePasskey(ctx, p, hashes)
	if errors.Is(err, storage.ErrAlreadyExists) {
		return storage.Passkey{}, nil, s.failed(ctx, u, addr, ErrPasskeyExists, "passkey registration: registered already")
	}
	if err != nil {
		return storage.Passkey{}, nil, fmt.Errorf("mfa: %w", err)
	}
	s.audit(ctx, storage.AuditEvent{Type: storage.AuditMFAEnrolled, UserID: u.ID, Address: addr, Detail: "passkey " + p.Name})
	if !saved {
		codes = nil // the user has recovery codes
	}
	return p, codes, nil
}

// refused audits a ceremony that could not even be checked (none under
// way, another browser's); it is no wrong code, so not throttled.
func (s *Service) refused(ctx context.Context, u storage.User, addr string, err error, what string) error {
	if errors.Is(err, ErrNoCeremony) {
		s.audit(ctx, storage.AuditEvent{Type: storage.AuditMFAFailed, UserID: u.ID, Address: addr, Detail: what + ": no request under way (expired, replayed or another browser's)"})
	}
	return err
}
