package mfa_test

import (
	"errors"
	"testing"

	"github.com/hubauth/hubauth/internal/server/mfa"
	"github.com/hubauth/hubauth/internal/storage"
)

func TestRemovePasskeyUnderPolicy(t *testing.T) {
	f := newFixture(t, mfa.PolicyAll)
	ctx := t.Context()
	f.addPasskey(t, f.user, "laptop")
	keys, _ := f.svc.ListPasskeys(ctx, f.user)
	if err := f.svc.RemovePasskey(ctx, f.user, keys[0].ID, addr, "alice"); !errors.Is(err, mfa.ErrRequired) {
		t.Fatalf("RemovePasskey(the last factor) = %v, want ErrRequired", err)
	}
	f.audited(t, storage.AuditMFAFailed, "passkey laptop removal refused")
	f.enrol(t)
	if err := f.svc.RemovePasskey(ctx, f.user, keys[0].ID, addr, "alice"); err != nil {
		t.Fatalf("RemovePasskey(with an authenticator app left) = %v", err)
	}
	f.audited(t, storage.AuditMFARemoved, "passkey laptop, by alice")
	if err := f.svc.RemovePasskey(ctx, f.user, keys[0].ID, addr, "alice"); !errors.Is(err, mfa.ErrNoFactor) {
		t.Errorf("RemovePasskey(again) = %v, want ErrNoFactor", err)
	}
	if err := f.svc.RemoveTOTP(ctx, f.user, addr, "alice"); !errors.Is(err, mfa.ErrRequired) {
		t.Errorf("RemoveTOTP(now the last) = %v, want ErrRequired", err)
	}
}

// TestRemoveFactorsAtOnce: removals at once of all a user's factors (two
// passkeys and the app) under the policy never leave the user without
// one, whichever order they run in.
func TestRemoveFactorsAtOnce(t *testing.T) {
	for range 5 {
		f := newFixture(t, mfa.PolicyAll)
		ctx := t.Context()
		f.addPasskey(t, f.user, "laptop")
		f.addPasskey(t, f.user, "phone")
		f.enrol(t)
		keys, _ := f.svc.ListPasskeys(ctx, f.user)
		removals := []func() error{func() error { return f.svc.RemoveTOTP(ctx, f.user, addr, "alice") }}
		for _, k := range keys {
			removals = append(removals, func() error { return f.svc.RemovePasskey(ctx, f.user, k.ID, addr, "alice") })
		}
		errs := make(chan error, len(removals))
		for _, remove := range removals {
			go func() { errs <- remove() }()
		}
		refused := 0
		for range removals {
			if err := <-errs; errors.Is(err, mfa.ErrRequired) {
				refused++
			} else if err != nil {
				t.Errorf("a removal: %v", err)
			}
		}
		got, _ := f.svc.Factors(ctx, f.user)
		if got.Count() != 1 || refused != 1 || got.RecoveryCodes != mfa.RecoveryCodes {
			t.Fatalf("after three removals at once: %+v, %d refused; want one factor left, one refusal, the recovery codes kept", got, refused)
		}
	}
}

// TestRecoveryCodesGoWithLastFactor: the recovery codes stay while a
// factor is left, whichever is removed, and go with the last.
func TestRecoveryCodesGoWithLastFactor(t *testing.T) {
	for _, first := range []string{"totp", "passkey"} {
		t.Run(first+" first", func(t *testing.T) {
			f := newFixture(t, mfa.PolicyOff)
			ctx := t.Context()
			f.addPasskey(t, f.user, "laptop")
			_, codes := f.enrol(t)
			keys, _ := f.svc.ListPasskeys(ctx, f.user)
			removeTOTP := func() error { return f.svc.RemoveTOTP(ctx, f.user, addr, "alice") }
			removeKey := func() error { return f.svc.RemovePasskey(ctx, f.user, keys[0].ID, addr, "alice") }
			order := []func() error{removeTOTP, removeKey}
			if first == "passkey" {
				order = []func() error{removeKey, removeTOTP}
			}
			if err := order[0](); err != nil {
				t.Fatal(err)
			}
			if got, _ := f.svc.Factors(ctx, f.user); got.RecoveryCodes != len(codes) {
				t.Errorf("after removing the %s (a factor left): %d recovery codes, want %d", first, got.RecoveryCodes, len(codes))
			}
			if err := order[1](); err != nil {
				t.Fatal(err)
			}
			if got, _ := f.svc.Factors(ctx, f.user); got != (storage.SecondFactors{}) {
				t.Errorf("after removing the last factor: %+v, want nothing (the codes go with it)", got)
			}
		})
	}
}
