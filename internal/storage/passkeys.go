package storage

import (
	"context"
	"time"
)

// Passkey is a WebAuthn credential a user registered on the account page:
// what the relying party keeps to check the credential's assertions
// (W3C WebAuthn Level 3 §6.1.3 credential record).
type Passkey struct {
	// ID names the passkey on the account page; CredentialID is the
	// authenticator's credential id (unique across users).
	ID           string
	UserID       string
	CredentialID []byte
	// PublicKey is the COSE-encoded public key.
	PublicKey       []byte
	AttestationType string
	Transports      []string
	AAGUID          []byte
	// SignCount is the last signature counter seen: a later assertion
	// with a counter not above it (unless both are 0) may come from a
	// cloned authenticator (§6.1.1).
	SignCount uint32
	// The authenticator data flags of the registration: user verified
	// (as registered, never updated: a sign-in's amr comes from its own
	// answer), backup eligible (a synced passkey) and backed up (the one
	// UsePasskey updates).
	UserVerified, BackupEligible, BackupState bool
	// Name is the user's name for it ("laptop").
	Name       string
	CreatedAt  time.Time
	LastUsedAt time.Time
}

// PasskeyCeremony is a WebAuthn ceremony under way: the challenge and
// options the hub sent (Session, go-webauthn's SessionData as JSON),
// found by the SHA-256 of the secret in the browser's cookie, so that the
// browser that began it finishes it on any node, once, before ExpiresAt.
type PasskeyCeremony struct {
	TokenHash string
	// Kind is what the ceremony is for: PasskeyRegister,
	// PasskeySignIn or PasskeySecondFactor.
	Kind string
	// UserID is the user registering or passing a second factor; "" for a
	// sign-in with a passkey alone (the passkey names its user).
	UserID string
	// Owner is the browser session (register) or waiting sign-in (second
	// factor) that began it; only it finishes it.
	Owner string
	// Name is the name a registration gives the new passkey.
	Name      string
	Session   []byte
	CreatedAt time.Time
	ExpiresAt time.Time
}

// Kinds of passkey ceremonies.
const (
	PasskeyRegister     = "register"
	PasskeySignIn       = "sign-in"
	PasskeySecondFactor = "second-factor"
)

// Passkeys stores users' passkeys and the ceremonies under way.
type Passkeys interface {
	// CreatePasskey stores a new passkey and, when its user has no
	// recovery codes, recoveryHashes as the user's recovery codes, in one
	// transaction; saved says whether the codes were saved (false: the
	// user has some). ErrAlreadyExists when its credential id is
	// registered already (nothing saved).
	CreatePasskey(ctx context.Context, p Passkey, recoveryHashes []string) (saved bool, err error)
	// ListPasskeys lists the user's passkeys, oldest first.
	ListPasskeys(ctx context.Context, userID string) ([]Passkey, error)
	// GetPasskeyByCredential returns the passkey of credential id cred;
	// ErrNotFound when none.
	GetPasskeyByCredential(ctx context.Context, cred []byte) (Passkey, error)
	// RenamePasskey renames the user's passkey id; ErrNotFound when the
	// user has no such passkey.
	RenamePasskey(ctx context.Context, userID, id, name string) error
	// (A passkey is removed by DeleteFactorUnlessLast, all of a user's
	// by DeleteSecondFactors: the rules of removing factors are there.)
	// UsePasskey records an accepted assertion of passkey id in one
	// statement: its counter moves from old to count, its backup state
	// and last use are set; ErrNotFound when the passkey is gone or its
	// counter is no longer old (another assertion was accepted meanwhile).
	UsePasskey(ctx context.Context, id string, old, count uint32, backupState bool, now time.Time) error

	// CreatePasskeyCeremony stores a ceremony under way.
	CreatePasskeyCeremony(ctx context.Context, c PasskeyCeremony) error
	// ConsumePasskeyCeremony deletes the ceremony of tokenHash and kind
	// and returns it, in one statement, so that it finishes once;
	// ErrNotFound when unknown, of another kind or expired at now.
	ConsumePasskeyCeremony(ctx context.Context, tokenHash, kind string, now time.Time) (PasskeyCeremony, error)
}

// Audit details of passkeys: AuditMFAEnrolled, AuditMFARemoved,
// AuditMFAFailed and AuditMFASucceeded events say "passkey" and its name.
