package mfa_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/hubauth/hubauth/internal/hubtest"
	"github.com/hubauth/hubauth/internal/server/mfa"
	"github.com/hubauth/hubauth/internal/storage"
)

// origin is the fixture hub's issuer: its passkeys' relying party.
const origin = "https://hub.example.org"

// addPasskey registers a software passkey for u on the fixture's
// service, from the browser session "s-1".
func (f *fixture) addPasskey(t *testing.T, u storage.User, name string) *hubtest.Passkey {
	t.Helper()
	k := hubtest.NewPasskey(t, "hub.example.org")
	c, err := f.svc.BeginRegistration(t.Context(), u, "s-1", name)
	if err != nil {
		t.Fatalf("BeginRegistration() = %v", err)
	}
	if _, _, err := f.svc.FinishRegistration(t.Context(), u, "s-1", c.Token, k.Register(t, c.Options, origin), addr); err != nil {
		t.Fatalf("FinishRegistration() = %v", err)
	}
	return k
}

// signIn runs a passkey sign-in whose answer answer makes from the
// ceremony's options.
func (f *fixture) signIn(t *testing.T, answer func(opts []byte) []byte) (storage.User, []string, error) {
	t.Helper()
	c, err := f.svc.BeginSignIn(t.Context())
	if err != nil {
		t.Fatalf("BeginSignIn() = %v", err)
	}
	return f.svc.FinishSignIn(t.Context(), c.Token, answer(c.Options), addr)
}

func TestPasskeySignIn(t *testing.T) {
	for _, tt := range []struct {
		name    string
		synced  bool
		wantAMR []string
	}{
		{"device-bound", false, []string{"hwk", "user", "mfa"}},
		{"synced", true, []string{"swk", "user", "mfa"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, mfa.PolicyOff)
			k := hubtest.NewPasskey(t, "hub.example.org")
			k.BE = tt.synced
			c, err := f.svc.BeginRegistration(t.Context(), f.user, "s-1", "laptop")
			if err != nil {
				t.Fatal(err)
			}
			p, codes, err := f.svc.FinishRegistration(t.Context(), f.user, "s-1", c.Token, k.Register(t, c.Options, origin), addr)
			if err != nil || p.Name != "laptop" || p.BackupEligible != tt.synced || len(codes) != mfa.RecoveryCodes {
				t.Fatalf("FinishRegistration() = %+v, %d recovery codes, %v", p, len(codes), err)
			}
			if m, err := f.svc.Verify(t.Context(), f.user, codes[0], addr); err != nil || m != storage.AMROTP {
				t.Errorf("Verify(a recovery code of the passkey set-up) = %q, %v", m, err)
			}
			f.audited(t, storage.AuditMFAEnrolled, "passkey laptop")
			if got, _ := f.svc.Factors(t.Context(), f.user); !got.Any() || got.Passkeys != 1 {
				t.Errorf("factors after registration: %+v", got)
			}
			u, amr, err := f.signIn(t, func(o []byte) []byte { return k.Assert(t, o, origin) })
			if err != nil || u.ID != f.user.ID || !slices.Equal(amr, tt.wantAMR) {
				t.Fatalf("FinishSignIn() = %s, %v, %v; want alice, %v", u.Username, amr, err, tt.wantAMR)
			}
			f.audited(t, storage.AuditMFASucceeded, "passkey laptop (sign-in)")
		})
	}
}

