package mfa_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/hubauth/hubauth/internal/hubtest"
	"github.com/hubauth/hubauth/internal/server/authn"
	"github.com/hubauth/hubauth/internal/server/mfa"
	"github.com/hubauth/hubauth/internal/storage"
)

const addr = "192.0.2.1"

type fixture struct {
	store storage.Storage
	svc   *mfa.Service
	clock *hubtest.Clock
	user  storage.User
}

func newFixture(t *testing.T, policy mfa.Policy) *fixture {
	t.Helper()
	store := hubtest.SQLite(t)
	clock := &hubtest.Clock{Base: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	u := storage.User{ID: "u-1", Username: "alice", CreatedAt: clock.Now()}
	if err := store.CreateUser(t.Context(), u); err != nil {
		t.Fatal(err)
	}
	return &fixture{store: store, clock: clock, user: u,
		svc: mfa.New(mfa.Config{Store: store, Policy: policy, Issuer: "hub.example.org", Origin: origin, Now: clock.Now})}
}

func (f *fixture) st() storage.Storage { return f.store }

// enrol sets up an authenticator and returns its seed and recovery codes.
func (f *fixture) enrol(t *testing.T) (string, []string) {
	t.Helper()
	secret, err := f.svc.Begin(t.Context(), f.user, "s-1")
	if err != nil {
		t.Fatalf("Begin() = %v", err)
	}
	codes, err := f.svc.Confirm(t.Context(), f.user, "s-1", f.code(t, secret), addr)
	if err != nil {
		t.Fatalf("Confirm() = %v", err)
	}
	return secret, codes
}

func (f *fixture) code(t *testing.T, secret string) string {
	t.Helper()
	c, err := mfa.Code(secret, f.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (f *fixture) audited(t *testing.T, typ, detail string) {
	t.Helper()
	es, err := f.st().ListAudit(t.Context(), 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range es {
		if e.Type == typ && strings.Contains(e.Detail, detail) {
			return
		}
	}
	t.Errorf("no audit event %s %q in %+v", typ, detail, es)
}

func TestEnrolmentAndVerify(t *testing.T) {
	f := newFixture(t, mfa.PolicyOff)
	ctx := t.Context()
	secret, codes := f.enrol(t)
	if len(codes) != mfa.RecoveryCodes {
		t.Fatalf("got %d recovery codes, want %d", len(codes), mfa.RecoveryCodes)
	}
	f.audited(t, storage.AuditMFAEnrolled, "totp")
	if _, err := f.svc.Confirm(ctx, f.user, "s-1", f.code(t, secret), addr); !errors.Is(err, mfa.ErrEnrolled) {
		t.Errorf("Confirm(twice) = %v, want ErrEnrolled", err)
	}
	// The confirming code's step is used up: the same code again is a replay.
	if _, err := f.svc.Verify(ctx, f.user, f.code(t, secret), addr); !errors.Is(err, mfa.ErrReplayed) {
		t.Errorf("Verify(the confirming code) = %v, want ErrReplayed", err)
	}
	f.audited(t, storage.AuditMFAFailed, "already used")
	f.clock.Advance(30 * time.Second)
	c := f.code(t, secret)
	m, err := f.svc.Verify(ctx, f.user, c[:3]+" "+c[3:], addr)
	if err != nil || m != storage.AMROTP {
		t.Fatalf("Verify(next code, with a space) = %q, %v; want otp", m, err)
	}
	if _, err := f.svc.Verify(ctx, f.user, c, addr); !errors.Is(err, mfa.ErrReplayed) {
		t.Errorf("Verify(replayed) = %v, want ErrReplayed", err)
	}
	f.clock.Advance(5 * time.Minute)
	if _, err := f.svc.Verify(ctx, f.user, c, addr); !errors.Is(err, mfa.ErrWrongCode) {
		t.Errorf("Verify(an old code) = %v, want ErrWrongCode", err)
	}
}

func TestBadCodes(t *testing.T) {
	f := newFixture(t, mfa.PolicyOff)
	if _, err := f.svc.Verify(t.Context(), f.user, "123456", addr); !errors.Is(err, mfa.ErrNoFactor) {
		t.Errorf("Verify(no factor) = %v, want ErrNoFactor", err)
	}
	f.enrol(t)
	tests := []struct {
		name, code string
		want       error
	}{
		{"letters", "abcdef", mfa.ErrMalformed},
		{"too short", "12345", mfa.ErrMalformed},
		{"empty", "", mfa.ErrMalformed},
		{"unknown recovery code", "aaaaa-aaaaa", mfa.ErrWrongCode},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := f.svc.Verify(t.Context(), f.user, tt.code, "198.51.100."+tt.name); !errors.Is(err, tt.want) {
				t.Errorf("Verify(%q) = %v, want %v", tt.code, err, tt.want)
			}
		})
	}
}

func TestRecoveryCodes(t *testing.T) {
	f := newFixture(t, mfa.PolicyOff)
	ctx := t.Context()
	_, codes := f.enrol(t)
	tampered := []byte(codes[0])
	tampered[0] ^= 1
	if _, err := f.svc.Verify(ctx, f.user, string(tampered), addr); err == nil {
		t.Errorf("Verify(tampered recovery code) succeeded")
	}
	if m, err := f.svc.Verify(ctx, f.user, strings.ToUpper(codes[0]), addr); err != nil || m != storage.AMROTP {
		t.Fatalf("Verify(recovery code, upper case) = %q, %v", m, err)
	}
	f.audited(t, storage.AuditRecoveryCodeUsed, "9 left")
	if _, err := f.svc.Verify(ctx, f.user, codes[0], addr); !errors.Is(err, mfa.ErrWrongCode) {
		t.Errorf("Verify(used recovery code) = %v, want ErrWrongCode", err)
	}
	fresh, err := f.svc.RegenerateRecovery(ctx, f.user, addr)
	if err != nil || len(fresh) != mfa.RecoveryCodes {
		t.Fatalf("RegenerateRecovery() = %d codes, %v", len(fresh), err)
	}
	if _, err := f.svc.Verify(ctx, f.user, codes[1], addr); !errors.Is(err, mfa.ErrWrongCode) {
		t.Errorf("Verify(a code of the old set) = %v, want ErrWrongCode", err)
	}
}

func TestThrottle(t *testing.T) {
	f := newFixture(t, mfa.PolicyOff)
	secret, _ := f.enrol(t)
	var throttled *authn.ThrottledError
	for i := range 10 {
		_, err := f.svc.Verify(t.Context(), f.user, "000000", addr)
		if errors.As(err, &throttled) {
			if i < 5 {
				t.Fatalf("throttled after %d failures, want 5 free", i)
			}
			break
		}
	}
	if throttled == nil {
		t.Fatal("10 wrong codes were never throttled")
	}
	f.clock.Advance(time.Second / 2)
	if _, err := f.svc.Verify(t.Context(), f.user, f.code(t, secret), addr); !errors.As(err, &throttled) {
		t.Errorf("Verify(right code while throttled) = %v, want a ThrottledError (the code is not even checked)", err)
	}
}

func TestRemoveUnderPolicy(t *testing.T) {
	for _, tt := range []struct {
		policy mfa.Policy
		admin  bool
		want   error
	}{
		{mfa.PolicyOff, true, nil},
		{mfa.PolicyAdmins, false, nil},
		{mfa.PolicyAdmins, true, mfa.ErrRequired},
		{mfa.PolicyAll, false, mfa.ErrRequired},
	} {
		t.Run(string(tt.policy), func(t *testing.T) {
			f := newFixture(t, tt.policy)
			f.user.Admin = tt.admin
			f.enrol(t)
			err := f.svc.RemoveTOTP(t.Context(), f.user, addr, "alice")
			if !errors.Is(err, tt.want) {
				t.Fatalf("RemoveTOTP() = %v, want %v", err, tt.want)
			}
			got, _ := f.svc.Factors(t.Context(), f.user)
			if got.TOTP != (tt.want != nil) {
				t.Errorf("after RemoveTOTP() = %v: factors %+v", err, got)
			}
		})
	}
}

func TestParsePolicy(t *testing.T) {
	for in, want := range map[string]mfa.Policy{"": mfa.PolicyOff, "off": mfa.PolicyOff, "admins": mfa.PolicyAdmins, "all": mfa.PolicyAll} {
		if got, err := mfa.ParsePolicy(in); err != nil || got != want {
			t.Errorf("ParsePolicy(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := mfa.ParsePolicy("some"); err == nil {
		t.Error(`ParsePolicy("some") succeeded`)
	}
}
