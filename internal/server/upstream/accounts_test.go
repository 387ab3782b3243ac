package upstream_test

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hubauth/hubauth/internal/secret"
	"github.com/hubauth/hubauth/internal/server/upstream"
	"github.com/hubauth/hubauth/internal/storage"
)

// accountsRig is a hub side with provider "up" stored (no upstream needed:
// these tests start from the Identity Finish returns).
func accountsRig(t *testing.T, p storage.IdentityProvider) (*rig, storage.IdentityProvider) {
	t.Helper()
	rg := newRig(t)
	p.Name, p.Issuer, p.ClientID, p.ClientSecret = "up", "https://up.example", "hub", "s"
	return rg, rg.addProvider(p)
}

// addUser stores a user (with a password unless pw is false); its e-mail
// address counts as verified, as one an administrator sets.
func (rg *rig) addUser(username, email string, pw bool) storage.User {
	rg.t.Helper()
	u := storage.User{ID: secret.ID(), Username: username, Email: email, EmailVerified: email != "", CreatedAt: time.Now().UTC()}
	if pw {
		u.PasswordHash = "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"
	}
	if err := rg.Store.CreateUser(rg.t.Context(), u); err != nil {
		rg.t.Fatal(err)
	}
	return u
}

// change updates user u in the store.
func (rg *rig) change(u storage.User, f func(*storage.User)) {
	rg.t.Helper()
	err := rg.Store.UpdateUser(rg.t.Context(), u.ID, func(u storage.User) (storage.User, error) { f(&u); return u, nil })
	if err != nil {
		rg.t.Fatal(err)
	}
}

func (rg *rig) link(u storage.User, provider, subject string) {
	rg.t.Helper()
	err := rg.Store.CreateUserIdentity(rg.t.Context(), storage.UserIdentity{Provider: provider, Subject: subject, UserID: u.ID, CreatedAt: time.Now().UTC()})
	if err != nil {
		rg.t.Fatal(err)
	}
}

func TestProvisionUsernames(t *testing.T) {
	generated := regexp.MustCompile(`^user-[a-z0-9]{8}$`)
	tests := []struct {
		name, claim string
		taken       []string
		want        string         // exact username, or
		wantRe      *regexp.Regexp // a pattern
	}{
		{name: "claim lower-cased", claim: "Ada.Lovelace", want: "ada.lovelace"},
		{name: "invalid characters dropped", claim: "Ådå Løvé!", want: "dlv"},
		{name: "no leading dash", claim: "--rm", want: "rm"},
		{name: "e-mail-like claim kept", claim: "test-user@127.0.0.1", want: "test-user@127.0.0.1"},
		{name: "empty claim generated", claim: "", wantRe: generated},
		{name: "nothing valid generated", claim: "ラボ", wantRe: generated},
		{name: "taken: -2", claim: "ada", taken: []string{"ada"}, want: "ada-2"},
		{name: "taken twice: -3", claim: "Ada", taken: []string{"ada", "ada-2"}, want: "ada-3"},
		{name: "all numbers taken: random", claim: "ada", taken: []string{"ada", "ada-2", "ada-3", "ada-4", "ada-5"}, wantRe: regexp.MustCompile(`^ada-[a-z0-9]{8}$`)},
		{name: "long claim clipped", claim: strings.Repeat("x", 100), want: strings.Repeat("x", 55)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rg, p := accountsRig(t, storage.IdentityProvider{})
			for _, u := range tt.taken {
				rg.addUser(u, "", true)
			}
			u, err := rg.Fed.SignIn(t.Context(), upstream.Identity{Provider: p, Subject: "s1", Username: tt.claim}, "127.0.0.1")
			wantErr(t, err, nil)
			if tt.wantRe != nil && !tt.wantRe.MatchString(u.Username) || tt.wantRe == nil && u.Username != tt.want {
				t.Fatalf("username = %q, want %q %v", u.Username, tt.want, tt.wantRe)
			}
		})
	}
}