func TestPasskeyCeremonyOnce(t *testing.T) {
	f := newFixture(t, mfa.PolicyOff)
	k := f.addPasskey(t, f.user, "laptop")
	c, err := f.svc.BeginSignIn(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	answer := k.Assert(t, c.Options, origin)
	if _, _, err := f.svc.FinishSignIn(t.Context(), c.Token, answer, addr); err != nil {
		t.Fatalf("FinishSignIn() = %v", err)
	}
	if _, _, err := f.svc.FinishSignIn(t.Context(), c.Token, answer, addr); !errors.Is(err, mfa.ErrNoCeremony) {
		t.Errorf("FinishSignIn(replayed) = %v, want ErrNoCeremony", err)
	}
	f.audited(t, storage.AuditMFAFailed, "no request under way")
	c, _ = f.svc.BeginSignIn(t.Context())
	f.clock.Advance(mfa.PasskeyTTL)
	if _, _, err := f.svc.FinishSignIn(t.Context(), c.Token, k.Assert(t, c.Options, origin), addr); !errors.Is(err, mfa.ErrNoCeremony) {
		t.Errorf("FinishSignIn(expired) = %v, want ErrNoCeremony", err)
	}
}

func TestPasskeySecondFactor(t *testing.T) {
	f := newFixture(t, mfa.PolicyOff)
	k := f.addPasskey(t, f.user, "laptop")
	bob := storage.User{ID: "u-2", Username: "bob", CreatedAt: f.clock.Now()}
	if err := f.store.CreateUser(t.Context(), bob); err != nil {
		t.Fatal(err)
	}
	kb := f.addPasskey(t, bob, "bob's key")
	ctx := t.Context()
	for _, tt := range []struct {
		name   string
		key    *hubtest.Passkey
		owner  string
		want   error
		method string
	}{
		{"another user's passkey", kb, "l-1", mfa.ErrPasskeyRefused, ""},
		{"another waiting sign-in", k, "l-2", mfa.ErrNoCeremony, ""},
		{"the user's passkey", k, "l-1", nil, "hwk"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c, err := f.svc.BeginSecondFactor(ctx, f.user, "l-1")
			if err != nil {
				t.Fatal(err)
			}
			m, err := f.svc.FinishSecondFactor(ctx, f.user, tt.owner, c.Token, tt.key.Assert(t, c.Options, origin), addr)
			if !errors.Is(err, tt.want) || m != tt.method {
				t.Errorf("FinishSecondFactor() = %q, %v; want %q, %v", m, err, tt.method, tt.want)
			}
		})
	}
	if _, err := f.svc.BeginSecondFactor(ctx, storage.User{ID: "u-none"}, "l-1"); !errors.Is(err, mfa.ErrNoFactor) {
		t.Errorf("BeginSecondFactor(no passkeys) = %v, want ErrNoFactor", err)
	}
}

func TestPasskeyRegistrationRefused(t *testing.T) {
	f := newFixture(t, mfa.PolicyOff)
	ctx := t.Context()
	k := hubtest.NewPasskey(t, "hub.example.org")
	for _, tt := range []struct {
		name          string
		owner, origin string
		want          error
	}{
		{"another browser session", "s-2", origin, mfa.ErrNoCeremony},
		{"wrong origin", "s-1", "https://evil.example", mfa.ErrPasskeyRefused},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c, err := f.svc.BeginRegistration(ctx, f.user, "s-1", "laptop")
			if err != nil {
				t.Fatal(err)
			}
			if _, _, err := f.svc.FinishRegistration(ctx, f.user, tt.owner, c.Token, k.Register(t, c.Options, tt.origin), addr); !errors.Is(err, tt.want) {
				t.Errorf("FinishRegistration() = %v, want %v", err, tt.want)
			}
			if got, _ := f.svc.Factors(ctx, f.user); got.Passkeys != 0 {
				t.Errorf("a refused registration saved a passkey: %+v", got)
			}
		})
	}
	for _, name := range []string{"", strings.Repeat("x", 65), "tab\there"} {
		if _, err := f.svc.BeginRegistration(ctx, f.user, "s-1", name); !errors.Is(err, mfa.ErrPasskeyName) {
			t.Errorf("BeginRegistration(name %q) = %v, want ErrPasskeyName", name, err)
		}
	}
	f.addPasskey(t, f.user, "laptop")
	c, _ := f.svc.BeginRegistration(ctx, f.user, "s-1", "again")
	if _, codes, err := f.svc.FinishRegistration(ctx, f.user, "s-1", c.Token, k.Register(t, c.Options, origin), addr); err != nil || codes != nil {
		t.Fatalf("a second passkey: %d new recovery codes, %v; want none (the user has some)", len(codes), err)
	}
	c, _ = f.svc.BeginRegistration(ctx, f.user, "s-1", "twice")
	if _, _, err := f.svc.FinishRegistration(ctx, f.user, "s-1", c.Token, k.Register(t, c.Options, origin), addr); !errors.Is(err, mfa.ErrPasskeyExists) {
		t.Errorf("the same passkey twice: %v, want ErrPasskeyExists", err)
	}
}

