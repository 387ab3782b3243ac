package storagetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/hubauth/hubauth/internal/storage"
)

func testDeleteIdentity(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	createIDPs(t, s, "orcid", "egi")
	alice := newUser("u-1", "alice")
	createUsers(t, s, alice, newUser("u-2", "bob"))
	orcid, egi := newIdentity("orcid", "sub-1", "u-1"), newIdentity("egi", "sub-1", "u-1")
	bobs := newIdentity("orcid", "sub-2", "u-2")
	createIdentities(t, s, orcid, egi, bobs)

	noCheck := func(storage.User, []storage.UserIdentity) error {
		t.Error("check called for an identity the user does not have")
		return nil
	}
	tests := []struct {
		name, userID, provider, subject string
	}{
		{"unknown user", "u-none", "orcid", "sub-1"},
		{"another user's identity", "u-1", "orcid", "sub-2"},
		{"unknown subject", "u-1", "orcid", "sub-3"},
		{"unknown provider", "u-1", "none", "sub-1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := s.DeleteUserIdentity(ctx, tt.userID, tt.provider, tt.subject, noCheck)
			checkErr(t, "DeleteUserIdentity", err, storage.ErrNotFound)
		})
	}

	var seenUser storage.User
	var seenIDs []storage.UserIdentity
	err := s.DeleteUserIdentity(ctx, "u-1", "orcid", "sub-1", func(u storage.User, ids []storage.UserIdentity) error {
		seenUser, seenIDs = u, ids
		return errUpdate
	})
	checkErr(t, "DeleteUserIdentity(refused by check)", err, errUpdate)
	diff(t, "user seen by check", seenUser, alice)
	diff(t, "identities seen by check", seenIDs, []storage.UserIdentity{egi, orcid})
	diff(t, "identities after a refused delete (unchanged)", listIdentities(t, s, "u-1"), []storage.UserIdentity{egi, orcid})

	checkErr(t, "DeleteUserIdentity(nil check)", s.DeleteUserIdentity(ctx, "u-1", "orcid", "sub-1", nil), nil)
	_, err = s.GetUserIdentity(ctx, "orcid", "sub-1")
	checkErr(t, "GetUserIdentity(deleted)", err, storage.ErrNotFound)
	diff(t, "identities after DeleteUserIdentity", listIdentities(t, s, "u-1"), []storage.UserIdentity{egi})
	diff(t, "another user's identities (unchanged)", listIdentities(t, s, "u-2"), []storage.UserIdentity{bobs})
	checkErr(t, "DeleteUserIdentity(again)", s.DeleteUserIdentity(ctx, "u-1", "orcid", "sub-1", nil), storage.ErrNotFound)
	must(t, "CreateUserIdentity(unlinked, to another user)", s.CreateUserIdentity(ctx, newIdentity("orcid", "sub-1", "u-2")))
}

// createEnabledIDPs stores an enabled provider of each name.
func createEnabledIDPs(t *testing.T, s storage.Storage, names ...string) {
	t.Helper()
	for _, n := range names {
		p := newIDP(n, at(0))
		p.Disabled = false
		must(t, "CreateIdentityProvider", s.CreateIdentityProvider(t.Context(), p))
	}
}

// testUnlinkIdentity: UnlinkIdentity applies CheckUnlink with the
// providers as stored: a password counts only while password sign-in is
// on, an identity only while its provider is enabled.
func testUnlinkIdentity(t *testing.T, s storage.Storage) {
	ctx := t.Context()
	createEnabledIDPs(t, s, "orcid", "egi")
	createIDPs(t, s, "off") // disabled
	createUsers(t, s, passwordless("u-1", "alice"), newUser("u-2", "bob"), newUser("u-3", "carol"), passwordless("u-4", "dave"))
	createIdentities(t, s, newIdentity("orcid", "a", "u-1"), newIdentity("egi", "a", "u-1"),
		newIdentity("orcid", "b", "u-2"), newIdentity("orcid", "c", "u-3"), newIdentity("egi", "c", "u-3"),
		newIdentity("orcid", "d", "u-4"), newIdentity("off", "d", "u-4"))

	tests := []struct {
		name                  string
		userID, provider, sub string
		passwordsOn           bool
		want                  error
	}{
		{"passwordless, one of two", "u-1", "orcid", "a", true, nil},
		{"passwordless, the last", "u-1", "egi", "a", true, storage.ErrLastSignIn},
		{"a password while password sign-in is off, the last", "u-2", "orcid", "b", false, storage.ErrLastSignIn},
		{"a password while password sign-in is on, the last", "u-2", "orcid", "b", true, nil},
		{"a password while password sign-in is off, one of two", "u-3", "orcid", "c", false, nil},
		{"the other identity's provider is disabled", "u-4", "orcid", "d", true, storage.ErrLastSignIn},
		{"the identity of a disabled provider", "u-4", "off", "d", true, nil},
		{"no such identity", "u-4", "off", "d", true, storage.ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := storage.UnlinkIdentity(ctx, s, tt.userID, tt.provider, tt.sub, tt.passwordsOn)
			checkErr(t, "UnlinkIdentity", err, tt.want)
		})
	}
	diff(t, "identities after a refused unlink", listIdentities(t, s, "u-1"), []storage.UserIdentity{newIdentity("egi", "a", "u-1")})
	diff(t, "identities left to dave", listIdentities(t, s, "u-4"), []storage.UserIdentity{newIdentity("orcid", "d", "u-4")})
}