func TestSignInAccounts(t *testing.T) {
	tests := []struct {
		name     string
		provider storage.IdentityProvider
		setup    func(rg *rig) (wantUser string) // id of the user to sign in as; "" for a new one
		id       upstream.Identity
		want     error
		audit    string // type of an audit event expected
	}{
		{name: "provisioning off: no account", provider: storage.IdentityProvider{Provision: storage.ProvisionOff},
			id: upstream.Identity{Subject: "s1", Username: "ada"}, want: upstream.ErrNoAccount, audit: storage.AuditUpstreamFailed},
		{name: "pre-linked identity, provisioning off", provider: storage.IdentityProvider{Provision: storage.ProvisionOff},
			setup: func(rg *rig) string { u := rg.addUser("ada", "", true); rg.link(u, "up", "s1"); return u.ID },
			id:    upstream.Identity{Subject: "s1", Username: "whatever"}, audit: storage.AuditUpstreamLogin},
		{name: "disabled hub user", setup: func(rg *rig) string {
			u := rg.addUser("ada", "", true)
			rg.link(u, "up", "s1")
			rg.Store.UpdateUser(rg.t.Context(), u.ID, func(u storage.User) (storage.User, error) { u.Disabled = true; return u, nil })
			return ""
		}, id: upstream.Identity{Subject: "s1"}, want: upstream.ErrUserDisabled, audit: storage.AuditUpstreamFailed},
		{name: "verified e-mail links", provider: storage.IdentityProvider{LinkVerifiedEmail: true, Provision: storage.ProvisionOff},
			setup: func(rg *rig) string { return rg.addUser("ada", "Ada@Example.org", true).ID },
			id:    upstream.Identity{Subject: "s1", Email: "ada@example.org", EmailVerified: true}, audit: storage.AuditIdentityLinked},
		{name: "unverified e-mail does not link", provider: storage.IdentityProvider{LinkVerifiedEmail: true, Provision: storage.ProvisionOff},
			setup: func(rg *rig) string { rg.addUser("ada", "ada@example.org", true); return "" },
			id:    upstream.Identity{Subject: "s1", Email: "ada@example.org"}, want: upstream.ErrNoAccount},
		{name: "verified e-mail without link-verified-email provisions", provider: storage.IdentityProvider{},
			setup: func(rg *rig) string { rg.addUser("ada", "ada@example.org", true); return "" },
			id:    upstream.Identity{Subject: "s1", Username: "ada", Email: "ada@example.org", EmailVerified: true}, audit: storage.AuditUserProvisioned},
		{name: "unverified stored address does not link", provider: storage.IdentityProvider{LinkVerifiedEmail: true, Provision: storage.ProvisionOff},
			setup: func(rg *rig) string {
				rg.change(rg.addUser("ada", "ada@example.org", true), func(u *storage.User) { u.EmailVerified = false })
				return ""
			}, id: upstream.Identity{Subject: "s1", Email: "ada@example.org", EmailVerified: true}, want: upstream.ErrNoAccount},
		{name: "disabled user not linked", provider: storage.IdentityProvider{LinkVerifiedEmail: true, Provision: storage.ProvisionOff},
			setup: func(rg *rig) string {
				rg.change(rg.addUser("ada", "ada@example.org", true), func(u *storage.User) { u.Disabled = true })
				return ""
			}, id: upstream.Identity{Subject: "s1", Email: "ada@example.org", EmailVerified: true}, want: upstream.ErrNoAccount},
		{name: "administrator not linked", provider: storage.IdentityProvider{LinkVerifiedEmail: true, Provision: storage.ProvisionOff},
			setup: func(rg *rig) string {
				rg.change(rg.addUser("ada", "ada@example.org", true), func(u *storage.User) { u.Admin = true })
				return ""
			}, id: upstream.Identity{Subject: "s1", Email: "ada@example.org", EmailVerified: true}, want: upstream.ErrNoAccount},
		{name: "user with another identity of the provider not linked", provider: storage.IdentityProvider{LinkVerifiedEmail: true, Provision: storage.ProvisionOff},
			setup: func(rg *rig) string { rg.link(rg.addUser("ada", "ada@example.org", true), "up", "s0"); return "" },
			id:    upstream.Identity{Subject: "s1", Email: "ada@example.org", EmailVerified: true}, want: upstream.ErrNoAccount},
		{name: "e-mail of two users does not link", provider: storage.IdentityProvider{LinkVerifiedEmail: true, Provision: storage.ProvisionOff},
			setup: func(rg *rig) string {
				rg.addUser("ada", "ada@example.org", true)
				rg.addUser("ada2", "ADA@example.org", true)
				return ""
			}, id: upstream.Identity{Subject: "s1", Email: "ada@example.org", EmailVerified: true}, want: upstream.ErrNoAccount},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rg, p := accountsRig(t, tt.provider)
			wantID := ""
			if tt.setup != nil {
				wantID = tt.setup(rg)
			}
			tt.id.Provider = p
			u, err := rg.Fed.SignIn(t.Context(), tt.id, "127.0.0.1")
			wantErr(t, err, tt.want)
			if err == nil && wantID != "" && u.ID != wantID {
				t.Fatalf("signed in as %s (%s), want %s", u.ID, u.Username, wantID)
			}
			if tt.audit != "" {
				rg.lastAudit(tt.audit)
			}
			if errors.Is(err, upstream.ErrNoAccount) {
				if _, gerr := rg.Store.GetUserIdentity(t.Context(), "up", "s1"); gerr == nil {
					t.Fatal("a refused sign-in linked the identity")
				}
			}
		})
	}
}

