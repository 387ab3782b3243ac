package storage

import (
	"context"
	"time"
)

// TOTP is a user's authenticator app (RFC 6238). The seed is kept in clear,
// as the signing keys are: the database is readable by its owner only.
type TOTP struct {
	UserID string
	// Secret is the base32 seed the authenticator app shares.
	Secret string
	// LastStep is the last time step a code was accepted for: a code is
	// good once (RFC 6238 §5.2), so only later steps are accepted.
	LastStep  int64
	CreatedAt time.Time
	// ConfirmedAt is when a valid code confirmed the enrolment; zero while
	// it is pending (a pending authenticator is no second factor).
	ConfirmedAt time.Time
	// Owner is what started a pending set-up (a browser session's ID, or
	// a waiting sign-in's token hash): only it sees the key and confirms.
	Owner string
	// Attempts counts the codes checked against a pending set-up.
	Attempts int
}

// Confirmed reports whether the authenticator counts as a second factor.
func (t TOTP) Confirmed() bool { return !t.ConfirmedAt.IsZero() }

// SecondFactors says which second factors a user has.
type SecondFactors struct {
	// TOTP is a confirmed authenticator app.
	TOTP bool
	// Passkeys counts the registered passkeys.
	Passkeys int
	// RecoveryCodes counts the unused recovery codes.
	RecoveryCodes int
}

// Any reports whether the user has a second factor (recovery codes alone
// are a way back in, not a factor).
func (f SecondFactors) Any() bool { return f.Count() > 0 }

// Count is how many second factors the user has: the authenticator app
// and each passkey.
func (f SecondFactors) Count() int {
	n := f.Passkeys
	if f.TOTP {
		n++
	}
	return n
}

// Kinds of second factors, for DeleteFactorUnlessLast.
const (
	FactorTOTP    = "totp"
	FactorPasskey = "passkey"
)

// MaxCodeAttempts is how many codes one sign-in waiting for its second
// factor, or one authenticator set-up, may have checked: each attempt is
// counted in the database before its code is checked, so parallel
// requests cannot pass it; after as many the sign-in (set-up) is spent.
const MaxCodeAttempts = 5

// MFALogin is a sign-in whose first factor succeeded and that waits for
// the second, found by the SHA-256 of the secret in the browser's cookie.
// It carries where the sign-in goes on to (one of AuthRequestID, UserCode,
// Next) and what the first factor recorded (AMR, AuthTime).
type MFALogin struct {
	TokenHash     string
	UserID        string
	AMR           []string
	AuthTime      time.Time
	AuthRequestID string
	UserCode      string
	Next          string
	CreatedAt     time.Time
	ExpiresAt     time.Time
	// Attempts counts the codes checked against this sign-in.
	Attempts int
	// StepUpOf is the browser session (ID) that steps up to a second
	// factor; it ends when the second factor passed. Empty after a fresh
	// first factor.
	StepUpOf string
}