// testCountProviderIdentities counts each provider's identities.
func testCountProviderIdentities(t *testing.T, s storage.Storage) {
	createIDPs(t, s, "orcid", "egi", "none")
	createUsers(t, s, newUser("u-1", "alice"), newUser("u-2", "bob"))
	createIdentities(t, s, newIdentity("orcid", "a", "u-1"), newIdentity("egi", "a", "u-1"), newIdentity("orcid", "b", "u-2"))
	for provider, want := range map[string]int{"orcid": 2, "egi": 1, "none": 0, "unknown": 0} {
		n, err := s.CountProviderIdentities(t.Context(), provider)
		must(t, "CountProviderIdentities", err)
		if n != want {
			t.Errorf("CountProviderIdentities(%s) = %d, want %d", provider, n, want)
		}
	}
}

// testProvisionConcurrentUsername has goroutines provision the same
// username, each with its own identity: one wins, and no loser leaves its
// identity behind.
func testProvisionConcurrentUsername(t *testing.T, s storage.Storage) {
	const n = 8
	createIDPs(t, s, "orcid")
	won := provisionAll(t, s, n, func(i int) (storage.User, storage.UserIdentity) {
		id := fmt.Sprint("u-", i)
		return passwordless(id, "alice"), newIdentity("orcid", fmt.Sprint("sub-", i), id)
	})
	u, err := s.GetUserByUsername(t.Context(), "alice")
	must(t, "GetUserByUsername", err)
	if u.ID != fmt.Sprint("u-", won) {
		t.Errorf("user alice has ID %q, want u-%d (the winner's)", u.ID, won)
	}
	for i := range n {
		_, err := s.GetUserIdentity(t.Context(), "orcid", fmt.Sprint("sub-", i))
		if i == won {
			checkErr(t, "GetUserIdentity(winner)", err, nil)
		} else {
			checkErr(t, "GetUserIdentity(loser)", err, storage.ErrNotFound)
		}
	}
}

// testProvisionConcurrentIdentity has goroutines provision the same
// identity, each under its own username: one wins, no loser's user exists.
func testProvisionConcurrentIdentity(t *testing.T, s storage.Storage) {
	const n = 8
	createIDPs(t, s, "orcid")
	won := provisionAll(t, s, n, func(i int) (storage.User, storage.UserIdentity) {
		id := fmt.Sprint("u-", i)
		return passwordless(id, fmt.Sprint("user", i)), newIdentity("orcid", "sub", id)
	})
	got, err := s.GetUserIdentity(t.Context(), "orcid", "sub")
	must(t, "GetUserIdentity", err)
	if got.UserID != fmt.Sprint("u-", won) {
		t.Errorf("identity belongs to %q, want u-%d (the winner)", got.UserID, won)
	}
	users, err := s.ListUsers(t.Context())
	must(t, "ListUsers", err)
	if len(users) != 1 {
		t.Errorf("ListUsers = %+v, want the winner only", users)
	}
}

// provisionAll has n goroutines call ProvisionUser with build(i) at once,
// checks that exactly one succeeds and the others get ErrAlreadyExists, and
// returns the winner's i.
func provisionAll(t *testing.T, s storage.Storage, n int, build func(i int) (storage.User, storage.UserIdentity)) int {
	t.Helper()
	var mu sync.Mutex
	won, wins := -1, 0
	parallel(n, func(i int) {
		u, id := build(i)
		err := s.ProvisionUser(t.Context(), u, id)
		mu.Lock()
		defer mu.Unlock()
		switch {
		case err == nil:
			won, wins = i, wins+1
		case !errors.Is(err, storage.ErrAlreadyExists):
			t.Errorf("ProvisionUser (goroutine %d): %v, want nil or %v", i, err, storage.ErrAlreadyExists)
		}
	})
	if wins != 1 {
		t.Fatalf("%d of %d simultaneous ProvisionUser calls succeeded, want 1", wins, n)
	}
	return won
}

// testDeleteIdentityConcurrent unlinks both identities of passwordless
// users at once, with UnlinkIdentity: one unlink succeeds, the other is
// refused, and each user keeps a way to sign in.
func testDeleteIdentityConcurrent(t *testing.T, s storage.Storage) {
	const users = 10
	createEnabledIDPs(t, s, "orcid", "egi")
	for i := range users {
		id := fmt.Sprint("u-", i)
		createUsers(t, s, passwordless(id, fmt.Sprint("user", i)))
		createIdentities(t, s, newIdentity("orcid", id, id), newIdentity("egi", id, id))
	}
	for i := range users {
		id := fmt.Sprint("u-", i)
		var mu sync.Mutex
		counts := map[string]int{}
		parallel(2, func(j int) {
			err := storage.UnlinkIdentity(t.Context(), s, id, []string{"orcid", "egi"}[j], id, true)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				counts["unlinked"]++
			case errors.Is(err, storage.ErrLastSignIn):
				counts["refused"]++
			default:
				t.Errorf("DeleteUserIdentity(%s): %v", id, err)
			}
		})
		diff(t, "outcomes of two simultaneous unlinks", counts, map[string]int{"unlinked": 1, "refused": 1})
		if ids := listIdentities(t, s, id); len(ids) != 1 {
			t.Errorf("%s has %d identities after two simultaneous unlinks, want 1", id, len(ids))
		}
	}
}
