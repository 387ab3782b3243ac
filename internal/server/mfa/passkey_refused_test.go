package mfa_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/hubauth/hubauth/internal/hubtest"
	"github.com/hubauth/hubauth/internal/server/mfa"
	"github.com/hubauth/hubauth/internal/storage"
)

// TestPasskeyBadAnswers: every answer that is not the registered
// passkey's, signed now, for this hub and this challenge, is refused and
// audited, and the stored counter does not move.
func TestPasskeyBadAnswers(t *testing.T) {
	f := newFixture(t, mfa.PolicyOff)
	k := f.addPasskey(t, f.user, "laptop")
	bob := storage.User{ID: "u-2", Username: "bob", CreatedAt: f.clock.Now()}
	if err := f.store.CreateUser(t.Context(), bob); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.signIn(t, func(o []byte) []byte { return k.Assert(t, o, origin) }); err != nil {
		t.Fatalf("the first sign-in: %v", err) // the hub has seen the counter move
	}
	stranger := hubtest.NewPasskey(t, "hub.example.org")
	stranger.UserHandle = []byte(f.user.ID)
	tests := []struct {
		name   string
		answer func(t *testing.T, opts []byte) []byte
		want   error
		audit  string
	}{
		{"wrong origin", func(t *testing.T, o []byte) []byte { return k.Assert(t, o, "https://evil.example") }, mfa.ErrPasskeyRefused, "origin"},
		{"wrong challenge", func(t *testing.T, o []byte) []byte {
			return k.Assert(t, []byte(`{"publicKey":{"challenge":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}}`), origin)
		}, mfa.ErrPasskeyRefused, "hallenge"},
		{"tampered signature", func(t *testing.T, o []byte) []byte { return tamper(t, k.Assert(t, o, origin), "signature") }, mfa.ErrPasskeyRefused, "passkey sign-in with laptop"},
		{"tampered authenticator data", func(t *testing.T, o []byte) []byte { return tamper(t, k.Assert(t, o, origin), "authenticatorData") }, mfa.ErrPasskeyRefused, "passkey sign-in with laptop: Error validating the authenticator response (RP Hash mismatch"},
		{"another user's handle", func(t *testing.T, o []byte) []byte {
			saved := k.UserHandle
			k.UserHandle = []byte(bob.ID)
			defer func() { k.UserHandle = saved }()
			return k.Assert(t, o, origin)
		}, mfa.ErrPasskeyRefused, "another user"},
		{"unknown passkey", func(t *testing.T, o []byte) []byte { return stranger.Assert(t, o, origin) }, mfa.ErrPasskeyRefused, "unknown passkey"},
		{"no user verification", func(t *testing.T, o []byte) []byte {
			k.UV = false
			defer func() { k.UV = true }()
			return k.Assert(t, o, origin)
		}, mfa.ErrPasskeyRefused, "erif"},
		{"malformed", func(*testing.T, []byte) []byte { return []byte(`{"id":`) }, mfa.ErrPasskeyRefused, "malformed answer"},
		{"counter going backwards", func(t *testing.T, o []byte) []byte {
			k.Count = 0 // the hub has seen 1 or more
			return k.Assert(t, o, origin)
		}, mfa.ErrPasskeyCloned, "a cloned authenticator?"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, _ := f.store.ListPasskeys(t.Context(), f.user.ID)
			_, _, err := f.signIn(t, func(o []byte) []byte { return tt.answer(t, o) })
			if !errors.Is(err, tt.want) {
				t.Fatalf("FinishSignIn() = %v, want %v", err, tt.want)
			}
			f.audited(t, storage.AuditMFAFailed, tt.audit)
			after, _ := f.store.ListPasskeys(t.Context(), f.user.ID)
			if after[0].SignCount != before[0].SignCount || !after[0].LastUsedAt.Equal(before[0].LastUsedAt) {
				t.Errorf("a refused answer moved the counter %d -> %d", before[0].SignCount, after[0].SignCount)
			}
		})
		f.svc = mfa.New(mfa.Config{Store: f.store, Policy: mfa.PolicyOff, Issuer: "hub.example.org", Origin: origin, Now: f.clock.Now}) // a fresh throttle
	}
}

// tamper flips a bit in the middle of the answer's response field.
func tamper(t *testing.T, answer []byte, field string) []byte {
	t.Helper()
	var a map[string]any
	if err := json.Unmarshal(answer, &a); err != nil {
		t.Fatal(err)
	}
	resp := a["response"].(map[string]any)
	b := []byte(resp[field].(string))
	i := len(b) / 2
	if b[i] == 'A' {
		b[i] = 'B'
	} else {
		b[i] = 'A'
	}
	resp[field] = string(b)
	out, _ := json.Marshal(a)
	return out
}