// Factors stores users' second factors and the sign-ins that wait for one.
type Factors interface {
	// BeginTOTP stores a pending authenticator for t.UserID, replacing a
	// pending one; ErrAlreadyExists when the user has a confirmed one.
	BeginTOTP(ctx context.Context, t TOTP) error
	// GetTOTP returns the user's authenticator, pending or confirmed;
	// ErrNotFound when there is none.
	GetTOTP(ctx context.Context, userID string) (TOTP, error)
	// ConfirmTOTP confirms the user's pending authenticator with a code of
	// time step step and replaces the user's recovery codes by
	// recoveryHashes, in one transaction; ErrNotFound when no pending
	// authenticator has this secret (it was replaced or confirmed since).
	ConfirmTOTP(ctx context.Context, userID, secret string, step int64, recoveryHashes []string, now time.Time) error
	// AttemptTOTPSetup counts a code against the user's pending set-up
	// started by owner after since, in the statement that returns it, so
	// that at most MaxCodeAttempts codes are checked; ErrNotFound when
	// there is no such set-up or its attempts are spent.
	AttemptTOTPSetup(ctx context.Context, userID, owner string, since time.Time) (TOTP, error)
	// UseTOTPStep records that a code of time step step was accepted, in
	// one statement: ErrNotFound when the user has no confirmed
	// authenticator or step is not after the last accepted one (a replay).
	UseTOTPStep(ctx context.Context, userID string, step int64) error
	// DeleteTOTP deletes the user's authenticator, pending or confirmed,
	// and nothing else; ErrNotFound when there was none. Removing a
	// factor is DeleteFactorUnlessLast.
	DeleteTOTP(ctx context.Context, userID string) error
	// DeleteFactorUnlessLast removes one of the user's second factors in
	// one transaction that first counts them (serialised with every other
	// removal of the user's): kind FactorTOTP (the authenticator, pending
	// or confirmed; id unused) or FactorPasskey (the passkey id). With
	// keepOne, the user's last factor stays (ErrLastFactor, nothing
	// removed). The recovery codes go with the last factor, in the same
	// transaction: they stand in for a factor, never for none.
	// ErrNotFound when the user has no such factor.
	DeleteFactorUnlessLast(ctx context.Context, userID, kind, id string, keepOne bool) error
	// DeleteSecondFactors deletes all the user's second factors (the
	// authenticator, pending or confirmed, and the passkeys) and recovery
	// codes, in one transaction: an administrator's reset.
	DeleteSecondFactors(ctx context.Context, userID string) error
	// ReplaceRecoveryCodes replaces the user's recovery codes by hashes.
	ReplaceRecoveryCodes(ctx context.Context, userID string, hashes []string, now time.Time) error
	// ConsumeRecoveryCode deletes the user's recovery code of this hash in
	// one statement, so it is good once; ErrNotFound when unknown.
	ConsumeRecoveryCode(ctx context.Context, userID, hash string) error
	// GetSecondFactors says which second factors the user has.
	GetSecondFactors(ctx context.Context, userID string) (SecondFactors, error)

	// CreateMFALogin stores a sign-in waiting for its second factor.
	CreateMFALogin(ctx context.Context, l MFALogin) error
	// GetMFALogin returns it; ErrNotFound when unknown, expired at now or
	// its attempts spent.
	GetMFALogin(ctx context.Context, tokenHash string, now time.Time) (MFALogin, error)
	// AttemptMFALogin counts a code against the waiting sign-in, in the
	// statement that returns it, so that at most MaxCodeAttempts codes are
	// checked; ErrNotFound when unknown, expired at now or spent.
	AttemptMFALogin(ctx context.Context, tokenHash string, now time.Time) (MFALogin, error)
	// ConsumeMFALogin deletes it and returns it, in one statement, so that
	// one caller only goes on; ErrNotFound when unknown or expired at now.
	ConsumeMFALogin(ctx context.Context, tokenHash string, now time.Time) (MFALogin, error)
}

// Audit event types of second factors.
const (
	// AuditMFAEnrolled is a confirmed authenticator app (Detail: "totp").
	AuditMFAEnrolled = "mfa_enrolled"
	// AuditMFARemoved is a second factor removed by its user or an
	// administrator (Detail says which and by whom).
	AuditMFARemoved = "mfa_removed"
	// AuditMFAFailed is a wrong, replayed or malformed second factor
	// (Detail says which and why, never the code).
	AuditMFAFailed = "mfa_failed"
	// AuditMFASucceeded is an accepted second factor (Detail: "totp" or
	// "recovery code").
	AuditMFASucceeded = "mfa_succeeded"
	// AuditRecoveryCodeUsed is a recovery code spent at sign-in (Detail
	// says how many are left).
	AuditRecoveryCodeUsed = "recovery_code_used"
	// AuditRecoveryCodesRegenerated is a new set of recovery codes.
	AuditRecoveryCodesRegenerated = "recovery_codes_regenerated"
)