// TestUnverifiedEmailTakesNoAccount is the two steps of the takeover
// through an unverified address: an identity of a provider that does not
// verify addresses brings the victim's address to the attacker's account;
// the victim's first sign-in at a provider that links by verified e-mail
// must not land in that account. The same holds when the address reaches
// an existing account by refresh.
func TestUnverifiedEmailTakesNoAccount(t *testing.T) {
	for _, refreshed := range []bool{false, true} {
		t.Run(fmt.Sprint("refreshed=", refreshed), func(t *testing.T) {
			rg, weak := accountsRig(t, storage.IdentityProvider{})
			strong := rg.addProvider(storage.IdentityProvider{Name: "strong", Issuer: "https://strong.example", ClientID: "hub",
				ClientSecret: "s", LinkVerifiedEmail: true})
			ctx := t.Context()
			attacker := upstream.Identity{Provider: weak, Subject: "mallory", Username: "mallory", Email: "victim@example.org"}
			if refreshed {
				rg.link(rg.addUser("mallory", "mallory@example.org", true), "up", "mallory")
			}
			a, err := rg.Fed.SignIn(ctx, attacker, "127.0.0.1")
			wantErr(t, err, nil)
			stored, _ := rg.Store.GetUser(ctx, a.ID)
			if stored.Email != "victim@example.org" || stored.EmailVerified {
				t.Fatalf("attacker's user = %+v, want the address stored unverified", stored)
			}
			victim := upstream.Identity{Provider: strong, Subject: "victim", Username: "victim", Email: "victim@example.org", EmailVerified: true}
			v, err := rg.Fed.SignIn(ctx, victim, "127.0.0.1")
			wantErr(t, err, nil)
			if v.ID == a.ID {
				t.Fatal("the victim's identity was linked to the attacker's account")
			}
		})
	}
}

// TestProvisionRace: identities racing for one username all get a user,
// with distinct usernames; one identity racing itself gets one user.
func TestProvisionRace(t *testing.T) {
	rg, p := accountsRig(t, storage.IdentityProvider{})
	const n = 6
	users := make([]storage.User, 2*n)
	errs := make([]error, 2*n)
	var wg sync.WaitGroup
	for i := range 2 * n {
		wg.Go(func() {
			sub := fmt.Sprint("racer-", i)
			if i >= n {
				sub = "same-identity"
			}
			users[i], errs[i] = rg.Fed.SignIn(t.Context(), upstream.Identity{Provider: p, Subject: sub, Username: "popular"}, "127.0.0.1")
		})
	}
	wg.Wait()
	names := map[string]bool{}
	for i := range n {
		wantErr(t, errs[i], nil)
		if names[users[i].Username] {
			t.Fatalf("username %q given twice", users[i].Username)
		}
		names[users[i].Username] = true
	}
	for i := n; i < 2*n; i++ {
		wantErr(t, errs[i], nil)
		if users[i].ID != users[n].ID {
			t.Fatalf("one identity became users %s and %s", users[i].ID, users[n].ID)
		}
	}
	if names[users[n].Username] {
		t.Fatalf("username %q given twice", users[n].Username)
	}
}

