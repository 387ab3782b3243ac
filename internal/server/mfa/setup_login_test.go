package mfa_test

import (
	"errors"
	"testing"

	"github.com/hubauth/hubauth/internal/hubtest"
	"github.com/hubauth/hubauth/internal/server/mfa"
)

// TestSetUpAtLoginRefusedWithFactor: every step of the login-time set-up
// refuses a user who has a second factor (ErrHasFactor) and saves
// nothing: a password alone adds no app and no passkey, and does not
// replace the recovery codes. A user without one sets one up.
func TestSetUpAtLoginRefusedWithFactor(t *testing.T) {
	for _, tt := range []struct {
		name  string
		setUp func(t *testing.T, f *fixture) []string
	}{
		{"with an authenticator app", func(t *testing.T, f *fixture) []string { _, codes := f.enrol(t); return codes }},
		{"with a passkey", func(t *testing.T, f *fixture) []string {
			k := hubtest.NewPasskey(t, "hub.example.org")
			c, _ := f.svc.BeginRegistration(t.Context(), f.user, "s-1", "laptop")
			_, codes, err := f.svc.FinishRegistration(t.Context(), f.user, "s-1", c.Token, k.Register(t, c.Options, origin), addr)
			if err != nil {
				t.Fatal(err)
			}
			return codes
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, mfa.PolicyAll)
			ctx := t.Context()
			codes := tt.setUp(t, f)
			before, _ := f.svc.Factors(ctx, f.user)
			if _, err := f.svc.BeginAtLogin(ctx, f.user, "l-1"); !errors.Is(err, mfa.ErrHasFactor) {
				t.Errorf("BeginAtLogin() = %v, want ErrHasFactor", err)
			}
			if secret, err := f.svc.Begin(ctx, f.user, "l-1"); err == nil { // a set-up pending from before
				if _, err := f.svc.ConfirmAtLogin(ctx, f.user, "l-1", f.code(t, secret), addr); !errors.Is(err, mfa.ErrHasFactor) {
					t.Errorf("ConfirmAtLogin() = %v, want ErrHasFactor", err)
				}
			}
			if _, err := f.svc.BeginRegistrationAtLogin(ctx, f.user, "l-1", "attacker"); !errors.Is(err, mfa.ErrHasFactor) {
				t.Errorf("BeginRegistrationAtLogin() = %v, want ErrHasFactor", err)
			}
			c, err := f.svc.BeginRegistration(ctx, f.user, "l-1", "attacker") // a ceremony from before
			if err != nil {
				t.Fatal(err)
			}
			k := hubtest.NewPasskey(t, "hub.example.org")
			if _, _, err := f.svc.FinishRegistrationAtLogin(ctx, f.user, "l-1", c.Token, k.Register(t, c.Options, origin), addr); !errors.Is(err, mfa.ErrHasFactor) {
				t.Errorf("FinishRegistrationAtLogin() = %v, want ErrHasFactor", err)
			}
			if after, _ := f.svc.Factors(ctx, f.user); after != before {
				t.Errorf("refused set-ups changed the factors: %+v -> %+v", before, after)
			}
			if _, err := f.svc.Verify(ctx, f.user, codes[0], addr); err != nil {
				t.Errorf("the first recovery code after refused set-ups: %v (replaced?)", err)
			}
		})
	}
	t.Run("without a factor", func(t *testing.T) {
		f := newFixture(t, mfa.PolicyAll)
		k := hubtest.NewPasskey(t, "hub.example.org")
		c, err := f.svc.BeginRegistrationAtLogin(t.Context(), f.user, "l-1", "laptop")
		if err != nil {
			t.Fatal(err)
		}
		if _, codes, err := f.svc.FinishRegistrationAtLogin(t.Context(), f.user, "l-1", c.Token, k.Register(t, c.Options, origin), addr); err != nil || len(codes) != mfa.RecoveryCodes {
			t.Errorf("FinishRegistrationAtLogin() = %d codes, %v", len(codes), err)
		}
	})
}
