package mfa

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/go-webauthn/webauthn/webauthn"

	"github.com/hubauth/hubauth/internal/server/authn"
	"github.com/hubauth/hubauth/internal/server/throttle"
	"github.com/hubauth/hubauth/internal/storage"
)

// Errors callers branch on. Each is a refusal the user can act on; none
// changed anything.
var (
	// ErrWrongCode: the code is not the authenticator's current one, or
	// not an unused recovery code.
	ErrWrongCode = errors.New("mfa: the code is wrong or expired")
	// ErrReplayed: the authenticator's code was already used (RFC 6238
	// §5.2: each code is good once).
	ErrReplayed = errors.New("mfa: the code was already used; wait for the next one")
	// ErrMalformed: neither six digits nor a recovery code.
	ErrMalformed = errors.New("mfa: the code is not six digits or a recovery code")
	// ErrNoFactor: the user has no second factor to check.
	ErrNoFactor = errors.New("mfa: the user has no second factor")
	// ErrEnrolled: the user already has an authenticator app.
	ErrEnrolled = errors.New("mfa: an authenticator app is already set up")
	// ErrNoEnrolment: no enrolment under way (or another replaced it).
	ErrNoEnrolment = errors.New("mfa: no authenticator set-up under way; start again")
	// ErrRequired: the policy requires a second factor and this is the
	// user's last.
	ErrRequired = errors.New("mfa: this hub requires a second factor; it is the last one")
)

// Config is what Service needs.
type Config struct {
	Store  storage.Storage
	Policy Policy
	// Issuer names the hub in authenticator apps (the issuer's host).
	Issuer string
	// Origin is the issuer's URL: the passkeys' relying party (its host
	// name is the RP id, its origin the one origin). "" or an IP address
	// (browsers refuse those): no passkeys.
	Origin string
	// Guard slows down wrong codes per (user, address), address and user.
	Guard *throttle.LoginGuard
	Now   func() time.Time
}

// Service checks and manages second factors.
type Service struct {
	cfg Config
	// rp is the passkeys' relying party; nil when the Origin allows none,
	// offReason says why.
	rp        *webauthn.WebAuthn
	offReason string
}

// New returns a Service; a nil Guard gets the second factor's default.
func New(cfg Config) *Service {
	if cfg.Guard == nil {
		cfg.Guard = NewGuard(cfg.Now)
	}
	s := &Service{cfg: cfg}
	s.rp, s.offReason = relyingParty(cfg.Origin)
	return s
}

// NewGuard is the throttle for wrong codes across sign-ins (each sign-in
// also has at most storage.MaxCodeAttempts codes checked). Only someone
// who passed the first factor can make them, so the per-user wait may
// grow long (up to 15 minutes) without letting strangers lock the real
// user out (a passkey-only sign-in, which has no first factor, counts
// its refusals under its address alone: anonymous); failures are remembered for a day, well beyond the longest
// wait, so that waiting it out does not reset the count.
func NewGuard(now func() time.Time) *throttle.LoginGuard {
	return throttle.NewLoginGuard(throttle.LoginGuardConfig{
		UserFreeFailures: 10, UserMaxDelay: 15 * time.Minute, MaxDelay: 15 * time.Minute,
		Window: 24 * time.Hour, Now: now})
}

// Policy returns the operator's policy.
func (s *Service) Policy() Policy { return s.cfg.Policy }

// Factors says which second factors u has.
func (s *Service) Factors(ctx context.Context, u storage.User) (storage.SecondFactors, error) {
	return s.cfg.Store.GetSecondFactors(ctx, u.ID)
}

// Needed reports whether a sign-in of u must pass a second factor: u has
// one, or the policy requires one (then u may first have to enrol).
func (s *Service) Needed(ctx context.Context, u storage.User) (bool, error) {
	if s.cfg.Policy.Requires(u) {
		return true, nil
	}
	f, err := s.Factors(ctx, u)
	return f.Any(), err
}

func (s *Service) now() time.Time { return s.cfg.Now().UTC() }

