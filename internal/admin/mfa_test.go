package admin_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/hubauth/hubauth/internal/admin"
	"github.com/hubauth/hubauth/internal/storage"
)

// TestResetMFAPasskeys: reset-mfa removes a passkey-only user's passkeys
// and recovery codes, audited first; a second reset finds nothing.
func TestResetMFAPasskeys(t *testing.T) {
	a, s := newAdmin(t)
	ctx := t.Context()
	if err := s.CreateUser(ctx, storage.User{ID: "u-1", Username: "alice", CreatedAt: now}); err != nil {
		t.Fatal(err)
	}
	for i, id := range []string{"p-1", "p-2"} {
		_, err := s.CreatePasskey(ctx, storage.Passkey{ID: id, UserID: "u-1", CredentialID: []byte{byte(i)}, PublicKey: []byte("k"),
			Name: id, CreatedAt: now}, nil)
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := s.ReplaceRecoveryCodes(ctx, "u-1", []string{"h1"}, now); err != nil {
		t.Fatal(err)
	}
	f, _ := s.GetSecondFactors(ctx, "u-1")
	if got := admin.FactorNames(f); !slices.Equal(got, []string{"passkey"}) {
		t.Errorf("FactorNames(%+v) = %v, want [passkey]", f, got)
	}
	if err := a.ResetMFA(ctx, "alice"); err != nil {
		t.Fatalf("ResetMFA() = %v", err)
	}
	if e := lastAudit(t, s); e.Type != storage.AuditMFARemoved || !strings.Contains(e.Detail, "2 passkeys") {
		t.Errorf("audit event %+v, want mfa_removed naming 2 passkeys", e)
	}
	if f, _ := s.GetSecondFactors(ctx, "u-1"); f != (storage.SecondFactors{}) {
		t.Errorf("after ResetMFA: %+v, want nothing", f)
	}
	if err := a.ResetMFA(ctx, "alice"); !errors.Is(err, admin.ErrNoSecondFactor) {
		t.Errorf("ResetMFA(again) = %v, want ErrNoSecondFactor", err)
	}
}