func TestSignInRefreshesProfileAndGroups(t *testing.T) {
	rg, p := accountsRig(t, storage.IdentityProvider{GroupsClaim: "groups", GroupsPrefix: "up-"})
	ctx := t.Context()
	id := upstream.Identity{Provider: p, Subject: "s1", Username: "ada", Name: "Ada", Email: "ada@example.org",
		Groups: []string{"physics", "chem", "bad name", "x\x1by"}}
	u, err := rg.Fed.SignIn(ctx, id, "127.0.0.1")
	wantErr(t, err, nil)
	for _, g := range []string{"staff", "up-old"} {
		rg.Store.CreateGroup(ctx, storage.Group{Name: g, CreatedAt: time.Now().UTC()})
		if err := rg.Store.AddGroupMember(ctx, g, u.ID); err != nil {
			t.Fatal(err)
		}
	}
	if got := groupsOf(t, rg, u.ID); got != "staff up-chem up-old up-physics" {
		t.Fatalf("groups after the first sign-in = %q", got)
	}
	id.Name, id.Email, id.Groups = "Ada Lovelace", "", []string{"chem"}
	u, err = rg.Fed.SignIn(ctx, id, "127.0.0.1")
	wantErr(t, err, nil)
	if got := groupsOf(t, rg, u.ID); got != "staff up-chem" {
		t.Fatalf("groups after the second sign-in = %q, want staff kept and up-* as claimed", got)
	}
	stored, _ := rg.Store.GetUser(ctx, u.ID)
	if stored.Name != "Ada Lovelace" || stored.Email != "ada@example.org" || stored.EmailVerified || u.Name != "Ada Lovelace" {
		t.Fatalf("user = %+v (returned %+v), want the new name and the e-mail kept", stored, u)
	}
	ui, _ := rg.Store.GetUserIdentity(ctx, "up", "s1")
	if ui.LastLoginAt.IsZero() {
		t.Fatal("identity not touched")
	}
}

func groupsOf(t *testing.T, rg *rig, userID string) string {
	t.Helper()
	gs, err := rg.Store.ListUserGroups(t.Context(), userID)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(gs, " ")
}

func TestLinkAndUnlink(t *testing.T) {
	rg, p := accountsRig(t, storage.IdentityProvider{})
	ctx := t.Context()
	// A provisioned user has no password: its only identity is its last way in.
	u, err := rg.Fed.SignIn(ctx, upstream.Identity{Provider: p, Subject: "s1", Username: "ada"}, "127.0.0.1")
	wantErr(t, err, nil)
	wantErr(t, rg.Fed.Unlink(ctx, u, "up", "s1", "127.0.0.1"), storage.ErrLastSignIn)
	other := rg.addUser("bob", "", true)
	second := upstream.Identity{Provider: p, Subject: "s2"}
	wantErr(t, rg.Fed.Link(ctx, u, second, "127.0.0.1"), nil)
	wantErr(t, rg.Fed.Link(ctx, u, second, "127.0.0.1"), nil) // already u's
	wantErr(t, rg.Fed.Link(ctx, other, second, "127.0.0.1"), upstream.ErrLinkedElsewhere)
	wantErr(t, rg.Fed.Unlink(ctx, u, "up", "s1", "127.0.0.1"), nil)
	wantErr(t, rg.Fed.Unlink(ctx, u, "up", "s1", "127.0.0.1"), storage.ErrNotFound)
	if len(rg.audits(storage.AuditIdentityLinked)) != 1 || len(rg.audits(storage.AuditIdentityUnlinked)) != 1 {
		t.Fatal("link and unlink not audited once each")
	}
	again, err := rg.Fed.SignIn(ctx, second, "127.0.0.1")
	if err != nil || again.ID != u.ID {
		t.Fatalf("sign-in with the linked identity: %v, %+v", err, again)
	}
}
