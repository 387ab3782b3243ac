package mfa_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/hubauth/hubauth/internal/hubtest"
	"github.com/hubauth/hubauth/internal/server/authn"
	"github.com/hubauth/hubauth/internal/server/mfa"
)

// TestPasskeySignInFailuresByAddress: forged sign-in answers naming a
// user's real credential id, from many addresses, never slow that user
// down (the user is not known until the signature checks out); they, the
// unknown passkeys and the malformed answers slow down their address.
func TestPasskeySignInFailuresByAddress(t *testing.T) {
	f := newFixture(t, mfa.PolicyOff)
	ctx := t.Context()
	k := f.addPasskey(t, f.user, "laptop")
	_, codes := f.enrol(t)
	forger := hubtest.NewPasskey(t, "hub.example.org")
	forger.ID, forger.UserHandle = k.ID, []byte(f.user.ID) // the real id, a wrong key
	for i := range 4 {
		from := fmt.Sprintf("198.51.100.%d", i)
		for range 6 {
			if err := f.signInFrom(t, from, func(o []byte) []byte { return forger.Assert(t, o, origin) }); err == nil {
				t.Fatal("a forged answer passed")
			}
		}
	}
	if m, err := f.svc.Verify(ctx, f.user, codes[0], addr); err != nil {
		t.Errorf("the user's own recovery code after forged sign-ins elsewhere: %q, %v; want it accepted", m, err)
	}
	if _, _, err := f.signIn(t, func(o []byte) []byte { return k.Assert(t, o, origin) }); err != nil {
		t.Errorf("the user's passkey sign-in after forged ones elsewhere: %v", err)
	}

	stranger := hubtest.NewPasskey(t, "hub.example.org")
	for _, tt := range []struct {
		name   string
		answer func(o []byte) []byte
	}{
		{"unknown passkey", func(o []byte) []byte { return stranger.Assert(t, o, origin) }},
		{"malformed", func([]byte) []byte { return []byte(`{"id":`) }},
		{"forged", func(o []byte) []byte { return forger.Assert(t, o, origin) }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			from := "203.0.113." + fmt.Sprint(len(tt.name))
			var err error
			for range 10 {
				if err = f.signInFrom(t, from, tt.answer); err != nil && !errors.Is(err, mfa.ErrPasskeyRefused) {
					break
				}
			}
			var throttled *authn.ThrottledError
			if !errors.As(err, &throttled) {
				t.Errorf("after 10 refused answers from one address: %v, want it slowed down", err)
			}
		})
	}
}

// signInFrom is signIn from address from.
func (f *fixture) signInFrom(t *testing.T, from string, answer func(opts []byte) []byte) error {
	t.Helper()
	c, err := f.svc.BeginSignIn(t.Context())
	if err != nil {
		t.Fatalf("BeginSignIn() = %v", err)
	}
	_, _, err = f.svc.FinishSignIn(t.Context(), c.Token, answer(c.Options), from)
	return err
}

// TestPasskeyRegistrationThrottled: refused registrations count as wrong
// codes do, and once they are slowed down none is checked.
func TestPasskeyRegistrationThrottled(t *testing.T) {
	f := newFixture(t, mfa.PolicyOff)
	ctx := t.Context()
	k := hubtest.NewPasskey(t, "hub.example.org")
	var err error
	for range 10 {
		c, berr := f.svc.BeginRegistration(ctx, f.user, "s-1", "laptop")
		if berr != nil {
			t.Fatal(berr)
		}
		if _, _, err = f.svc.FinishRegistration(ctx, f.user, "s-1", c.Token, k.Register(t, c.Options, "https://evil.example"), addr); !errors.Is(err, mfa.ErrPasskeyRefused) {
			break
		}
	}
	var throttled *authn.ThrottledError
	if !errors.As(err, &throttled) {
		t.Errorf("after 10 refused registrations: %v, want them slowed down", err)
	}
}