func TestPasskeysUnavailable(t *testing.T) {
	for _, tt := range []struct{ origin, want string }{
		{"http://127.0.0.1:8080", "serve --issuer http://localhost:8080"},
		{"https://10.1.2.3", "with a domain name"},
		{"http://hub.lan:8080", "only over https"},
		{"", "not a URL"},
		{"http://localhost:8080", ""},
		{"https://hub.example.org", ""},
	} {
		t.Run(tt.origin, func(t *testing.T) {
			svc := mfa.New(mfa.Config{Store: hubtest.SQLite(t), Origin: tt.origin, Now: (&hubtest.Clock{}).Now})
			got := svc.PasskeysUnavailable()
			if (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
				t.Errorf("PasskeysUnavailable() = %q, want %q in it", got, tt.want)
			}
			if _, err := svc.BeginSignIn(t.Context()); (err != nil) != (tt.want != "") {
				t.Errorf("BeginSignIn() = %v", err)
			}
		})
	}
}

// TestPasskeyAMRFromAnswer: the amr of a passkey sign-in says what this
// answer's authenticator did, not what it did at registration: a passkey
// registered without user verification and used with it is two factors.
func TestPasskeyAMRFromAnswer(t *testing.T) {
	f := newFixture(t, mfa.PolicyOff)
	k := hubtest.NewPasskey(t, "hub.example.org")
	k.UV = false
	c, err := f.svc.BeginRegistration(t.Context(), f.user, "s-1", "key")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.svc.FinishRegistration(t.Context(), f.user, "s-1", c.Token, k.Register(t, c.Options, origin), addr); err != nil {
		t.Fatalf("FinishRegistration(no user verification) = %v", err)
	}
	k.UV = true
	_, amr, err := f.signIn(t, func(o []byte) []byte { return k.Assert(t, o, origin) })
	if want := []string{"hwk", "user", "mfa"}; err != nil || !slices.Equal(amr, want) {
		t.Errorf("FinishSignIn(verified now) = %q, %v; want %q", amr, err, want)
	}
}

// TestPasskeyOriginNormalised: the issuer is compared as browsers send
// the origin: host in lower case, no default port.
func TestPasskeyOriginNormalised(t *testing.T) {
	for _, issuer := range []string{"https://HUB.Example.org", "https://hub.example.org:443", "https://hub.example.org:443/hub"} {
		t.Run(issuer, func(t *testing.T) {
			f := newFixture(t, mfa.PolicyOff)
			f.svc = mfa.New(mfa.Config{Store: f.store, Policy: mfa.PolicyOff, Issuer: "hub.example.org", Origin: issuer, Now: f.clock.Now})
			k := hubtest.NewPasskey(t, "hub.example.org")
			c, err := f.svc.BeginRegistration(t.Context(), f.user, "s-1", "laptop")
			if err != nil {
				t.Fatal(err)
			}
			if _, _, err := f.svc.FinishRegistration(t.Context(), f.user, "s-1", c.Token, k.Register(t, c.Options, origin), addr); err != nil {
				t.Errorf("FinishRegistration(from %s) = %v", origin, err)
			}
		})
	}
}