// throttled returns a *authn.ThrottledError while u's codes from addr are
// slowed down.
func (s *Service) throttled(u storage.User, addr string) error {
	if wait := s.cfg.Guard.Check(u.ID, addr); wait > 0 {
		return &authn.ThrottledError{RetryAfter: wait}
	}
	return nil
}

// failed counts and audits a refused code; what says which factor and
// why, never the code.
func (s *Service) failed(ctx context.Context, u storage.User, addr string, err error, what string) error {
	s.cfg.Guard.Failed(u.ID, addr)
	s.audit(ctx, storage.AuditEvent{Type: storage.AuditMFAFailed, UserID: u.ID, Address: addr, Detail: what})
	return err
}

func (s *Service) audit(ctx context.Context, e storage.AuditEvent) {
	e.Time = s.now()
	_ = s.cfg.Store.AppendAudit(ctx, e) // best effort: the outcome stands
}

// Verify checks code, an authenticator app's code or a recovery code, as
// u's second factor from address addr, and returns the AMR method it
// proves (storage.AMROTP). It returns ErrWrongCode, ErrReplayed,
// ErrMalformed, ErrNoFactor, a *authn.ThrottledError or a storage error.
func (s *Service) Verify(ctx context.Context, u storage.User, code, addr string) (string, error) {
	if err := s.throttled(u, addr); err != nil {
		return "", err
	}
	code = compact(code)
	if isTOTPCode(code) {
		return s.verifyTOTP(ctx, u, code, addr)
	}
	if rc, ok := normalizeRecovery(code); ok {
		return s.useRecovery(ctx, u, rc, addr)
	}
	return "", s.failed(ctx, u, addr, ErrMalformed, "malformed code")
}

func (s *Service) verifyTOTP(ctx context.Context, u storage.User, code, addr string) (string, error) {
	t, err := s.cfg.Store.GetTOTP(ctx, u.ID)
	if errors.Is(err, storage.ErrNotFound) || (err == nil && !t.Confirmed()) {
		return "", s.failed(ctx, u, addr, ErrNoFactor, "totp: no authenticator app")
	}
	if err != nil {
		return "", fmt.Errorf("mfa: %w", err)
	}
	step, ok := matchStep(t.Secret, code, s.now())
	if !ok {
		return "", s.failed(ctx, u, addr, ErrWrongCode, "totp: wrong code")
	}
	err = s.cfg.Store.UseTOTPStep(ctx, u.ID, step)
	if errors.Is(err, storage.ErrNotFound) {
		return "", s.failed(ctx, u, addr, ErrReplayed, "totp: code already used")
	}
	if err != nil {
		return "", fmt.Errorf("mfa: %w", err)
	}
	s.cfg.Guard.Succeeded(u.ID, addr)
	s.audit(ctx, storage.AuditEvent{Type: storage.AuditMFASucceeded, UserID: u.ID, Address: addr, Detail: "totp"})
	return storage.AMROTP, nil
}

func (s *Service) useRecovery(ctx context.Context, u storage.User, code, addr string) (string, error) {
	err := s.cfg.Store.ConsumeRecoveryCode(ctx, u.ID, recoveryHash(code))
	if errors.Is(err, storage.ErrNotFound) {
		return "", s.failed(ctx, u, addr, ErrWrongCode, "recovery code: unknown or used")
	}
	if err != nil {
		return "", fmt.Errorf("mfa: %w", err)
	}
	s.cfg.Guard.Succeeded(u.ID, addr)
	left := "?"
	if f, err := s.Factors(ctx, u); err == nil {
		left = fmt.Sprint(f.RecoveryCodes)
	}
	s.audit(ctx, storage.AuditEvent{Type: storage.AuditRecoveryCodeUsed, UserID: u.ID, Address: addr, Detail: left + " left"})
	return storage.AMROTP, nil
}

// compact drops the spaces apps and users put inside codes.
func compact(s string) string {
	if len(s) > 64 {
		return s[:64] // longer is no code; keep the check cheap
	}
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] != ' ' && s[i] != '\t' {
			out = append(out, s[i])
		}
	}
	return string(out)
}

// Issuer is how authenticator apps name the hub.
func (s *Service) Issuer() string { return s.cfg.Issuer }
